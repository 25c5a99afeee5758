import { isIPv6 } from 'node:net';
import type { Storage } from '../ports.js';

/**
 * How password guessing is slowed, per account and per client address:
 * - an account gets a few free failures, then each further one makes the next attempt wait
 *   twice as long as the last (1 s, 2 s, 4 s …) up to a few minutes. An attempt refused while
 *   waiting is not checked and does not count, so whoever hammers an account cannot lock its
 *   person out for longer than the cap after their last real guess; the count is forgotten after
 *   a quiet hour or at a successful login;
 * - an address (an IPv6 client by its /64, which one machine usually owns whole) has a budget of
 *   failures over a window, whatever usernames it tries; spent, it is refused until the window
 *   ends. A success does not refill it.
 */
export interface ThrottleRules {
  freeAccountFailures: number;
  firstDelayMs: number;
  maxDelayMs: number;
  accountMemoryMs: number;
  addressBudget: number;
  addressWindowMs: number;
}

export const THROTTLE_RULES: ThrottleRules = {
  freeAccountFailures: 5,
  firstDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  accountMemoryMs: 60 * 60_000,
  addressBudget: 50,
  addressWindowMs: 15 * 60_000,
};

/** Who is guessing: the account's username and the client's address. */
export interface Attempt {
  account: string;
  address: string;
}

/** An IPv6 address's first four groups (its /64), expanded; anything else as it is. */
function addressKey(address: string): string {
  const bare = address.replace(/%.*$/, '');
  if (!isIPv6(bare)) return address;
  const [head, tail = ''] = bare.split('::');
  const left = head ? head.split(':') : [];
  const right = bare.includes('::') && tail ? tail.split(':') : [];
  const groups = bare.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':') + '::/64';
}

const keysOf = (a: Attempt) => ({ account: `account:${a.account.slice(0, 200)}`, address: `address:${addressKey(a.address)}` });

/** Where the counts live: the failures' table, shared by every process on the database. */
export type ThrottleStorage = Pick<Storage, 'db' | 'unitOfWork' | 'loginFailures'>;

export class LoginThrottle {
  constructor(private readonly rules: ThrottleRules = THROTTLE_RULES) {}

  /** How long this attempt must wait (ms): 0 when it may be checked now. */
  async waitMs({ db, loginFailures }: ThrottleStorage, attempt: Attempt, now = Date.now()): Promise<number> {
    const keys = keysOf(attempt);
    const rows = await loginFailures.read(db, [keys.account, keys.address], now);
    return Math.max(0, ...rows.map((r) => r.blockedUntil - now));
  }

  /** Counts a failed guess against the account and the address, and forgets expired counts. */
  async fail({ db, unitOfWork, loginFailures }: ThrottleStorage, attempt: Attempt, now = Date.now()): Promise<void> {
    const r = this.rules;
    const keys = keysOf(attempt);
    await unitOfWork.transaction(db, async (tx) => {
      await loginFailures.prune(tx, now);
      const account = await loginFailures.add(tx, keys.account, now, now + r.accountMemoryMs, false);
      const beyond = account.failures - r.freeAccountFailures;
      if (beyond > 0) await loginFailures.block(tx, keys.account, now + Math.min(r.maxDelayMs, r.firstDelayMs * 2 ** Math.min(beyond - 1, 30)));
      const address = await loginFailures.add(tx, keys.address, now, now + r.addressWindowMs, true);
      if (address.failures >= r.addressBudget) await loginFailures.block(tx, keys.address, address.firstAt + r.addressWindowMs);
    });
  }

  /** The right password: the account's count starts again (the address's budget does not). */
  async succeed({ db, loginFailures }: ThrottleStorage, attempt: Attempt): Promise<void> {
    await loginFailures.clear(db, keysOf(attempt).account);
  }
}

/** The one throttle of this process; its counts live in the database, shared with other processes. The 429 answer is engine/http/login-throttle.ts's. */
export const loginThrottle = new LoginThrottle();
