/**
 * 查询统计 at the size of the seeded database (issue 22, 4): a grouped count by one code field
 * and one by sub-organization over the root, a cross-tab of two code fields, and the first page of a query by two conditions,
 * each sampled alternately with a bare COUNT over the same rows (the root's members) in the same
 * engine, and the process's memory around them. Part of `npm run bench`; alone:
 * `npx tsx test/bench/query-stats-bench.ts --db data/bench-1000000.db` (or a postgres:// URL:
 * postgres-bench.ts runs it on its seeded PostgreSQL database).
 */
import { createEngine, type Engine } from '../../engine/engine.js';
import { PgDatabase } from '../../engine/storage/postgres/connection.js';
import type { Principal } from '../../engine/auth/principal.js';
import { pathUpperBound } from '../../engine/tree-paths.js';
import { prepareStats, runStats } from '../../engine/stats/service.js';
import { prepareQuery, runQuery } from '../../engine/query/service.js';
import { queryFields, topOf } from '../../engine/query/fields.js';
import { repoRoot } from '../helpers/paths.js';
import { sqliteOf } from '../helpers/sqlite-of.js';

type Add = (figure: string, value: string, baseline: string, ratio: string, target: string, ok: boolean | null) => void;

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
const mb = () => process.memoryUsage().rss / 2 ** 20;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** p50 of two operations sampled alternately (after one warm round each), so both see the same load. */
async function paired(n: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  await a(); await b();
  const xa: number[] = [], xb: number[] = [];
  for (let i = 0; i < n; i++) { xa.push(await timed(a)); xb.push(await timed(b)); }
  return [p50(xa), p50(xb)];
}

/** The tree's root, on either adapter (the bench reads past the port). */
async function rootOf(engine: Engine): Promise<{ id: string; path: string }> {
  const sql = "SELECT id, path FROM records WHERE collection = 'organization' AND node_id IS NULL LIMIT 1";
  const db = engine.storage.db;
  return db instanceof PgDatabase ? (await db.query(sql)).rows[0] : (await sqliteOf(engine).get<{ id: string; path: string }>(sql))!;
}
/** The bare COUNT of a subtree's members by the index a list's scope uses, on either adapter. */
async function bareCount(engine: Engine, path: string): Promise<number> {
  const db = engine.storage.db;
  if (db instanceof PgDatabase) {
    return Number((await db.query("SELECT count(*) AS n FROM records WHERE collection = 'member' AND path >= $1 AND path < $2", [path, pathUpperBound(path)])).rows[0].n);
  }
  return (await sqliteOf(engine).get<{ n: number }>("SELECT count(*) AS n FROM records WHERE collection = 'member' AND path >= ? AND path < ?", [path, pathUpperBound(path)]))!.n;
}

/** `database`: a SQLite file or a postgres:// URL (the PostgreSQL side of the bench passes its own). */
export async function benchQueryStats(database: string, add: Add, samples = 7): Promise<void> {
  const dbFile = database;
  const engine = await createEngine({ appRoot: repoRoot, database: dbFile });
  try {
    const root = await rootOf(engine);
    const user: Principal = { userId: 'bench', username: 'bench', displayName: 'bench', grants: [{ role: 'admin', nodeId: root.id, path: root.path }], sessionId: '', csrf: '' };
    const member = engine.runtime.collection('member');
    const codes = queryFields(member).filter((f) => f.kind === 'code');
    const [one, two] = [codes.find((f) => f.name === 'education') ?? codes[0], codes.find((f) => f.name === 'gender') ?? codes[1]];
    // The bare COUNT: the same rows (the root's members), by the index a list's scope uses.
    const bare = () => bareCount(engine, root.path);
    const members = await bare();
    const rssBefore = mb();

    // The index of the code fields is made on first use (storage/fact-index.ts): the first count is timed apart.
    const grouped = async () => runStats(engine, await prepareStats(engine, user, 'member', { node: root.id, rows: { by: 'code', field: one.name } }));
    const build = await timed(grouped);
    add(`  (first grouped count after opening: makes the code fields' index when missing, ${members} members)`, ms(build), '–', '–', '–', null);

    const [g, c1] = await paired(samples, grouped, bare);
    const table = await grouped();
    if (table.total !== members) throw new Error(`grouped count: ${table.total} ≠ ${members}`);
    add(`grouped count by ${one.title}, root of ${members} members (p50)`, ms(g), `${ms(c1)} bare COUNT`, (g / c1).toFixed(1), '≤ 1 s', g <= 1000);

    const byChild = async () => runStats(engine, await prepareStats(engine, user, 'member', { node: root.id, rows: { by: 'children' } }));
    const [k, c4] = await paired(samples, byChild, bare);
    add(`grouped count by sub-organization, same rows (p50)`, ms(k), `${ms(c4)} bare COUNT`, (k / c4).toFixed(1), '≤ 1 s', k <= 1000);

    const cross = async () => runStats(engine, await prepareStats(engine, user, 'member', { node: root.id, rows: { by: 'code', field: one.name }, cols: { by: 'code', field: two.name } }));
    const [x, c2] = await paired(samples, cross, bare);
    add(`cross-tab ${one.title} × ${two.title}, same rows (p50)`, ms(x), `${ms(c2)} bare COUNT`, (x / c2).toFixed(1), '≤ 2 s', x <= 2000);

    // Two conditions: a code of the second field, and the top-level code (with its sub-codes) of the
    // first field's most frequent value, so that the first page fills.
    const most = table.rows[table.rowTotals.indexOf(Math.max(...table.rowTotals))].key;
    const top = one.codes!.find((c) => c.code === topOf(one.codes!, most))!;
    const where = { op: 'and', items: [{ field: two.name, op: 'in', values: [two.codes![1]?.code ?? two.codes![0].code] }, { field: one.name, op: 'in', values: [top.code] }] };
    const page = async () => runQuery(engine, await prepareQuery(engine, user, 'member', { node: root.id, where, limit: 20, offset: 0 }));
    const [q, c3] = await paired(samples, page, bare);
    if ((await page()).items.length !== 20) throw new Error('query: no full first page');
    add(`query by two conditions (${two.title}, ${one.title}「${top.label}」), first page of 20 (p50)`, ms(q), `${ms(c3)} bare COUNT`, (q / c3).toFixed(2), '≤ 300 ms', q <= 300);

    const grown = mb() - rssBefore;
    add('  bench process memory (RSS) grown over these figures', `${grown.toFixed(0)} MB`, `${rssBefore.toFixed(0)} MB before`, '–', '≤ 100 MB', grown <= 100);
  } finally {
    await engine.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--db');
  if (i < 0) throw new Error('--db <file> needed');
  const rows: string[][] = [];
  await benchQueryStats(process.argv[i + 1], (...r) => { rows.push(r.map(String)); });
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}
