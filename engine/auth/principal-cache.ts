import type { Principal } from './principal.js';
import { authEpoch } from '../ports.js';

interface Entry {
  principal: Principal | undefined;
  epoch: number;
  until: number;
}

/**
 * The principal behind each session token, kept for a moment: every API request needs it, and
 * reading it is a query per request. An entry is used only while no write has touched grants,
 * accounts, sessions or tree paths since it was read (authEpoch) — such writes in this process
 * take effect on the next request — and for at most TTL_MS, which bounds how long a change made
 * by another process (a command-line tool on the same file) can go unseen. Unknown tokens are
 * kept too, so a flood of bad cookies does not become a flood of queries.
 */
export class PrincipalCache {
  static readonly TTL_MS = 2000;
  private static readonly MAX = 10_000;
  private readonly entries = new Map<string, Entry>();

  async get(token: string, load: (token: string) => Promise<{ principal: Principal; expiresAt: number } | undefined>): Promise<Principal | undefined> {
    const now = Date.now();
    const hit = this.entries.get(token);
    if (hit && hit.epoch === authEpoch.current() && hit.until > now) return hit.principal;
    const epoch = authEpoch.current();
    const loaded = await load(token);
    // A write that bumped the epoch while this was read may have changed what was read.
    if (authEpoch.current() === epoch) {
      if (this.entries.size >= PrincipalCache.MAX) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(token, { principal: loaded?.principal, epoch, until: Math.min(now + PrincipalCache.TTL_MS, loaded?.expiresAt ?? Infinity) });
    }
    return loaded?.principal;
  }
}
