/**
 * `npx tsx test/bench/save-bench.ts [--db data/bench-20000.db] [--clients 4] [--rounds 4]
 * [--only-save N] [--prof]`: the save-over-HTTP figures of `npm run bench` alone, on a copy of
 * a seeded database, for iterating on the write path. Prints the server's CPU time per save and
 * per constant request, its CPU by thread (main, V8 helpers, SQLite's pool), and the paired
 * throughputs; `--db postgres://…/bench_20000` measures on PostgreSQL. `--only-save N` times N saves and the WAL's size as it goes; `--prof` writes a CPU
 * profile of the server to /tmp/prof.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { Client } from '../helpers/client.js';
import { memberDoc } from './generate.js';
import { preparedPoster, serverCpuPerRequest, throughput } from './load.js';
import { spawnLikeStart } from './product-process.js';
import { clusterCpuMs, postmasterPid } from './pg-processes.js';

const arg = (name: string, def?: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def; };
// A postgres:// URL is used as it is (a database `postgres-bench.ts --pg-keep` seeded); a SQLite file is copied.
const source = arg('db', 'data/bench-20000.db')!;
const onPg = source.startsWith('postgres://');
const dbFile = onPg ? source : join(mkdtempSync(join(tmpdir(), 'caiji-save-')), 'db.sqlite');
if (!onPg) copyFileSync(resolve(source), dbFile);
const port = String(20000 + Math.floor(Math.random() * 20000));
const prof = process.argv.includes('--prof') ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [];
const child = spawnLikeStart(join(repoRoot, 'test/bench/server.ts'), { PORT: port, CAIJI_DB: dbFile }, ['ignore', 'ignore', 'inherit'], prof);
const base = `http://127.0.0.1:${port}`;
for (;;) { try { if ((await fetch(`${base}/api/health`)).ok) break; } catch { /* starting */ } await new Promise((r) => setTimeout(r, 50)); }
const branch = new Client(base);
await branch.post('/api/login', { username: 'bench_branch', password: 'bench-pass' });
const node = (await branch.get('/api/tree')).body.roots[0].id;
const clients = Number(arg('clients', '4'));

let seq = 10_000_000 + Math.floor(Math.random() * 200_000_000);
const save = preparedPoster(`${base}/api/records/member`, branch,
  Array.from({ length: 30_000 + Number(arg('only-save', '0')) }, () => JSON.stringify(memberDoc(node, seq++))), [201]);
const constant = () => fetch(`${base}/bench/constant`).then((r) => r.text()).then(() => undefined);

/** CPU time per thread of the server so far, ms, by "tid:name". */
const threads = () => Object.fromEntries(readdirSync(`/proc/${child.pid}/task`).map((t) => {
  const stat = readFileSync(`/proc/${child.pid}/task/${t}/stat`, 'utf8');
  const f = stat.split(') ')[1].split(' ');
  return [`${t}:${/\(([^)]*)\)/.exec(stat)![1]}`, (Number(f[11]) + Number(f[12])) * 10];
}));

await throughput(clients, 4, save); // warm up: the first thousands of saves still compile
if (arg('only-save')) {
  const n = Number(arg('only-save'));
  let done = 0, lap = performance.now();
  const t0 = lap;
  await Promise.all(Array.from({ length: clients }, async () => {
    for (let i = 0; i < n / clients; i++) {
      await save();
      if (++done % 2000 === 0) {
        const wal = onPg ? 0 : (() => { try { return statSync(`${dbFile}-wal`).size; } catch { return 0; } })();
        console.log(`${done}: ${(2000 / ((performance.now() - lap) / 1000)).toFixed(0)} saves/s, WAL ${(wal / 1e6).toFixed(1)} MB`);
        lap = performance.now();
      }
    }
  }));
  console.log(`${n} saves: ${(n / ((performance.now() - t0) / 1000)).toFixed(0)} /s`);
} else {
  const t0 = threads();
  const postmaster = onPg ? postmasterPid(Number(new URL(source).port)) : 0;
  const pg0 = onPg ? clusterCpuMs(postmaster) : 0;
  const saveCpu = await serverCpuPerRequest(child.pid!, 2000, clients, save);
  if (onPg) console.log(`PostgreSQL CPU per save ${((clusterCpuMs(postmaster) - pg0) / 2000).toFixed(3)} ms`);
  const t1 = threads();
  const constCpu = await serverCpuPerRequest(child.pid!, 4000, clients, constant);
  console.log(`server CPU per save ${saveCpu.toFixed(3)} ms, per constant request ${constCpu.toFixed(3)} ms (ratio ${(constCpu / saveCpu).toFixed(2)})`);
  console.log(`per save by thread: ${Object.entries(t1).map(([k, v]) => [k, (v - (t0[k] ?? 0)) / 2000] as const).filter(([, v]) => v >= 0.01).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
  let s = 0, c = 0;
  const rounds = Number(arg('rounds', '4'));
  for (let i = 0; i < rounds; i++) { s += await throughput(clients, 1, save); c += await throughput(clients, 1, constant); }
  console.log(`throughput with ${clients} clients: save ${(s / rounds).toFixed(0)}/s, constant ${(c / rounds).toFixed(0)}/s, ratio ${(s / c).toFixed(2)}`);
}
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
if (!onPg) rmSync(dirname(dbFile), { recursive: true, force: true });
