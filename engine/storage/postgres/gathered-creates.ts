import type { PgQueryable } from './connection.js';
import { statement, type PgStatement } from './statement.js';
import type { WriteRefusal } from '../../ports.js';

/** Calls per gathered statement: enough for every client of a busy instance, short enough not to hold others up. */
const MAX_CALLS = 64;

interface Waiting {
  params: unknown[];
  resolve: (refusal: WriteRefusal | null) => void;
  reject: (err: unknown) => void;
}

/** The gathered form of a call: each parameter as an array, one call of the function per element. */
export function gatheredCall(name: string, fn: string, types: string[]): PgStatement {
  const cols = types.map((_, i) => `p${i + 1}`);
  return statement(name, `SELECT w.o, ${fn}(${cols.map((c) => `w.${c}`).join(', ')}) AS refusal
    FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')}) WITH ORDINALITY AS w(${cols.join(', ')}, o)`);
}

/**
 * Creates outside a transaction (each its own implicit transaction on the pool), gathered into
 * one statement when they arrive together — PostgreSQL's twin of SQLite's WriteGatherer. One
 * statement is one round trip, one transaction and one commit for the whole group, where each
 * save alone paid them all: on a machine whose cores the instance, PostgreSQL and the clients
 * share, that is CPU every save gives back.
 *
 * One group is in flight per instance at a time (the arrivals meanwhile form the next), so an
 * instance's groups never wait on each other's row locks. Each call's guards answer for that call
 * alone (the function refuses before it writes anything): a refused call leaves the others
 * written. A statement that fails as a whole (a key taken by a concurrent commit, a deadlock with
 * another instance's group, a lost connection) wrote nothing: every call is then made again on its
 * own, so each caller hears its own outcome, exactly as if it had written alone.
 */
export class CreateGatherer {
  private waiting: Waiting[] = [];
  private flying = false;
  private scheduled = false;

  constructor(private readonly db: PgQueryable, private readonly single: PgStatement, private readonly gathered: PgStatement) {}

  call(params: unknown[]): Promise<WriteRefusal | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ params, resolve, reject });
      // Requests parsed in the same round of the event loop bring their creates too: the group
      // goes out after that round (one loop turn of latency), or when the group in flight lands.
      if (!this.flying && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => { this.scheduled = false; void this.fly(); });
      }
    });
  }

  private async fly(): Promise<void> {
    if (this.flying || !this.waiting.length) return;
    this.flying = true;
    try {
      while (this.waiting.length) {
        const group = this.waiting.splice(0, MAX_CALLS);
        if (group.length === 1 || !(await this.together(group))) await this.alone(group);
      }
    } finally {
      this.flying = false;
    }
  }

  /** The group in one statement; false when it failed as a whole (nothing of it written). */
  private async together(group: Waiting[]): Promise<boolean> {
    const columns = group[0].params.map((_, i) => group.map((w) => w.params[i]));
    let rows: { o: number; refusal: WriteRefusal | null }[];
    try {
      rows = (await this.db.query<{ o: number; refusal: WriteRefusal | null }>(this.gathered, columns)).rows;
    } catch {
      return false;
    }
    for (const r of rows) group[r.o - 1].resolve(r.refusal);
    return true;
  }

  private async alone(group: Waiting[]): Promise<void> {
    for (const w of group) {
      try {
        w.resolve((await this.db.query<{ refusal: WriteRefusal | null }>(this.single, w.params)).rows[0].refusal);
      } catch (err) {
        w.reject(err);
      }
    }
  }
}
