/**
 * The authorization matrix's own statement of the documented rules (README's security paragraph,
 * engine/auth/permissions.ts, the roles of forms/app.json), written independently of the engine so
 * that a cell compares what the server does with what the rules say:
 * - a grant (role, node) gives the role's permissions on the node's whole subtree;
 * - a role of scope "global" counts only when granted on the tree's root;
 * - a self role reads exactly the record its account is bound to;
 * - an account is kept (reset, lock, unlock) by whoever holds "grant" on its bound record's node and
 *   strictly encloses, with "grant", every node the account holds a role on; never by its holder.
 */
import type { Client } from './client.js';

export interface RoleDef { title: string; permissions: string[]; self?: string; scope?: 'global' | 'subtree' }

/** A stored record as the matrix knows it: its place in the tree is its path of node ids. */
export interface Rec {
  id: string;
  collection: string;
  node: string | null;
  path: string;
  title: string;
  state: string | null;
  version: number;
  data: Record<string, unknown>;
}

export interface Held { role: string; node: string; path: string }

/** A login of the demo (or the anonymous visitor, username null) with its grants from GET /api/me. */
export interface Who {
  username: string | null;
  grants: Held[];
  self: { collection: string; recordId: string } | null;
  client: Client;
}

/** A login account: the record it is bound to (if any) and the roles it holds. */
export interface Account { username: string; self: string | null; roles: Held[] }

export class AuthzModel {
  constructor(readonly roles: Record<string, RoleDef>, readonly rootPath: string, private readonly records: Map<string, Rec>) {}

  /** A grant gives its role's permissions only when the role is a granted one, and a global one only at the root. */
  private counts(g: Held): boolean {
    const role = this.roles[g.role];
    return !!role && !role.self && (role.scope !== 'global' || g.path === this.rootPath);
  }

  /** The subtree paths on which the principal holds a permission. */
  paths(who: Pick<Who, 'grants'>, permission: string): string[] {
    return who.grants.filter((g) => this.counts(g) && this.roles[g.role].permissions.includes(permission)).map((g) => g.path);
  }

  holds(who: Pick<Who, 'grants'>, permission: string, path: string): boolean {
    return this.paths(who, permission).some((p) => path.startsWith(p));
  }

  holdsAnywhere(who: Pick<Who, 'grants'>, permission: string): boolean {
    return this.paths(who, permission).length > 0;
  }

  /** Reads a record: a grant with "read" above it, or a self role's own bound record. */
  reads(who: Who, rec: Rec): boolean {
    if (this.holds(who, 'read', rec.path)) return true;
    const selfReads = Object.values(this.roles).some((r) => r.self === rec.collection && r.permissions.includes('read'));
    return !!who.self && selfReads && who.self.collection === rec.collection && who.self.recordId === rec.id;
  }

  /** A node's breadcrumb is answered for nodes read, and for the ancestors of the nodes read. */
  seesPathOf(who: Who, node: Rec): boolean {
    return this.reads(who, node) || this.paths(who, 'read').some((p) => p.startsWith(node.path));
  }

  /** Whether the principal keeps the account (may reset its password, lock or unlock it, grant it a role). */
  keeps(who: Who, account: Account): boolean {
    if (who.username === null || account.username === who.username) return false;
    const mine = this.paths(who, 'grant');
    if (!account.roles.every((g) => mine.some((p) => g.path !== p && g.path.startsWith(p)))) return false;
    if (!account.self) return account.roles.length > 0;
    const rec = this.records.get(account.self);
    return !!rec && this.holds(who, 'grant', rec.path);
  }

  /**
   * Whether the account's existence is already known to the principal: it reads the record the
   * account is bound to, or may list the grants of a node the account holds a role on.
   */
  seesAccount(who: Who, account: Account): boolean {
    const rec = account.self ? this.records.get(account.self) : undefined;
    return (!!rec && this.reads(who, rec)) || account.roles.some((g) => this.holds(who, 'grant', g.path));
  }

  /** Where a principal's scope lies: its first granted subtree that reads, else its own record's node. */
  anchor(who: Who): string | null {
    const [first] = this.paths(who, 'read');
    if (first) return first;
    const own = who.self ? this.records.get(who.self.recordId) : undefined;
    return own?.path ?? null;
  }
}

/** Length of the common prefix of two paths, counted in whole segments. */
export function closeness(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}
