import pg from 'pg';

/**
 * Every statement the pg driver sends while `fn` runs, in order — each call of a client's `query`
 * is one round trip (its Parse/Bind/Execute/Sync go out in one write). Named statements are shown
 * as `[name] text`. For tests and benches that count or inspect what a request asks of PostgreSQL.
 */
export async function pgStatements<T>(fn: () => Promise<T>): Promise<[string[], T]> {
  const query = pg.Client.prototype.query;
  const sent: string[] = [];
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0] as string | { name?: string; text?: string };
    sent.push(typeof q === 'string' ? q : `${q.name ? `[${q.name}] ` : ''}${q.text ?? ''}`);
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  try {
    return [sent, await fn()];
  } finally {
    pg.Client.prototype.query = query;
  }
}
