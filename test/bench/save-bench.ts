/**
 * `npx tsx test/bench/save-bench.ts --db data/bench-20000.db`: only the save-over-HTTP figure,
 * for iterating on the write path (the full table is `npm run bench`).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from '../helpers/paths.js';
import { Client } from '../helpers/client.js';
import { memberDoc } from './generate.js';

const arg = (name: string, def?: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def; };
const src = resolve(arg('db', 'data/bench-20000.db')!);
const dbFile = join(mkdtempSync(join(tmpdir(), 'caiji-save-')), 'db.sqlite');
copyFileSync(src, dbFile);
const port = String(20000 + Math.floor(Math.random() * 20000));
const child = spawn(process.execPath, [...(process.argv.includes('--prof') ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), '--import', 'tsx', join(repoRoot, 'test/bench/server.ts')], { env: { ...process.env, PORT: port, CAIJI_DB: dbFile }, stdio: ['ignore', 'ignore', 'inherit'] });
const base = `http://127.0.0.1:${port}`;
for (;;) { try { if ((await fetch(`${base}/api/health`)).ok) break; } catch { /* starting */ } await new Promise((r) => setTimeout(r, 50)); }
const branch = new Client(base);
await branch.post('/api/login', { username: 'bench_branch', password: 'bench-pass' });
const node = (await branch.get('/api/tree')).body.roots[0].id;
async function throughput(conc: number, seconds: number, fn: () => Promise<void>) {
  let n = 0; const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: conc }, async () => { while (performance.now() < end) { await fn(); n++; } }));
  return n / seconds;
}
let seq = 10_000_000 + Math.floor(Math.random() * 200_000_000);
const save = async () => {
  const res = await branch.post('/api/records/member', memberDoc(node, seq++));
  if (res.status !== 201) throw new Error(`save: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
};
const constant = () => fetch(`${base}/bench/constant`).then((r) => r.text()).then(() => undefined);
if (arg('only-save')) {
  const n = Number(arg('only-save'));
  await throughput(4, 1, save);
  const t0 = performance.now();
  let done = 0, tl = t0;
  await Promise.all([0, 1, 2, 3].map(async () => {
    for (let i = 0; i < n / 4; i++) {
      await save();
      if (++done % 2000 === 0) {
        const wal = (() => { try { return statSync(`${dbFile}-wal`).size; } catch { return 0; } })();
        console.log(`${done}: ${(2000 / ((performance.now() - tl) / 1000)).toFixed(0)} /s, wal ${(wal / 1e6).toFixed(1)} MB`);
        tl = performance.now();
      }
    }
  }));
  console.log(`${n} saves: ${(n / ((performance.now() - t0) / 1000)).toFixed(0)} /s`);
  child.kill('SIGTERM');
  process.exit(0);
}
const cpu = () => { const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const threads = () => Object.fromEntries(readdirSync(`/proc/${child.pid}/task`).map((t) => { const st = readFileSync(`/proc/${child.pid}/task/${t}/stat`, 'utf8'); const name = /\(([^)]*)\)/.exec(st)![1]; const f = st.split(') ')[1].split(' '); return [`${t}:${name}`, (Number(f[11]) + Number(f[12])) * 10]; }));
const cpuPer = async (n: number, fn: () => Promise<void>) => {
  const c0 = cpu(), u0 = process.cpuUsage(), t0 = threads();
  await Promise.all([0, 1, 2, 3].map(async () => { for (let i = 0; i < n / 4; i++) await fn(); }));
  const u = process.cpuUsage(u0);
  const t1 = threads();
  console.log(Object.entries(t1).map(([k, v]) => [k, ((v - (t0[k] ?? 0)) / n).toFixed(3)]).filter(([, v]) => Number(v) > 0.01).map((x) => x.join('=')).join(' '));
  return `server ${((cpu() - c0) / n).toFixed(3)} ms, client ${((u.user + u.system) / 1000 / n).toFixed(3)} ms`;
};
const doc = memberDoc(node, 1);
const jsonPost = () => fetch(`${base}/bench/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(doc) }).then((r) => r.text()).then(() => undefined);
const sessionGet = () => branch.get('/api/config/status').then(() => undefined);
console.log(`CPU per request — save: ${await cpuPer(2000, save)}; save again: ${await cpuPer(2000, save)}; constant: ${await cpuPer(2000, constant)}; json POST: ${await cpuPer(2000, jsonPost)}; session GET: ${await cpuPer(2000, sessionGet)}`);
const CONC = Number(arg('clients', '4'));
let s = 0, c = 0;
for (let i = 0; i < Number(arg('rounds', '4')); i++) { s += await throughput(CONC, 1, save); c += await throughput(CONC, 1, constant); }
console.log(`save ${s.toFixed(0)} constant ${c.toFixed(0)} ratio ${(s / c).toFixed(2)}`);
child.kill('SIGTERM');
