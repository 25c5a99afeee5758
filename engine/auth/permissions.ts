import type { AppManifest, Permission } from '../config/types.js';
import type { Principal } from './principal.js';
import type { Param } from '../storage/sqlite.js';

/**
 * The one permission predicate. Every list, read, write, event, print and export asks it; none
 * filters on its own. A grant (role, node) gives the role's permissions on the node's whole
 * subtree; a self role reads exactly one bound record.
 */
export class Permissions {
  constructor(private readonly manifest: AppManifest) {}

  /** Paths (subtree prefixes) on which the user holds a permission. */
  paths(user: Principal, permission: Permission): string[] {
    const paths = user.grants
      .filter((g) => this.manifest.roles[g.role]?.permissions.includes(permission))
      .map((g) => g.path)
      .sort();
    // Drop paths nested in another granted path: they add nothing and slow every query.
    return paths.filter((p, i) => !paths.slice(0, i).some((q) => p.startsWith(q)));
  }

  /** Whether the user holds the permission on a record or node at this path. */
  onPath(user: Principal, permission: Permission, path: string): boolean {
    return this.paths(user, permission).some((p) => path.startsWith(p));
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

  /**
   * A SQL condition (over the records table) selecting exactly what the user may read in a
   * collection; uses the (collection, path) index as a range scan per grant.
   */
  readFilter(user: Principal, collection: string): { sql: string; params: Param[] } {
    const parts: string[] = [];
    const params: Param[] = [];
    for (const p of this.paths(user, 'read')) {
      parts.push('(path >= ? AND path < ?)');
      params.push(p, pathUpperBound(p));
    }
    const self = this.selfRecord(user, 'read', collection);
    if (self) {
      parts.push('id = ?');
      params.push(self);
    }
    return { sql: parts.length ? `(${parts.join(' OR ')})` : '0', params };
  }
}

/** Paths end in '/', and '0' sorts right after '/': [p, upper) is exactly the subtree of p. */
export function pathUpperBound(path: string): string {
  return path.slice(0, -1) + '0';
}
