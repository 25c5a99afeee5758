import type { Principal } from '../auth/principal.js';
import type { Storage } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';

export interface ScopeNode {
  id: string;
  path: string;
  fullName: string | null;
  label: string | null;
}

/**
 * The tree nodes a user may write under, with every way a file may name one: id, full name,
 * label, or the value of one of the tree's single-field unique keys (e.g. an organization code).
 * A name that fits several nodes is ambiguous and must be written another way.
 */
export class NodeScope {
  private readonly byText = new Map<string, ScopeNode[]>();
  readonly nodes: ScopeNode[] = [];

  static async load(
    { storage, runtime: rt }: { readonly storage: Pick<Storage, 'db' | 'records'>; readonly runtime: AppRuntime },
    user: Principal | undefined, permission: 'read' | 'write' = 'write',
  ): Promise<NodeScope> {
    const tree = rt.tree;
    const { fullNameField, labelField } = rt.config.tree;
    const keyFields = (tree.uniqueKeys ?? []).filter((k) => k.fields.length === 1).map((k) => k.fields[0]);
    const fields = [...new Set([fullNameField ?? labelField, labelField, ...keyFields])];
    const paths = user ? rt.permissions.paths(user, permission) : ['/'];
    const scope = new NodeScope();
    for (const p of paths) {
      for (const r of await storage.records.fields(storage.db, { collection: tree.name, subtree: p }, fields)) {
        const text = (field: string) => (typeof r.values[field] === 'string' ? (r.values[field] as string) : null);
        const node: ScopeNode = { id: r.id, path: r.path, fullName: text(fullNameField ?? labelField), label: text(labelField) };
        scope.nodes.push(node);
        const texts = new Set([r.id, ...fields.map(text).filter((v): v is string => v !== null && v !== '')]);
        for (const t of texts) scope.byText.set(t, [...(scope.byText.get(t) ?? []), node]);
      }
    }
    return scope;
  }

  /** The node a cell names: the node, 'ambiguous', or undefined (unknown or outside the scope). */
  find(text: string): ScopeNode | 'ambiguous' | undefined {
    const hits = this.byText.get(text.trim());
    if (!hits?.length) return undefined;
    const distinct = [...new Map(hits.map((h) => [h.id, h])).values()];
    return distinct.length === 1 ? distinct[0] : 'ambiguous';
  }

  byId(id: string): ScopeNode | undefined {
    const hits = this.byText.get(id);
    return hits?.find((h) => h.id === id);
  }
}
