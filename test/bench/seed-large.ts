/**
 * `npm run seed:large -- --members N [--db file]`: a province's tree and N members, written in
 * batches (one transaction each) through the record service's createMany — the same checks, rows,
 * unique keys, audit entries and counters as one create each, without a statement per field. Also two logins:
 * bench_root (admin of the province) and bench_branch (admin of one branch), password bench-pass.
 */
import { resolve } from 'node:path';
import { existsSync, rmSync } from 'node:fs';
import { createEngine, type Engine } from '../../engine/engine.js';
import { hashPassword } from '../../engine/auth/password.js';
import { repoRoot } from '../helpers/paths.js';
import { memberDoc, orgDoc, treeShape } from './generate.js';
import { sqliteOf } from '../helpers/sqlite-of.js';

const SYSTEM = { name: 'seed' };
const BATCH = 5000;

export interface Seeded { root: string; branches: string[]; communities: string[] }

export async function seedLarge(engine: Engine, members: number, log: (s: string) => void = () => {}): Promise<Seeded> {
  const shape = treeShape(members);
  const root = await engine.records.transaction((tx) => engine.records.create(SYSTEM, 'organization', orgDoc(undefined, 'province', '中共测试省委员会'), tx));
  let level: string[] = [root.id];
  const names = ['district', 'street', 'community', 'branch'] as const;
  const fan = [shape.districts, shape.streets, shape.communities, shape.branches];
  const byLevel: string[][] = [];
  for (let l = 0; l < names.length; l++) {
    const docs = level.flatMap((parent, i) => Array.from({ length: fan[l] }, (_, j) => orgDoc(parent, names[l], `中共测试${names[l]}${i + 1}-${j + 1}委员会`)));
    const ids: string[] = [];
    for (let i = 0; i < docs.length; i += BATCH) {
      const made = await engine.records.transaction((tx) => engine.records.createMany(SYSTEM, 'organization', docs.slice(i, i + BATCH), tx));
      ids.push(...made.map((r) => r.id));
    }
    byLevel.push(ids);
    level = ids;
    log(`${names[l]}: ${ids.length}`);
  }
  const branches = level;
  const started = Date.now();
  for (let i = 0; i < members; i += BATCH) {
    const docs = Array.from({ length: Math.min(BATCH, members - i) }, (_, k) => memberDoc(branches[(i + k) % branches.length], i + k));
    await engine.records.transaction((tx) => engine.records.createMany(SYSTEM, 'member', docs, tx));
    if ((i / BATCH) % 20 === 19) log(`members: ${i + docs.length} (${Math.round((i + docs.length) / ((Date.now() - started) / 1000))}/s)`);
  }
  const { accounts } = engine.storage;
  await engine.records.transaction(async (tx) => {
    const hash = await hashPassword('bench-pass');
    const a = await accounts.create(tx, { username: 'bench_root', passwordHash: hash, displayName: '测试省委管理员' });
    await accounts.grant(tx, a, 'admin', root.id);
    const b = await accounts.create(tx, { username: 'bench_branch', passwordHash: hash, displayName: '测试支部管理员' });
    await accounts.grant(tx, b, 'admin', branches[0]);
  });
  return { root: root.id, branches, communities: byLevel[2] };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const arg = (name: string, def: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def; };
  const members = Number(arg('members', '100000'));
  const dbFile = resolve(arg('db', resolve(repoRoot, `data/bench-${members}.db`)));
  if (existsSync(dbFile)) for (const ext of ['', '-wal', '-shm']) rmSync(dbFile + ext, { force: true });
  const t = Date.now();
  const engine = await createEngine({ appRoot: repoRoot, database: dbFile });
  await seedLarge(engine, members, (s) => console.log(s));
  await sqliteOf(engine).exec('PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;');
  await engine.close();
  console.log(`${members} members in ${((Date.now() - t) / 1000).toFixed(1)} s → ${dbFile}`);
}
