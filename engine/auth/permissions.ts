import type { AppManifest, Permission } from '../config/types.js';
import type { Grant, Principal } from './principal.js';
import type { ReadScope } from '../ports.js';
import { isRootPath } from '../tree-paths.js';

/**
 * The one permission predicate. Every list, read, write, event, print and export asks it; none
 * filters on its own. A grant (role, node) gives the role's permissions on the node's whole
 * subtree; a grant of a global role counts only on the tree's root (anywhere else it gives
 * nothing); a self role reads exactly one bound record.
 */
export class Permissions {
  constructor(private readonly manifest: AppManifest) {}

  /** Whether a grant gives its role's permissions: a global role's only on the root. */
  counts(grant: Pick<Grant, 'role' | 'path'>): boolean {
    const role = Object.hasOwn(this.manifest.roles, grant.role) ? this.manifest.roles[grant.role] : undefined;
    return !!role && (role.scope !== 'global' || isRootPath(grant.path));
  }

  /** Paths (subtree prefixes) on which the user holds a permission. */
  paths(user: Principal, permission: Permission): string[] {
    const paths = user.grants
      .filter((g) => this.counts(g) && this.manifest.roles[g.role].permissions.includes(permission))
      .map((g) => g.path)
      .sort();
    // Drop paths nested in another granted path: they add nothing and slow every query.
    return paths.filter((p, i) => !paths.slice(0, i).some((q) => p.startsWith(q)));
  }

  /** Whether the user holds the permission on a record or node at this path. */
  onPath(user: Principal, permission: Permission, path: string): boolean {
    return this.paths(user, permission).some((p) => path.startsWith(p));
  }

  /**
   * Whether the user may grant or revoke a role on the node at this path: "grant" on it or above;
   * a global role only on the root, by someone holding "grant" on the root; never a self role
   * (it belongs to an account bound to a record, not to a grant).
   */
  mayGrantRole(user: Principal, role: string, nodePath: string): boolean {
    const r = Object.hasOwn(this.manifest.roles, role) ? this.manifest.roles[role] : undefined;
    if (!r || r.self) return false;
    if (r.scope === 'global' && !isRootPath(nodePath)) return false;
    return this.onPath(user, 'grant', nodePath);
  }

  /** The self-bound record, when one of the user's roles gives the permission on it. */
  selfRecord(user: Principal, permission: Permission, collection: string): string | undefined {
    if (!user.self || user.self.collection !== collection) return undefined;
    const role = Object.values(this.manifest.roles).find((r) => r.self === collection && r.permissions.includes(permission));
    return role ? user.self.recordId : undefined;
  }

  /** Whether the user may do `permission` on this stored record. */
  onRecord(user: Principal, permission: Permission, record: { id: string; collection: string; path: string }): boolean {
    return this.onPath(user, permission, record.path) || this.selfRecord(user, permission, record.collection) === record.id;
  }

  /** What the user may read of a collection, as data: the paths their grants cover and a self-bound record. */
  readScope(user: Principal, collection: string): ReadScope {
    const self = this.selfRecord(user, 'read', collection);
    return { paths: this.paths(user, 'read'), ...(self ? { selfRecord: self } : {}) };
  }
}

