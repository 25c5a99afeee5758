/**
 * The shapes of the HTTP API's answers that the browser reads too, defined once: the server
 * builds its answers against them (records/service.ts `serialize`) and ui/api/types.ts re-exports
 * them, so a changed shape is a type error on both sides instead of two copies drifting apart.
 *
 * Types only, no runtime code, and imported with `import type` on both sides: esbuild erases the
 * import, so the browser bundle takes nothing from the server (engine/http/routes/ui.ts).
 */
import type { SubtreeStats } from './records/stats.js';

export type { SubtreeStats };

/** A stored record as every answer carries it (GET/PUT/POST /api/records…, events, the tree). */
export interface RecordJson {
  id: string;
  collection: string;
  version: number;
  state: string | null;
  workflow: string | null;
  /** The workflow's own data beside the record's (set by workflow actions). */
  workflowContext: Record<string, unknown> | null;
  complete: boolean;
  /** The tree node the record hangs on. */
  node: string | null;
  data: Record<string, unknown>;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
  /** The version of each code table the record's code values were last checked against. */
  codeVersions: Record<string, number> | null;
}

/** One page of a list: its items, the opaque cursor of the next page (null: none), the count of all. */
export interface Page<T = RecordJson> { items: T[]; nextCursor: string | null; total: number }

/** A tree node as GET /api/tree answers it: the record, its label, its subtree's figures. */
export interface TreeNode extends RecordJson {
  label: string | null;
  stats: SubtreeStats[];
  /** Whether the node has child nodes (a leaf gets no arrow). */
  hasChildren: boolean;
}

/** One step of a node's path: its label, and whether the user may read that node. */
export interface BreadcrumbStep { id: string; label: string | null; readable: boolean }

/** GET /api/tree/:node — the node, its path from the top, its children. */
export interface TreeAnswer { node: TreeNode; breadcrumb: BreadcrumbStep[]; children: TreeNode[] }
