/**
 * Impact of a draft and applying a rename, over every member of a bench database (at least
 * 100 000: a smaller one is replaced by a freshly seeded one of that size), each as a
 * ratio to a plain scan of the same records (read in the same batches, parsed, nothing else)
 * in the same run, alternating so both see the same machine. Part of `npm run bench`; alone:
 * `npx tsx test/bench/impact-bench.ts --db data/bench-100000.db`.
 */
import { join, resolve } from 'node:path';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEngine } from '../../engine/engine.js';
import { computeImpact } from '../../engine/config-versions/impact.js';
import { publishFiles } from '../../engine/config-versions/publish.js';
import { configVersions } from '../../engine/storage/sqlite/config-versions.js';
import { applySteps, orphanProblems, type MigrationStep } from '../../engine/config-versions/migration-steps.js';
import { recordScan } from '../../engine/storage/sqlite/record-scan.js';
import { recordQuery } from '../../engine/storage/sqlite/record-query.js';
import type { ScanCursor, StoredRecord } from '../../engine/ports.js';
import type { Queryable } from '../../engine/storage/sqlite/sqlite.js';
import { repoRoot } from '../helpers/paths.js';
import { seedLarge } from './seed-large.js';
import { draftOf, json, renameState } from '../helpers/draft-runtime.js';
import { sqliteOf } from '../helpers/sqlite-of.js';

/** The collector, exposed for this process without a command-line flag. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type Add = (figure: string, value: string, baseline: string, ratio: string, target: string, ok: boolean | null) => void;

const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Every member, batch by batch, handed to `each` (the plain scan hands them to nobody). */
async function scan(db: Queryable, each?: (r: StoredRecord) => void): Promise<number> {
  let n = 0;
  let cursor: ScanCursor | undefined;
  for (;;) {
    const { records, next } = await recordScan.batch(db, 'member', 1000, cursor);
    n += records.length;
    if (each) for (const r of records) each(r);
    if (!next) return n;
    cursor = next;
  }
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Members the figures are measured over at least: a smaller bench database gets a seeded one of this size in `tmp`. */
const AT_LEAST = 100_000;

/** The bench database when it holds at least AT_LEAST members, else one seeded with that many in `tmp` (once per run). */
async function atLeast(given: string, tmp: string, log: (s: string) => void, atMost = Infinity): Promise<string> {
  const probe = await createEngine({ appRoot: repoRoot, database: given });
  const stored = await recordQuery.count(sqliteOf(probe), { collection: 'member' });
  await sqliteOf(probe).exec('PRAGMA wal_checkpoint(TRUNCATE)');
  await probe.close();
  if (stored >= AT_LEAST && stored <= atMost) return given;
  const dbFile = join(tmp, `impact-${AT_LEAST}.db`);
  if (existsSync(dbFile)) return dbFile;
  log(`impact: ${stored} members in the bench database, seeding ${AT_LEAST} in ${dbFile}`);
  const seeding = await createEngine({ appRoot: repoRoot, database: dbFile });
  await seedLarge(seeding, AT_LEAST);
  await sqliteOf(seeding).exec('PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;');
  await seeding.close();
  return dbFile;
}

export async function benchImpact(given: string, add: Add, tmp: string, log: (s: string) => void = () => {}): Promise<void> {
  const dbFile = await atLeast(given, tmp, log);
  const engine = await createEngine({ appRoot: repoRoot, database: dbFile });
  try {
    const current = engine.runtime;
    // A draft touching every kind the report counts: a field made essential, a code deprecated,
    // a state renamed (moveState) and a field renamed (renameField).
    const draft = draftOf(current, {
      'forms/member.schema.json': json((s) => {
        s.properties.nativePlace['x-essential'] = true;
        s.properties.homeAddress = { ...s.properties.address, title: '家庭住址' };
        delete s.properties.address;
      }),
      'forms/codes/education.json': json((t) => { Object.assign(t.codes.find((c: any) => c.code === '21'), { deprecated: '2030-01-01' }); }),
      'workflows/member-confirmation.json': renameState('changes_requested', 'revising'),
    });
    const steps: MigrationStep[] = [
      { op: 'renameField', collection: 'member', from: 'address', to: 'homeAddress' },
      { op: 'moveState', collection: 'member', from: 'changes_requested', to: 'revising' },
    ];
    const problems = orphanProblems(current, draft, steps);
    if (problems.length) throw new Error(`bench draft orphans: ${JSON.stringify(problems)}`);
    const validator = draft.validator('member');
    const members = await scan(sqliteOf(engine));

    const impact = () => computeImpact(engine.storage, current, draft, steps);
    // What the impact holds, apart from garbage: the heap after a collection every 20 batches,
    // above the heap before it started. An untimed run.
    const held = async () => {
      gc();
      const base = process.memoryUsage().heapUsed;
      let peak = 0;
      await computeImpact(engine.storage, current, draft, steps, (done) => {
        if (done % 20_000 < 1000) { gc(); peak = Math.max(peak, process.memoryUsage().heapUsed - base); }
      });
      return peak;
    };
    // The rename as the publish runs it, without the write: applySteps, then the draft's validator.
    let renamed = 0;
    const rename = () => (renamed = 0, scan(sqliteOf(engine), (r) => {
      const out = applySteps(r, steps);
      if (out && !validator.validate(out.data, out.data).length) renamed++;
    }));
    const plain = () => scan(sqliteOf(engine));

    await plain();
    const report = await impact(); // warm: the validators compile lazily, the pages come into cache
    const tScan: number[] = [], tImpact: number[] = [], tRename: number[] = [];
    for (let i = 0; i < 3; i++) {
      tScan.push(await timed(plain));
      tImpact.push(await timed(impact));
      tRename.push(await timed(rename));
    }
    const [s, im, re] = [median(tScan), median(tImpact), median(tRename)];
    const m = report.collections.find((c) => c.collection === 'member')!;
    const count = (kind: string) => m.categories.filter((c) => c.kind === kind).reduce((a, c) => a + c.count, 0);
    add(`impact of a draft over ${members} members (all collections: ${report.scanned} records)`, ms(im), `${ms(s)} plain scan`, (im / s).toFixed(1), '≤ 10 s per 100 000', im <= 10_000 * Math.max(1, members / 100_000));
    add(`  found: ${count('incomplete')} lose completeness, ${count('deprecatedCode')} hold a deprecated code, ${count('migrated')} migrated`, '–', '–', '–', '–', null);
    const heap = await held();
    add(`  heap held during the impact (peak after GC, above start; ${report.sampleLimit} ids per category)`, `${(heap / 2 ** 20).toFixed(1)} MB`, '–', '–', 'bounded', null);
    add(`applying a rename to ${members} members (applySteps + draft validation, no write; ${renamed} renamed and valid)`, ms(re), `${ms(s)} plain scan`, (re / s).toFixed(1), '–', null);
  } finally {
    await engine.close();
  }
}

/**
 * Publishing a draft that renames a field of every member, writes included (each record's next
 * version, its audit entry, all in the publish's one transaction), against a plain scan of the
 * same records; each trial on a fresh copy of the database, so every publish migrates all of them.
 */
export async function benchPublishRename(given: string, add: Add, tmp: string, log: (s: string) => void = () => {}): Promise<void> {
  // Copied three times: a database of about the target's size, not the largest one at hand.
  const dbFile = await atLeast(given, tmp, log, AT_LEAST * 1.5);
  const tScan: number[] = [];
  const tPublish: number[] = [];
  let migrated = 0;
  let members = 0;
  for (let i = 0; i < 3; i++) {
    const copy = join(tmp, `publish-${i}.db`);
    copyFileSync(dbFile, copy);
    const engine = await createEngine({ appRoot: repoRoot, database: copy });
    try {
      const stored = (await configVersions.get(sqliteOf(engine), engine.config.version))!.files;
      const schema = JSON.parse(stored['forms/member.schema.json'] as string);
      schema.properties.homeAddress = { ...schema.properties.address, title: '家庭住址' };
      delete schema.properties.address;
      const files = {
        ...stored,
        'forms/member.schema.json': JSON.stringify(schema, null, 2),
        // The demo data is config too: it follows the rename, as the studio's designer does.
        'forms/demo/members.json': (stored['forms/demo/members.json'] as string).replaceAll('"address":', '"homeAddress":'),
        'migrations.json': JSON.stringify([{ op: 'renameField', collection: 'member', from: 'address', to: 'homeAddress' }]),
      };
      await scan(sqliteOf(engine)); // the pages into cache, as the publish will find them
      tScan.push(await timed(async () => { members = await scan(sqliteOf(engine)); }));
      tPublish.push(await timed(async () => {
        migrated = (await publishFiles(engine, { files, actor: 'bench', note: 'rename', origin: 'draft', base: engine.config.version, history: [{ action: 'publish' }] })).migrated;
      }));
    } finally {
      await engine.close();
      rmSync(copy, { force: true });
      rmSync(`${copy}-wal`, { force: true });
      rmSync(`${copy}-shm`, { force: true });
    }
  }
  const [s, p] = [median(tScan), median(tPublish)];
  add(`publish with a rename over ${members} members (${migrated} records migrated and audited, one transaction)`, ms(p), `${ms(s)} plain scan`, (p / s).toFixed(1), '–', null);
}

const isMain = process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname);
if (isMain) {
  const i = process.argv.indexOf('--db');
  if (i < 0) throw new Error('--db <file> (npm run seed:large -- --members 100000)');
  const rows: string[][] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'caiji-impact-'));
  await benchImpact(resolve(process.argv[i + 1]), (...r) => rows.push(r.map(String)), tmp, console.error);
  await benchPublishRename(resolve(process.argv[i + 1]), (...r) => rows.push(r.map(String)), tmp, console.error);
  rmSync(tmp, { recursive: true, force: true });
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
}
