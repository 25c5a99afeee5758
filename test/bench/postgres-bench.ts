/**
 * The PostgreSQL side of `npm run bench` (issue 24): a throwaway cluster of its own
 * (test/helpers/pg-cluster.ts; no PostgreSQL installed fails loudly), seeded through the engine's
 * bulk path (seed-large.ts) at two sizes and kept for every figure of the run:
 * tree statistics of the root at both sizes, list page and save over HTTP against the same
 * server's constant route, import against the same raw-INSERT baseline as on SQLite with COPY of
 * the same rows beside it, two server processes against one, and bytes per member on disk.
 *
 * Alone: `npx tsx test/bench/postgres-bench.ts [--pg-members 1000000] [--pg-small 20000]
 * [--import-rows 10000] [--pg-keep] [--pg-only servers,stats,import,query]` (`--pg-only` takes
 * only those groups of figures; `--pg-keep` leaves the cluster running and prints its URL;
 * `--pg-cluster <admin url>` measures on such a cluster again, seeding only what is missing).
 */
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createEngine, type Engine } from '../../engine/engine.js';
import { PgDatabase } from '../../engine/storage/postgres/connection.js';
import { DEFAULT_REGION_DEPTH, regionOfPath } from '../../engine/storage/postgres/region.js';
import { runCommit, runPreview } from '../../engine/import/index.js';
import { subtreeStats } from '../../engine/records/stats.js';
import { newId } from '../../engine/ports.js';
import type { Principal } from '../../engine/auth/principal.js';
import { actorOf } from '../../engine/auth/actor.js';
import { createDatabaseAt, postgresBin, startPgCluster, type PgCluster } from '../helpers/pg-cluster.js';
import { repoRoot } from '../helpers/paths.js';
import { Client } from '../helpers/client.js';
import { memberDoc } from './generate.js';
import { seedLarge } from './seed-large.js';
import { cpuMs, preparedPoster, throughput } from './load.js';
import { spawnLikeStart } from './product-process.js';
import { clusterCpuMs, postmasterPid } from './pg-processes.js';
import { benchQueryStats } from './query-stats-bench.js';

type Add = (figure: string, value: string, baseline: string, ratio: string, target: string, ok: boolean | null) => void;
/** `only`: the groups of figures to take (stats, import, servers, query), every one when absent. */
export interface PgBenchOptions { members: number; small: number; importRows: number; keep?: boolean; clusterUrl?: string; only?: string[] }

const run = promisify(execFile);
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
/** The load average when a figure is taken: the machine is shared, so each figure says what it ran beside. */
export const load = () => `load ${loadavg()[0].toFixed(1)}`;

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}
async function pairedP50(n: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  for (let i = 0; i < 3; i++) { await a(); await b(); }
  const xa: number[] = [], xb: number[] = [];
  for (let i = 0; i < n; i++) { xa.push((await time(a))[0]); xb.push((await time(b))[0]); }
  return [p50(xa), p50(xb)];
}
const urlOf = (adminUrl: string, db: string) => { const u = new URL(adminUrl); u.pathname = `/${db}`; return u.toString(); };
/** The engine's PostgreSQL database, for the bench's own reads past the port; loud on another adapter. */
function pgOf(engine: Pick<Engine, 'storage'>): PgDatabase {
  const db = engine.storage.db;
  if (!(db instanceof PgDatabase)) throw new Error(`the PostgreSQL bench runs on ${engine.storage.location}`);
  return db;
}
const rootPrincipal = (root: { id: string; path: string }): Principal => ({
  userId: 'bench', username: 'bench', displayName: 'bench', grants: [{ role: 'admin', nodeId: root.id, path: root.path }], sessionId: '', csrf: '',
});

/**
 * The settings the README's "provincial and national scale" section names, applied to the
 * throwaway cluster (which runs without fsync: durability is not what is measured, as SQLite's
 * bench runs with synchronous = NORMAL). Needs a restart for shared_buffers.
 */
const SETTINGS: Record<string, string> = {
  shared_buffers: '2GB', effective_cache_size: '8GB', work_mem: '32MB', maintenance_work_mem: '512MB',
  max_wal_size: '8GB', checkpoint_timeout: '30min', random_page_cost: '1.1', jit: 'off',
};
async function tune(cluster: PgCluster) {
  const c = new pg.Client({ connectionString: cluster.adminUrl });
  await c.connect();
  for (const [k, v] of Object.entries(SETTINGS)) await c.query(`ALTER SYSTEM SET ${k} = '${v}'`);
  await c.end();
  await cluster.pause();
  await cluster.resume();
}

async function exists(adminUrl: string, db: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try { return (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [db])).rowCount === 1; } finally { await c.end(); }
}

/** A database named for its size, seeded through the engine's bulk path unless it is already there. */
async function seeded(adminUrl: string, members: number, log: (s: string) => void): Promise<string> {
  const name = `bench_${members}`;
  const url = urlOf(adminUrl, name);
  if (await exists(adminUrl, name)) return url;
  await createDatabaseAt(adminUrl, `${name}_seeding`);
  const engine = await createEngine({ appRoot: repoRoot, database: urlOf(adminUrl, `${name}_seeding`) });
  const [t] = await time(() => seedLarge(engine, members, (s) => log(`pg seed ${members}: ${s}`)));
  await pgOf(engine).query('VACUUM ANALYZE');
  await engine.close();
  log(`pg: ${members} members seeded in ${(t / 1000).toFixed(0)} s (${(members / (t / 1000)).toFixed(0)}/s, ${load()})`);
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`ALTER DATABASE "${name}_seeding" RENAME TO "${name}"`);
  await c.end();
  return url;
}

const rootOf = async (engine: Engine) => (await pgOf(engine).query<{ id: string; path: string }>(
  "SELECT id, path FROM records WHERE collection = 'organization' AND node_id IS NULL LIMIT 1")).rows[0];
const membersOf = async (engine: Engine) => Number((await pgOf(engine).query<{ n: number }>(
  "SELECT count(*) AS n FROM records WHERE collection = 'member'")).rows[0].n);

// ── Tree statistics of the root at two sizes, and bytes on disk ──────────────────────────────
async function statsAndSize(largeUrl: string, smallUrl: string, add: Add) {
  const at = async (url: string) => {
    const engine = await createEngine({ appRoot: repoRoot, database: url });
    try {
      const root = await rootOf(engine);
      const members = await membersOf(engine);
      const [stats, one] = await pairedP50(200, () => subtreeStats(engine.storage, engine.runtime, root.path), () => pgOf(engine).query('SELECT 1'));
      const got = (await subtreeStats(engine.storage, engine.runtime, root.path)).find((s) => s.collection === 'member')!.total;
      if (got !== members) throw new Error(`root statistics: ${got} ≠ ${members} members`);
      // Every table and index of the application (the public schema), over the members; and the
      // average stored record of each collection, which apportions it to members and organizations.
      const { rows } = await pgOf(engine).query<{ bytes: number; orgs: number; mdata: number; odata: number }>(
        `SELECT (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'm')) AS bytes,
                (SELECT count(*) FROM records WHERE collection = 'organization') AS orgs,
                (SELECT avg(pg_column_size(r.*)) FROM (SELECT * FROM records WHERE collection = 'member' LIMIT 20000) r) AS mdata,
                (SELECT avg(pg_column_size(r.*)) FROM (SELECT * FROM records WHERE collection = 'organization' LIMIT 20000) r) AS odata`);
      return { members, stats, one, ...rows[0] };
    } finally {
      await engine.close();
    }
  };
  const small = await at(smallUrl);
  const large = await at(largeUrl);
  add(`tree statistics, root of ${large.members} members (p50; ${load()})`, ms(large.stats), `${ms(large.one)} SELECT 1`, (large.stats / large.one).toFixed(1), '≤ 20 ms', large.stats <= 20);
  add(`  same, root of ${small.members} members (p50): independent of size`, ms(small.stats), ms(large.stats), (large.stats / small.stats).toFixed(2), '≈ 1', null);
  const perMember = large.bytes / large.members;
  // An organization's share: its stored row against a member's, the indexes and audit alike.
  const perOrg = perMember * (large.odata / large.mdata);
  add(`bytes on disk per member, all tables and indexes / members (${large.members} members, ${large.orgs} organizations, ${(large.bytes / 2 ** 30).toFixed(2)} GiB)`,
    `${perMember.toFixed(0)} B`, `${(small.bytes / small.members).toFixed(0)} B at ${small.members}`, '–', '–', null);
  add('  per organization (its row against a member\'s, same share of indexes and audit)', `${perOrg.toFixed(0)} B`, '–', '–', '–', null);
}

// ── Import against one prepared INSERT per row, and COPY of the same rows ────────────────────
async function importFigures(adminUrl: string, rows: number, add: Add, log: (s: string) => void) {
  const tag = Date.now().toString(36);
  const tmpl = `bench_import_${tag}`;
  await createDatabaseAt(adminUrl, tmpl);
  let engine = await createEngine({ appRoot: repoRoot, database: urlOf(adminUrl, tmpl) });
  const seed = await seedLarge(engine, 0);
  await engine.close();
  // Three databases alike: the import's, the prepared INSERTs', COPY's.
  const [importDb, baseDb, copyDb] = ['i', 'b', 'c'].map((s) => `${tmpl}_${s}`);
  for (const d of [importDb, baseDb, copyDb]) await createDatabaseAt(adminUrl, d, { template: tmpl });
  engine = await createEngine({ appRoot: repoRoot, database: urlOf(adminUrl, importDb) });
  try {
    const root = (await pgOf(engine).query<{ id: string; path: string }>('SELECT id, path FROM records WHERE id = $1', [seed.root])).rows[0];
    const paths = new Map((await pgOf(engine).query<{ id: string; path: string }>("SELECT id, path FROM records WHERE collection = 'organization'")).rows.map((r) => [r.id, r.path]));
    const docs = Array.from({ length: rows }, (_, i) => memberDoc(seed.branches[i % seed.branches.length], 5_000_000 + i));
    const titles = engine.runtime.collection('member').schema.properties;
    const fields = Object.keys(docs[0]);
    const cell = (f: string, v: unknown) => (f === 'orgId' ? String(v) : typeof v === 'boolean' ? (v ? '是' : '否') : String(v ?? ''));
    const now = new Date().toISOString();
    // region: the distribution column every writer sets (migration 5), as the engine's batch does.
    const cols = 'id, collection, node_id, path, data, state, workflow, complete, code_versions, version, created_at, created_by, updated_at, updated_by, region';
    const rowOf = (d: Record<string, unknown>) => [newId(), d.orgId, paths.get(d.orgId as string), JSON.stringify(d), now, now];

    // Baseline, as on SQLite: one prepared INSERT per row into the records table (its indexes and
    // counter triggers included), one transaction, through the driver.
    const raw = new pg.Client({ connectionString: urlOf(adminUrl, baseDb) });
    await raw.connect();
    const baseline = (part: Record<string, unknown>[]) => time(async () => {
      await raw.query('BEGIN');
      for (const d of part) {
        await raw.query({ name: 'bench_insert', values: rowOf(d),
          text: `INSERT INTO records (${cols}) VALUES ($1, 'member', $2, $3, $4, 'draft', 'member-confirmation@1', true, '{}', 1, $5, 'bench', $6, 'bench', path_region($3))` });
      }
      await raw.query('COMMIT');
    });
    // COPY of the same rows (text format through psql, whose start is in the time: a few ms).
    const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
    const psql = join(postgresBin(), 'psql');
    const copy = (part: Record<string, unknown>[]) => {
      const text = part.map((d) => { const [id, node, path, data] = rowOf(d) as string[]; return [id, 'member', node, path, esc(data), 'draft', 'member-confirmation@1', 't', '{}', '1', now, 'bench', now, 'bench', regionOfPath(path, DEFAULT_REGION_DEPTH)].join('\t'); }).join('\n') + '\n';
      return time(() => new Promise<void>((res, rej) => {
        const child = execFile(psql, ['-q', '-v', 'ON_ERROR_STOP=1', '-d', urlOf(adminUrl, copyDb), '-c', `COPY records (${cols}) FROM STDIN`], (e) => (e ? rej(e) : res()));
        child.stdin!.end(text);
      }));
    };
    const user = rootPrincipal(root);
    const half = Math.ceil(rows / 2);
    let tBase = 0, tCopy = 0, tPreview = 0, tCommit = 0;
    for (const part of [docs.slice(0, half), docs.slice(half)]) {
      tBase += (await baseline(part))[0];
      tCopy += (await copy(part))[0];
      const csv = Buffer.from([fields.map((f) => titles[f].title).join(','), ...part.map((d) => fields.map((f) => cell(f, d[f])).join(','))].join('\n'));
      const [tp, preview] = await time(() => runPreview(engine, user, 'member', csv, { filename: 'bench.csv' }));
      if (preview.counts.new !== part.length) throw new Error(`import preview: ${JSON.stringify(preview.counts)}`);
      tPreview += tp;
      tCommit += (await time(() => runCommit(engine, user, preview.id)))[0];
    }
    await raw.end();
    const rate = (t: number) => rows / (t / 1000);
    const [rBase, rAll, rCommit, rCopy] = [rate(tBase), rate(tPreview + tCommit), rate(tCommit), rate(tCopy)];
    add(`import ${rows} rows: parse + validate + preview + store + audit (rows/s; ${load()})`, rAll.toFixed(0), `${rBase.toFixed(0)} prepared INSERT`, (rAll / rBase).toFixed(2), '≥ 0.5', rAll / rBase >= 0.5);
    add('  of which commit alone (re-validate, store, keys, audit, counters)', rCommit.toFixed(0), `${rBase.toFixed(0)} prepared INSERT`, (rCommit / rBase).toFixed(2), '–', null);
    add('  COPY of the same rows into records (the physical limit; indexes and counters included)', rCopy.toFixed(0), `${rBase.toFixed(0)} prepared INSERT`, (rCopy / rBase).toFixed(2), '–', null);
    log(`pg import: ${load()}`);
  } finally {
    await engine.close();
  }
}

// ── Server processes over the large database ─────────────────────────────────────────────────
async function startServer(url: string): Promise<{ child: ChildProcess; base: string }> {
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const child = spawnLikeStart(join(repoRoot, 'test/bench/server.ts'), { PORT: port, CAIJI_DB: url }, ['ignore', 'ignore', 'inherit']);
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    try { if ((await fetch(`${base}/api/health`)).ok) return { child, base }; } catch { /* starting */ }
    if (child.exitCode !== null) throw new Error(`bench server on ${url} exited`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const stop = async (child: ChildProcess) => { child.kill('SIGTERM'); await new Promise((r) => child.once('exit', r)); };

/**
 * Members saved through the engine's RecordService in this process (4 concurrent loops, no HTTP,
 * no session), after a warm-up: CPU per save of this process and of the cluster.
 */
async function inProcessSaves(url: string, node: string, postmaster: number, n = 4000): Promise<{ engine: number; pg: number; rate: number }> {
  const engine = await createEngine({ appRoot: repoRoot, database: url });
  try {
    const actor = actorOf(rootPrincipal(await rootOf(engine)));
    let seq = 300_000_000 + Math.floor(Math.random() * 200_000_000);
    const docs = Array.from({ length: n * 1.5 }, () => memberDoc(node, seq++)); // made beforehand, as the HTTP bodies are
    const loops = (count: number) => Promise.all(Array.from({ length: 4 }, async () => {
      for (let i = 0; i < count / 4; i++) await engine.records.create(actor, 'member', docs.pop());
    }));
    await loops(n / 2);
    const me0 = process.cpuUsage(), pg0 = clusterCpuMs(postmaster), t = performance.now();
    await loops(n);
    const me = process.cpuUsage(me0);
    return { engine: (me.user + me.system) / 1000 / n, pg: (clusterCpuMs(postmaster) - pg0) / n, rate: n / ((performance.now() - t) / 1000) };
  } finally {
    await engine.close();
  }
}

async function serverFigures(url: string, port: number, add: Add, log: (s: string) => void) {
  const a = await startServer(url);
  let b: { child: ChildProcess; base: string } | undefined;
  const since = new Date().toISOString();
  try {
    const branchA = new Client(a.base);
    await branchA.post('/api/login', { username: 'bench_branch', password: 'bench-pass' });
    const node = (await branchA.get('/api/tree')).body.roots[0].id;
    const constantA = () => fetch(`${a.base}/bench/constant`).then((r) => r.text()).then(() => undefined);
    const [list, constant] = await pairedP50(200, () => branchA.get(`/api/records/member?node=${node}&limit=50`), constantA);
    add(`member list page, 50 rows, one branch (p50, HTTP; ${load()})`, ms(list), `${ms(constant)} constant route`, (list / constant).toFixed(1), '≤ 10 ms', list <= 10);

    let seq = 10_000_000 + Math.floor(Math.random() * 200_000_000);
    const bodies = () => Array.from({ length: 30_000 }, () => JSON.stringify(memberDoc(node, seq++)));
    const saveA = preparedPoster(`${a.base}/api/records/member`, branchA, bodies(), [201]);
    await throughput(4, 3, saveA); // warm: the first saves still compile
    let sA = 0, cA = 0;
    for (let r = 0; r < 4; r++) { sA += await throughput(4, 1, saveA); cA += await throughput(4, 1, constantA); }
    add(`save one member over HTTP (req/s, 4 clients; ${load()})`, (sA / 4).toFixed(0), `${(cA / 4).toFixed(0)} constant route`, (sA / cA).toFixed(2), '≥ 0.3', sA / cA >= 0.3);

    // Two instances: the same 4 clients, two on each, against all four on one — alternating
    // windows. Each window's CPU by process says where the time goes on two shared cores.
    b = await startServer(url);
    const branchB = new Client(b.base);
    await branchB.post('/api/login', { username: 'bench_branch', password: 'bench-pass' });
    const saveB = preparedPoster(`${b.base}/api/records/member`, branchB, bodies(), [201]);
    await throughput(2, 3, saveB);
    const postmaster = postmasterPid(port);
    const both = (i: number) => (Math.floor(i / 1e6) % 2 ? saveB() : saveA());
    const window = async (fn: (i: number) => Promise<void>, pids: number[]) => {
      const cpu0 = pids.map(cpuMs), pg0 = clusterCpuMs(postmaster), me0 = process.cpuUsage();
      const rate = await throughput(4, 2, fn);
      const me = process.cpuUsage(me0);
      const saves = rate * 2;
      return { rate, inst: pids.map((p, i) => cpuMs(p) - cpu0[i]).reduce((x, y) => x + y, 0) / saves, pg: (clusterCpuMs(postmaster) - pg0) / saves, client: (me.user + me.system) / 1000 / saves };
    };
    const one: Awaited<ReturnType<typeof window>>[] = [], two: typeof one = [];
    for (let r = 0; r < 4; r++) { one.push(await window(() => saveA(), [a.child.pid!])); two.push(await window(both, [a.child.pid!, b.child.pid!])); }
    const avg = (xs: typeof one, k: keyof (typeof one)[0]) => xs.reduce((s, x) => s + x[k], 0) / xs.length;
    const [r1, r2] = [avg(one, 'rate'), avg(two, 'rate')];
    add(`saves/s, two instances over one PostgreSQL (4 clients, 2 on each; ${load()})`, r2.toFixed(0), `${r1.toFixed(0)} one instance`, (r2 / r1).toFixed(2), '≥ 1.2', r2 / r1 >= 1.2);
    const cpu = (xs: typeof one) => `instances ${avg(xs, 'inst').toFixed(2)} + PostgreSQL ${avg(xs, 'pg').toFixed(2)} + client ${avg(xs, 'client').toFixed(2)} ms`;
    add('  CPU per save, two instances', cpu(two), cpu(one) + ' (one)', '–', '–', null);
    // With a core per process: each instance saturates its own core (its CPU per save), as long as
    // PostgreSQL has cores enough for its share; the client runs elsewhere.
    const perCore = 1000 / avg(two, 'inst') * 2;
    add('  saves/s two instances would reach with a core each (and PostgreSQL its own)', perCore.toFixed(0), `${r1.toFixed(0)} one instance here`, (perCore / r1).toFixed(2), '–', null);
    // The save ratio above shares two cores between client, instance and PostgreSQL, while the
    // constant route needs no database: by CPU per request, the ratio with PostgreSQL elsewhere.
    const constant1: typeof one = [];
    for (let r = 0; r < 2; r++) constant1.push(await window(() => constantA(), [a.child.pid!]));
    const constCpu = avg(constant1, 'inst') + avg(constant1, 'client');
    const saveCpu = avg(one, 'inst') + avg(one, 'client');
    add('  save ratio by CPU of client and instance (PostgreSQL on cores of its own)', `${saveCpu.toFixed(2)} ms per save`, `${constCpu.toFixed(2)} ms constant route`, (constCpu / saveCpu).toFixed(2), '≥ 0.3', null);
    // The most the two cores allow: every cycle of both spent on saves, none idle or on anything
    // else — 2 000 ms of CPU per second over the CPU a save costs the client, the instance and
    // PostgreSQL together. Below 0.3 × the constant route, no scheduling of the same work meets it.
    const bound = 2000 / (avg(one, 'inst') + avg(one, 'pg') + avg(one, 'client'));
    add('  saves/s at full use of both cores (2 000 ms ÷ CPU per save above)', bound.toFixed(0), `${(cA / 4).toFixed(0)} constant route`, (bound / (cA / 4)).toFixed(2), '≥ 0.3', null);
    // The same saves without HTTP, from four loops in this process: what the write costs PostgreSQL
    // and the engine when nothing else (client, HTTP, a second process on the cores) is in between.
    const alone = await inProcessSaves(url, node, postmaster);
    add('  CPU per save without HTTP (the service\'s create, 4 loops in one process)', `engine ${alone.engine.toFixed(2)} + PostgreSQL ${alone.pg.toFixed(2)} ms`, `instance ${avg(one, 'inst').toFixed(2)} + PostgreSQL ${avg(one, 'pg').toFixed(2)} ms over HTTP`, '–', '–', null);
    const best = 2000 / (avg(one, 'inst') + alone.pg + avg(one, 'client'));
    add('  saves/s at full use of both cores, PostgreSQL at its cost without HTTP', best.toFixed(0), `${(cA / 4).toFixed(0)} constant route`, (best / (cA / 4)).toFixed(2), '≥ 0.3', null);
    log(`pg servers: ${load()}`);
  } finally {
    if (b) await stop(b.child);
    await stop(a.child);
    // The members saved here go again (the counters follow by trigger; their audit entries stay),
    // so a kept cluster measures the seeded size next time too.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rowCount } = await db.query("DELETE FROM records WHERE collection = 'member' AND created_by <> 'seed' AND created_at >= $1", [since]);
    await db.end();
    log(`pg: removed the ${rowCount} members this run saved`);
  }
}

/** Every PostgreSQL figure, added to the caller's table. */
export async function benchPostgres(opts: PgBenchOptions, add: Add, log: (s: string) => void): Promise<void> {
  const cluster = opts.clusterUrl ? null : await startPgCluster();
  const adminUrl = opts.clusterUrl ?? cluster!.adminUrl;
  try {
    if (cluster) await tune(cluster);
    log(`pg cluster ${adminUrl} (${load()})`);
    const smallUrl = await seeded(adminUrl, opts.small, log);
    const largeUrl = await seeded(adminUrl, opts.members, log);
    const wanted = (group: string) => !opts.only || opts.only.includes(group);
    if (wanted('stats')) await statsAndSize(largeUrl, smallUrl, add);
    if (wanted('import')) await importFigures(adminUrl, opts.importRows, add, log);
    if (wanted('servers')) await serverFigures(largeUrl, Number(new URL(adminUrl).port), add, log);
    if (wanted('query')) {
      log(`pg 查询统计: ${load()}`);
      await benchQueryStats(largeUrl, add);
    }
  } finally {
    if (cluster && !opts.keep) await cluster.stop();
    else if (cluster) log(`cluster kept: --pg-cluster ${adminUrl}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, def?: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def; };
  const rows: string[][] = [];
  await benchPostgres({
    members: Number(arg('pg-members', '200000')), small: Number(arg('pg-small', '20000')), importRows: Number(arg('import-rows', '10000')),
    keep: process.argv.includes('--pg-keep'), clusterUrl: arg('pg-cluster'), only: arg('pg-only')?.split(','),
  }, (...r) => { rows.push(r.map(String)); }, (s) => process.stderr.write(`[bench] ${s}\n`));
  for (const r of rows) console.log(`| PostgreSQL | ${r.join(' | ')} |`);
}
