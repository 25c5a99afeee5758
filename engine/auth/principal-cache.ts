import type { Principal } from './principal.js';

interface Entry {
  principal: Principal | undefined;
  epoch: number;
  until: number;
}

/**
 * The principal behind each session token, kept for a moment: every API request needs it, and
 * reading it (session, account and grants) is the heavier query. An entry is used only while the
 * storage's auth epoch (Sessions.epoch, engine/ports.ts) stands where it stood when the entry was
 * read — the epoch moves with every write to grants, accounts, sessions or tree paths — and is
 * asked once per request: on PostgreSQL it is one row in the database, so a revocation on any
 * instance holds here from the next request on; on SQLite it is this process's counter, and TTL_MS
 * bounds how long a change made by another process on the same file (a second instance, the
 * operator's tool) can go unseen. Unknown tokens are kept too, so a flood of bad cookies does not
 * become a flood of session queries.
 */
export class PrincipalCache {
  static readonly TTL_MS = 2000;
  private static readonly MAX = 10_000;
  private readonly entries = new Map<string, Entry>();

  /** `epoch`: the storage's auth epoch as committed now. */
  constructor(private readonly epoch: () => Promise<number>) {}

  async get(token: string, load: (token: string) => Promise<{ principal: Principal; expiresAt: number } | undefined>): Promise<Principal | undefined> {
    // Read before the principal: a write committed after this moves the epoch, so an entry read
    // across it (old or new) is tagged with the epoch before it and missed by the next request.
    const epoch = await this.epoch();
    const now = Date.now();
    const hit = this.entries.get(token);
    if (hit && hit.epoch === epoch && hit.until > now) return hit.principal;
    const loaded = await load(token);
    if (!hit && this.entries.size >= PrincipalCache.MAX) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { principal: loaded?.principal, epoch, until: Math.min(now + PrincipalCache.TTL_MS, loaded?.expiresAt ?? Infinity) });
    return loaded?.principal;
  }
}
