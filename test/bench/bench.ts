/**
 * `npm run bench [-- --db data/bench-1000000.db] [--import-rows 10000]`: each figure measured
 * together with a baseline in the same run and reported as a ratio, so it holds on a busy
 * machine. Without --db a 20 000-member database is seeded first (the 1 000 000 figures need
 * `npm run seed:large -- --members 1000000`). Then the PostgreSQL side (postgres-bench.ts) in a
 * throwaway cluster of its own, seeded with `--pg-members` (default 200 000; 1 000 000 takes
 * minutes) and `--pg-small` (20 000) members: both adapters side by side in one table.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import sqlite3 from 'sqlite3';
import { createEngine, type Engine } from '../../engine/engine.js';
import { runPreview, runCommit } from '../../engine/import/index.js';
import { subtreeStats } from '../../engine/records/stats.js';
import { newId } from '../../engine/ports.js';
import { AppRuntime } from '../../engine/runtime/runtime.js';
import type { Principal } from '../../engine/auth/principal.js';
import { pathUpperBound } from '../../engine/tree-paths.js';
import { repoRoot } from '../helpers/paths.js';
import { Client } from '../helpers/client.js';
import { memberDoc, unitDoc } from './generate.js';
import { seedLarge } from './seed-large.js';
import { benchImpact, benchPublishRename } from './impact-bench.js';
import { benchQueryStats } from './query-stats-bench.js';
import { benchChildImport } from './child-import-bench.js';
import { preparedPoster, rss, serverCpuPerRequest, throughput } from './load.js';
import { spawnLikeStart } from './product-process.js';
import { sqliteOf } from '../helpers/sqlite-of.js';
import { benchPostgres, load } from './postgres-bench.js';
import { sqliteBytes } from './sqlite-bytes.js';

const arg = (name: string, def?: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def; };
const IMPORT_ROWS = Number(arg('import-rows', '10000'));
/** Members of the PostgreSQL side's large and small databases (seeded in its own cluster each run). */
const PG_MEMBERS = Number(arg('pg-members', '200000'));
const PG_SMALL = Number(arg('pg-small', '20000'));
const tmp = mkdtempSync(join(tmpdir(), 'caiji-bench-'));
const rows: { adapter: string; figure: string; value: string; baseline: string; ratio: string; target: string; ok: string }[] = [];
/** The adapter the figures being added were measured on: both side by side in one table. */
let adapter = 'SQLite';
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
const add = (figure: string, value: string, baseline: string, ratio: string, target: string, ok: boolean | null) =>
  rows.push({ adapter, figure, value, baseline, ratio, target, ok: ok === null ? '–' : ok ? 'yes' : 'NO' });
const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}
async function samples(n: number, fn: () => Promise<unknown>, warm = 3): Promise<number[]> {
  for (let i = 0; i < warm; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await time(fn))[0]);
  return out;
}
/** Requests per second with `conc` clients looping for `seconds`. */
/** p50 of two operations sampled alternately, so both see the same machine load. */
async function pairedP50(n: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  for (let i = 0; i < 3; i++) { await a(); await b(); }
  const xa: number[] = [], xb: number[] = [];
  for (let i = 0; i < n; i++) { xa.push((await time(a))[0]); xb.push((await time(b))[0]); }
  return [p50(xa), p50(xb)];
}
/** Throughputs of two workloads in alternating windows (rounds × seconds each). */
async function pairedThroughput(rounds: number, seconds: number, conc: number, a: () => Promise<void>, b: () => Promise<void>): Promise<[number, number]> {
  let na = 0, nb = 0, ta = 0, tb = 0;
  for (let r = 0; r < rounds; r++) {
    const ra = await throughput(conc, seconds, a); na += ra * seconds; ta += seconds;
    const rb = await throughput(conc, seconds, b); nb += rb * seconds; tb += seconds;
  }
  return [na / ta, nb / tb];
}
const rootPrincipal = (root: { id: string; path: string }): Principal => ({
  userId: 'bench', username: 'bench', displayName: 'bench', grants: [{ role: 'admin', nodeId: root.id, path: root.path }], sessionId: '', csrf: '',
});

// ── 1. Import vs a raw batched insert of the same rows ────────────────────────────────────────
async function benchImport() {
  const dbA = join(tmp, 'import.db');
  const engine = await createEngine({ appRoot: repoRoot, database: dbA });
  const seeded = await seedLarge(engine, 0);
  await sqliteOf(engine).exec('PRAGMA wal_checkpoint(TRUNCATE)');
  const dbB = join(tmp, 'baseline.db');
  copyFileSync(dbA, dbB);
  const root = (await sqliteOf(engine).get<{ id: string; path: string }>('SELECT id, path FROM records WHERE id = ?', [seeded.root]))!;
  const paths = new Map((await sqliteOf(engine).all<{ id: string; path: string }>("SELECT id, path FROM records WHERE collection = 'organization'")).map((r) => [r.id, r.path]));
  const docs = Array.from({ length: IMPORT_ROWS }, (_, i) => memberDoc(seeded.branches[i % seeded.branches.length], 5_000_000 + i));
  const titles = engine.runtime.collection('member').schema.properties;
  const fields = Object.keys(docs[0]);
  const cell = (f: string, v: unknown) => (f === 'orgId' ? String(v) : typeof v === 'boolean' ? (v ? '是' : '否') : String(v ?? ''));

  // Baseline: the sqlite3 driver, one prepared INSERT per row into the records table (with its
  // indexes and counter triggers), one transaction. Two rounds, alternating with the import.
  const raw = new sqlite3.Database(dbB);
  const exec = (sql: string) => new Promise<void>((res, rej) => raw.exec(sql, (e) => (e ? rej(e) : res())));
  await exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
  const now = new Date().toISOString();
  const baseline = (part: Record<string, unknown>[]) => time(async () => {
    await exec('BEGIN');
    const st = raw.prepare(`INSERT INTO records (id, collection, node_id, path, data, state, workflow, complete, code_versions, version, created_at, created_by, updated_at, updated_by)
      VALUES (?, 'member', ?, ?, ?, 'draft', 'member-confirmation@1', 1, '{}', 1, ?, 'bench', ?, 'bench')`);
    await Promise.all(part.map((d) => new Promise<void>((res, rej) => st.run([newId(), d.orgId, paths.get(d.orgId as string), JSON.stringify(d), now, now], (e: Error | null) => (e ? rej(e) : res())))));
    await new Promise((res) => st.finalize(res));
    await exec('COMMIT');
  });
  const user = rootPrincipal(root);
  const half = Math.ceil(IMPORT_ROWS / 2);
  let tBase = 0, tPreview = 0, tCommit = 0;
  for (const part of [docs.slice(0, half), docs.slice(half)]) {
    tBase += (await baseline(part))[0];
    const csv = Buffer.from([fields.map((f) => titles[f].title).join(','), ...part.map((d) => fields.map((f) => cell(f, d[f])).join(','))].join('\n'));
    const [tp, preview] = await time(() => runPreview(engine, user, 'member', csv, { filename: 'bench.csv' }));
    if (preview.counts.new !== part.length) throw new Error(`import preview: ${JSON.stringify(preview.counts)} ${JSON.stringify(preview.rows.slice(0, 2))}`);
    tPreview += tp;
    tCommit += (await time(() => runCommit(engine, user, preview.id)))[0];
  }
  await new Promise((res) => raw.close(res));
  const [tStats, small] = await (async () => {
    const xs = await samples(200, () => subtreeStats(engine.storage, engine.runtime, root.path));
    return [p50(xs), (await subtreeStats(engine.storage, engine.runtime, root.path))[0].total] as const;
  })();
  await engine.close();
  const rBase = IMPORT_ROWS / (tBase / 1000);
  const rAll = IMPORT_ROWS / ((tPreview + tCommit) / 1000);
  const rCommit = IMPORT_ROWS / (tCommit / 1000);
  add(`import ${IMPORT_ROWS} rows: parse + validate + preview + store + audit (rows/s)`, rAll.toFixed(0), `${rBase.toFixed(0)} raw INSERT`, (rAll / rBase).toFixed(2), '≥ 0.5', rAll / rBase >= 0.5);
  add('  of which commit alone (re-validate, store, keys, audit, counters)', rCommit.toFixed(0), `${rBase.toFixed(0)} raw INSERT`, (rCommit / rBase).toFixed(2), '–', null);
  return { statsSmall: tStats, membersSmall: small };
}

// ── 2. Server figures on the large database ──────────────────────────────────────────────────
function spawnServer(script: string, env: Record<string, string>): Promise<{ child: ChildProcess; ms: number }> {
  const t = performance.now();
  const child = spawnLikeStart(script, env, ['ignore', 'pipe', 'inherit']);
  return new Promise((resolveP, reject) => {
    const poll = async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${env.PORT}/api/health`);
        if (res.status === 200) return resolveP({ child, ms: performance.now() - t });
      } catch { /* not up yet */ }
      if (child.exitCode !== null) return reject(new Error(`${script} exited`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

async function benchServer(dbFile: string, statsSmall: number, membersSmall: number) {
  let savedSince: { node: string; at: string } | undefined;
  // Counters read directly: root of the large database against the small one.
  const engine = await createEngine({ appRoot: repoRoot, database: dbFile });
  const root = (await sqliteOf(engine).get<{ id: string; path: string }>("SELECT id, path FROM records WHERE collection = 'organization' AND node_id IS NULL LIMIT 1"))!;
  const members = (await sqliteOf(engine).get<{ n: number }>("SELECT count(*) AS n FROM records WHERE collection = 'member'"))!.n;
  const [statsLarge, one] = await pairedP50(200, () => subtreeStats(engine.storage, engine.runtime, root.path), () => sqliteOf(engine).get('SELECT 1'));
  add(`tree statistics, root of ${members} members (p50)`, ms(statsLarge), `${ms(one)} SELECT 1`, (statsLarge / one).toFixed(1), '≤ 20 ms', statsLarge <= 20);
  add(`  same, root of ${membersSmall} members (p50): independent of size`, ms(statsSmall), ms(statsLarge), (statsLarge / statsSmall).toFixed(2), '≈ 1', null);
  const [scan] = await time(() => sqliteOf(engine).all("SELECT state, count(*), sum(complete) FROM records WHERE collection = 'member' AND path >= ? AND path < ? GROUP BY state", [root.path, pathUpperBound(root.path)]));
  add('  (for comparison: the same figures by a scan, once)', ms(scan), '–', '–', '–', null);
  await engine.close();

  const port = String(20000 + Math.floor(Math.random() * 20000));
  // Start-up: median of three starts each (the first may pay for tsx's transform cache).
  const starts = async (script: string, env: Record<string, string>) => {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await spawnServer(script, env);
      times.push(s.ms);
      if (i === 2) return { child: s.child, ms: p50(times) };
      s.child.kill('SIGTERM');
      await new Promise((r) => s.child.once('exit', r));
    }
    throw new Error('unreachable');
  };
  const hello = await starts(join(repoRoot, 'test/bench/hello.ts'), { PORT: port });
  hello.child.kill('SIGTERM');
  await new Promise((r) => hello.child.once('exit', r));
  const { child, ms: startMs } = await starts(join(repoRoot, 'test/bench/server.ts'), { PORT: port, CAIJI_DB: dbFile });
  const base = `http://127.0.0.1:${port}`;
  try {
    add(`start-up to healthy (${members} members)`, ms(startMs), `${ms(hello.ms)} tsx + Hono hello`, (startMs / hello.ms).toFixed(1), '≤ 3 s', startMs <= 3000);
    const branch = new Client(base);
    await branch.post('/api/login', { username: 'bench_branch', password: 'bench-pass' });
    const rootC = new Client(base);
    await rootC.post('/api/login', { username: 'bench_root', password: 'bench-pass' });
    const node = (await branch.get('/api/tree')).body.roots[0].id;
    const constantReq = () => fetch(`${base}/bench/constant`).then((r) => r.text());
    const [list, constant] = await pairedP50(200, () => branch.get(`/api/records/member?node=${node}&limit=50`), constantReq);
    add(`member list page, 50 rows, one branch of ${members} (p50, HTTP; ${load()})`, ms(list), `${ms(constant)} constant route`, (list / constant).toFixed(1), '≤ 10 ms', list <= 10);
    const [treeHttp] = await pairedP50(50, () => rootC.get(`/api/tree/${root.id}`), constantReq);
    add('  GET /api/tree/:root (node + 16 children with figures, p50)', ms(treeHttp), `${ms(constant)} constant route`, (treeHttp / constant).toFixed(1), '–', null);

    let seq = 10_000_000 + Math.floor(Math.random() * 200_000_000);
    savedSince = { node, at: new Date().toISOString() };
    // Documents prepared before the clock runs, as a load generator replays its requests.
    const saveReq = preparedPoster(`${base}/api/records/member`, branch,
      Array.from({ length: 40_000 }, () => JSON.stringify(memberDoc(node, seq++))), [201]);
    // Steady state, as for the constant route the lists above already warmed: the first few
    // thousand saves still compile (validator, write path, JSON of the answer).
    await throughput(4, 3, saveReq);
    const [saveRate, constRate] = await pairedThroughput(4, 1, 4, saveReq, () => constantReq().then(() => undefined));
    add(`save one member over HTTP (req/s, 4 clients; ${load()})`, saveRate.toFixed(0), `${constRate.toFixed(0)} constant route`, (saveRate / constRate).toFixed(2), '≥ 0.3', saveRate / constRate >= 0.3);
    // The same two requests by the server's CPU time (all its threads): the client's share of a
    // two-core machine, which weighs on both throughputs above, is out of this one.
    const saveCpu = await serverCpuPerRequest(child.pid!, 2000, 4, saveReq);
    const constCpu = await serverCpuPerRequest(child.pid!, 4000, 4, () => constantReq().then(() => undefined));
    add('  server CPU per request: save against constant route', ms(saveCpu), `${ms(constCpu)} constant route`, (constCpu / saveCpu).toFixed(2), '–', null);

    const memBefore = rss(child.pid!);
    add(`server memory (RSS) after lists, statistics and saves, ${members} members`, `${memBefore.toFixed(0)} MB`, '–', '–', '≤ 300 MB', memBefore <= 300);

    // A 联合党支部 with 1000 units (made once, through the import API), then its xlsx.
    const code = '019999999632';
    let lianhe = (await rootC.get(`/api/records/organization?q=${code}`)).body.items[0]?.id;
    if (!lianhe) {
      const community = (await rootC.get(`/api/tree/${(await rootC.get(`/api/tree/${(await rootC.get(`/api/tree/${root.id}`)).body.children[0].id}`)).body.children[0].id}`)).body.children[0].id;
      lianhe = (await rootC.post('/api/records/organization', { parentId: community, fullName: '中共测试联合支部委员会', shortName: '测试联合支部', orgCode: code, category: '632', unitSituation: '3' })).body.id;
    }
    const units = Array.from({ length: 1000 }, (_, i) => unitDoc(lianhe, i));
    const ucols = ['orgId', 'fullName', 'shortName', 'creditCode', 'orgCode', 'category'];
    const props = AppRuntime.load(repoRoot).collection('unit').schema.properties;
    const uhead = ucols.map((f) => props[f].title);
    const ucsv = [uhead.join(','), ...units.map((u) => ucols.map((f) => String(u[f])).join(','))].join('\n');
    const up = await fetch(`${base}/api/import/unit/preview`, { method: 'POST', body: ucsv, headers: { 'content-type': 'text/csv', cookie: rootC.cookie, 'x-csrf-token': rootC.csrf } }).then((r) => r.json()) as any;
    if (up.canCommit) await rootC.post('/api/import/unit/commit', { previewId: up.id });
    else if (up.counts?.invalid) log(`unit import: ${JSON.stringify(up.rows?.[0])}`);
    const xlsxUrl = `/api/records/organization/${lianhe}/documents/org-sheet.xlsx`;
    const probe = await fetch(base + xlsxUrl, { headers: { cookie: rootC.cookie } });
    if (probe.status === 200) {
      const [xs, c2] = await pairedP50(5, () => fetch(base + xlsxUrl, { headers: { cookie: rootC.cookie } }).then((r) => r.arrayBuffer()), constantReq);
      add('xlsx of a 联合党支部 with 1 000 units (p50)', ms(xs), `${ms(c2)} constant route`, (xs / c2).toFixed(0), '≤ 500 ms', xs <= 500);
    } else add('xlsx of a 联合党支部 with 1 000 units', `not measurable (${probe.status})`, '–', '–', '≤ 500 ms', null);

    // PDF: one sheet, 50 and then 1000 sheets in one PDF, with the browsers up. The server keeps
    // a warm page (and its browser) per core: the first print starts one, the first batch the
    // other, and the 50-sheet batches before the 1000 have loaded both pages' fonts.
    const ids: string[] = [];
    let cursor = '';
    while (ids.length < 1000) {
      const page = await rootC.get(`/api/records/member?node=${root.id}&deep=1&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
      ids.push(...page.body.items.map((r: any) => r.id));
      if (!page.body.nextCursor) break;
      cursor = page.body.nextCursor;
    }
    const pdfUrl = `/api/records/member/${ids[0]}/documents/member-sheet.pdf`;
    const first = await fetch(base + pdfUrl, { headers: { cookie: rootC.cookie } });
    await first.arrayBuffer();
    if (first.status === 200) {
      const [one, c3] = await pairedP50(7, () => fetch(base + pdfUrl, { headers: { cookie: rootC.cookie } }).then((r) => r.arrayBuffer()), constantReq);
      add('PDF, one member sheet (p50, browser up)', ms(one), `${ms(c3)} constant route`, (one / c3).toFixed(0), '≤ 150 ms', one <= 150);
      let next = 0; // each batch other members: other names need other font slices, as in real use
      const fiftySheets = () => {
        const chunk = ids.slice(next, next + 50);
        next = (next + 50) % ids.length;
        return fetch(`${base}/api/records/member/documents/member-sheet`, {
          method: 'POST', headers: { cookie: rootC.cookie, 'x-csrf-token': rootC.csrf, 'content-type': 'application/json' },
          body: JSON.stringify({ ids: chunk }),
        }).then((r) => { if (r.status !== 200) throw new Error(`batch pdf: ${r.status}`); return r.arrayBuffer(); });
      };
      const fifty = p50(await samples(5, fiftySheets));
      add('PDF, 50 member sheets in one file (p50)', ms(fifty), `${ms(one)} one sheet`, (fifty / one).toFixed(1), '–', null);
      if (!process.argv.includes('--no-batch-pdf')) {
        const [batch] = await time(async () => {
          const job = await rootC.post('/api/records/member/documents/member-sheet.pdf?async=1', { ids: ids.slice(0, 1000) });
          if (job.status !== 202) throw new Error(`batch pdf: ${job.status} ${JSON.stringify(job.body).slice(0, 200)}`);
          for (;;) {
            const j = await rootC.get(`/api/jobs/${job.body.jobId ?? job.body.id}`);
            if (j.body.status === 'failed') throw new Error(`batch pdf failed: ${JSON.stringify(j.body)}`);
            if (j.body.status === 'done') break;
            await new Promise((r) => setTimeout(r, 100));
          }
        });
        add(`PDF, ${Math.min(1000, ids.length)} member sheets in one file`, ms(batch), `${ms(one)} one sheet`, (batch / one).toFixed(0), '≤ 5 s', batch <= 5000);
      }
    } else add('PDF, member sheets', `not measurable (${first.status})`, '–', '–', '≤ 150 ms / 5 s', null);

    const mem = rss(child.pid!);
    add(`server memory (RSS) after the documents too (Chromium not counted)`, `${mem.toFixed(0)} MB`, '–', '–', '≤ 300 MB', mem <= 300);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (savedSince) await removeSaved(dbFile, savedSince);
  }
}

/**
 * The members this run saved are deleted again (through SQL, so the counter triggers follow), so
 * the next run measures the same database: its figures name the seeded size, not a size grown by
 * earlier runs. Their audit entries stay: the log is append-only.
 */
async function removeSaved(dbFile: string, since: { node: string; at: string }) {
  const engine = await createEngine({ appRoot: repoRoot, database: dbFile });
  try {
    const { changes } = await sqliteOf(engine).run("DELETE FROM records WHERE collection = 'member' AND node_id = ? AND created_at >= ?", [since.node, since.at]);
    log(`removed the ${changes} members this run saved`);
  } finally {
    await engine.close();
  }
}

let dbFile = arg('db');
log(`machine: ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}`);
const { statsSmall, membersSmall } = await benchImport();
await benchChildImport(tmp, IMPORT_ROWS, add, log);
log('import done');
if (!dbFile) {
  dbFile = join(tmp, 'bench-20000.db');
  const e = await createEngine({ appRoot: repoRoot, database: dbFile });
  await seedLarge(e, 20000);
  await e.close();
}
if (!existsSync(dbFile)) throw new Error(`no database at ${dbFile}`);
await benchServer(resolve(dbFile), statsSmall, membersSmall);
await benchImpact(resolve(dbFile), add, tmp, log);
await benchPublishRename(resolve(dbFile), add, tmp, log);
await benchQueryStats(resolve(dbFile), add);
await sqliteBytes(resolve(dbFile), add);
adapter = 'PostgreSQL';
await benchPostgres({ members: PG_MEMBERS, small: PG_SMALL, importRows: IMPORT_ROWS }, add, log);
rmSync(tmp, { recursive: true, force: true });

const cols = ['adapter', 'figure', 'value', 'baseline', 'ratio', 'target', 'ok'] as const;
const w = (k: keyof (typeof rows)[0]) => Math.max(k.length, ...rows.map((r) => [...r[k]].length));
const line = (r: Record<string, string>) => `| ${cols.map((k) => r[k].padEnd(w(k))).join(' | ')} |`;
console.log(line({ adapter: 'adapter', figure: 'figure', value: 'measured', baseline: 'baseline (same run)', ratio: 'ratio', target: 'target', ok: 'met' }));
console.log(`|${cols.map((k) => '-'.repeat(w(k) + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log(`\n${cpus().length} cores (${cpus()[0]?.model}), ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
