/** The shapes of the engine's HTTP API as the UI reads them (README: HTTP API; GET /api/openapi.json). */

export type Json = Record<string, any>;
export type JsonSchema = Record<string, any>;

export interface Grant {
  role: string; roleTitle: string; node: string; nodeLabel: string | null;
  /** False for a grant that gives nothing (a global role held below the tree's root). */
  inForce: boolean;
}
export interface Me {
  username: string;
  displayName: string;
  grants: Grant[];
  self: { collection: string; recordId: string } | string | null;
  csrfToken: string;
  /** The password was set by someone else: the user must replace it before anything else. */
  mustChangePassword?: boolean;
}

export interface CollectionInfo {
  title: string;
  nodeField: string | null;
  titleField: string | null;
  listColumns: string[];
  search: string[];
  workflow: string | null;
  completeness: boolean;
  isTree: boolean;
  documents: Record<string, DocumentInfo | unknown>;
  /** Workflow states in order with their titles. */
  /** The workflow's states in order; selfHint is what the record's own person is told in it. */
  states?: { id: string; title: string; selfHint?: string | null }[];
  /** Keys by which a record can be looked up (GET /api/lookup/:collection?key=value). */
  lookup?: { keys: string[] } | null;
  /** Titles of the workflow's events by type (history entries name them). */
  events?: Record<string, string>;
  /** Which plain writes are allowed (null: all); the rest go through workflow events. */
  direct?: ('create' | 'update' | 'delete')[] | null;
}
export interface DocumentInfo { title?: string; template?: string; formats?: string[]; [k: string]: unknown }

export interface Manifest {
  name: string;
  title: string;
  essentialLabel: string | null;
  tree: { collection: string; parentField: string; labelField: string; fullNameField?: string };
  collections: Record<string, CollectionInfo>;
  roles: Record<string, { title: string; permissions: string[]; self?: string }>;
}

export interface CodeEntry { code: string; label: string; deprecated?: string; replacedBy?: string[]; provisional?: boolean; labelPending?: boolean; parent?: string; note?: string }

export interface FormInfo {
  collection: string;
  title: string;
  schema: JsonSchema;
  nodeField: string | null;
  titleField: string | null;
  listColumns: string[];
  essentialLabel: string | null;
}

// The record, a page of a list and the tree's answers are the server's own types (engine/api-types.ts):
// `export type` only, so the bundle takes nothing from engine/.
export type { RecordJson, Page, TreeNode, TreeAnswer, BreadcrumbStep, SubtreeStats as Stats } from '../../engine/api-types.js';

export interface EventInfo { type: string; title: string; payload?: JsonSchema; form?: string }
export interface EventsAnswer {
  state: string | null;
  stateTitle: string | null;
  events: EventInfo[];
  /** Events the data does not allow yet, with the reason. */
  blocked?: (EventInfo & { error?: { message: string; details?: FieldError[] } })[];
  context?: Record<string, unknown> | null;
}

export interface HistoryItem {
  id?: number | string;
  at?: string;
  ts?: string;
  createdAt?: string;
  actor: string | null;
  /** The actor account's display name, when the actor is an account. */
  actorName?: string | null;
  action: string;
  fromState: string | null;
  toState: string | null;
  diff?: Record<string, unknown> | null;
  note?: string | null;
  /** An event's payload fields, titled by the event's payload schema, values in words. */
  payload?: { field: string; title: string; value: string }[];
  [k: string]: unknown;
}

export interface FieldError { path: string; message: string }
