import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { Database as SqliteDatabase, type Database } from '../sqlite/sqlite.js';
import { migrate as migrateSqlite } from '../sqlite/migrations.js';
import { PgDatabase, type PgQueryable } from './connection.js';
import { migrate as migratePostgres } from './migrations.js';
import { regionDepth } from './region.js';
import { PATH_DEPTH_SQL } from './schema/upper-counts.js';

/**
 * Copies a whole SQLite database into an empty, migrated PostgreSQL database (`npm run admin --
 * migrate-to-postgres`), so a district that started on the embedded default moves up without
 * re-entering data. Both schemas carry the same tables and column names (engine/storage/postgres/
 * schema/), so the copy goes table by table and converts each value by the PostgreSQL column's
 * type. Everything is written in one transaction: a failed copy leaves the target empty.
 *
 * What is not copied: the migration bookkeeping (each database keeps its own), the transient
 * tables (jobs and their files, import previews, login-failure counters), and — unless asked for —
 * the login sessions (everybody logs in again on the new server). The subtree counters are
 * recomputed by the target's own writes where its schema keeps them by trigger, and are then
 * compared with the source's instead of being copied.
 */

/** Tables never copied: per-database bookkeeping and state that is only worth anything to the running server. */
const TRANSIENT = new Set(['schema_migrations', 'jobs', 'job_files', 'import_previews', 'login_failures', 'sqlite_sequence',
  // SQLite's closure of the tree, which its counters are kept from; PostgreSQL keeps them from each record's path.
  'tree_closure']);
/** Tables whose rows the target derives from other tables; compared after the copy, copied only when the target left them empty. */
const DERIVED = new Set(['subtree_counts']);
/**
 * Rows the comparison takes (the same SQL on both sides), by the target's region depth: SQLite keeps
 * a counter row that went down to zero, PostgreSQL fills its counters from the copied records and
 * has none — the same counts either way; and the nodes above the region depth, whose PostgreSQL
 * rows hold their own level only (schema/upper-counts.ts), are summed there when read instead.
 */
const COMPARED = new Map<string, (depth: number) => string>([['subtree_counts', (depth) =>
  `total > 0 AND node_id NOT IN (SELECT id FROM records WHERE ${PATH_DEPTH_SQL('path')} < ${depth})`]]);
/**
 * PostgreSQL's distribution column (schema/region.ts), which SQLite has not: filled in the copy from
 * the source column it follows (records and audit: the path; a counter: its node's region).
 */
const REGION_FROM = new Map<string, [source: string, sql: (param: string) => string]>([
  ['records', ['path', (p) => `path_region(${p})`]],
  ['audit', ['path', (p) => `coalesce(path_region(${p}), '')`]],
  ['subtree_counts', ['node_id', (p) => `coalesce((SELECT region FROM records WHERE id = ${p}), ${p})`]],
]);
/** Copied first, in this order: the tables others reference. */
const FIRST = ['records', 'users', 'config_versions', 'config_head'];

export interface CopyReport {
  tables: { table: string; rows: number; verified: boolean; note?: string }[];
  skipped: string[];
}

interface PgColumn { name: string; type: string; identity: boolean }

export async function copySqliteToPostgres(source: Database, target: PgDatabase, opts: { keepSessions?: boolean; progress?: (line: string) => void } = {}): Promise<CopyReport> {
  const sourceTables = (await source.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((t) => t.name);
  const skipped = sourceTables.filter((t) => TRANSIENT.has(t) || (t === 'sessions' && !opts.keepSessions));
  const wanted = sourceTables.filter((t) => !skipped.includes(t));
  const ordered = [...FIRST.filter((t) => wanted.includes(t)), ...wanted.filter((t) => !FIRST.includes(t) && !DERIVED.has(t)), ...wanted.filter((t) => DERIVED.has(t))];
  const report: CopyReport = { tables: [], skipped };

  await target.transaction(async (tx) => {
    for (const table of ordered) {
      const columns = await pgColumns(tx, table);
      if (columns.length === 0) throw new Error(`目标数据库没有表 ${table}：请先用同一版本的 caiji 在目标数据库上启动一次（建立表结构），再迁移`);
      const existing = Number((await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(table)}`)).rows[0].n);
      if (DERIVED.has(table) && existing > 0) {
        report.tables.push({ table, rows: existing, verified: false, note: 'derived' });
        continue;
      }
      if (existing > 0 && !['config_head'].includes(table)) throw new Error(`目标数据库的表 ${table} 已有 ${existing} 行：只能迁移到空的数据库`);
      if (existing > 0) await tx.query(`DELETE FROM ${ident(table)}`);
      const rows = await copyTable(source, tx, table, columns);
      opts.progress?.(`${table}: ${rows}`);
      report.tables.push({ table, rows, verified: false });
    }
    // Verified inside the transaction: a mismatch rolls the whole copy back.
    for (const entry of report.tables) {
      const compared = COMPARED.get(entry.table)?.(await regionDepth(tx));
      const want = await sourceDigest(source, entry.table, compared);
      const got = await targetDigest(tx, entry.table, await pgColumns(tx, entry.table), await sqliteColumns(source, entry.table), compared);
      if (want.rows !== got.rows || want.sum !== got.sum) {
        throw new Error(`迁移后核对不一致：表 ${entry.table}（源 ${want.rows} 行，目标 ${got.rows} 行${want.rows === got.rows ? '，内容不同' : ''}）`);
      }
      entry.rows = want.rows;
      entry.verified = true;
    }
  });
  return report;
}

async function pgColumns(db: PgQueryable, table: string): Promise<PgColumn[]> {
  const { rows } = await db.query<{ column_name: string; data_type: string; is_identity: string }>(
    `SELECT column_name, data_type, is_identity FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, [table]);
  return rows.map((r) => ({ name: r.column_name, type: r.data_type, identity: r.is_identity === 'YES' }));
}

async function sqliteColumns(source: Database, table: string): Promise<string[]> {
  return (await source.all<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, [table])).map((c) => c.name);
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The columns a table is read in order of, batch by batch after the last row read (row values
 * compared as a whole): its rowid, or the primary key of a table declared WITHOUT ROWID.
 */
async function orderKey(source: Database, table: string): Promise<string[]> {
  const info = await source.all<{ name: string; pk: number }>(`SELECT name, pk FROM pragma_table_info(?)`, [table]);
  const withoutRowid = await source.get<{ wr: number }>(`SELECT "wr" FROM pragma_table_list(?)`, [table]).catch(() => undefined);
  if (!withoutRowid?.wr) return ['rowid'];
  return info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
}

/** Every row of a source table, in batches of `size`, in the order of its key. */
async function* sourceBatches(source: Database, table: string, select: string, size: number, where = ''): AsyncGenerator<Record<string, unknown>[]> {
  const key = await orderKey(source, table);
  const keyList = key.map((k) => (k === 'rowid' ? 'rowid' : ident(k))).join(', ');
  const keyAliases = key.map((_, i) => `__k${i}`);
  let after: unknown[] | null = null;
  for (;;) {
    const conditions = [where, after ? `(${keyList}) > (${key.map(() => '?').join(', ')})` : ''].filter(Boolean);
    const rows: Record<string, unknown>[] = await source.all<Record<string, unknown>>(
      `SELECT ${key.map((k, i) => `${k === 'rowid' ? 'rowid' : ident(k)} AS ${keyAliases[i]}`).join(', ')}, ${select} FROM ${ident(table)}`
      + `${conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY ${keyList} LIMIT ?`,
      [...((after ?? []) as (string | number | null)[]), size]);
    if (rows.length === 0) return;
    after = keyAliases.map((a) => rows[rows.length - 1][a]);
    yield rows;
  }
}

/** A SQLite value as the PostgreSQL column of `type` takes it. */
function convert(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'boolean') return value === 1 || value === '1' || value === true;
  if (type === 'jsonb' || type === 'json') return typeof value === 'string' ? value : JSON.stringify(value);
  if (type === 'bytea') return Buffer.isBuffer(value) ? value : Buffer.from(String(value));
  return value;
}

async function copyTable(source: Database, tx: PgQueryable, table: string, pg: PgColumn[]): Promise<number> {
  const present = new Set(await sqliteColumns(source, table));
  // A target column the source does not have (PostgreSQL's seq for SQLite's rowid) takes its default.
  const copied = pg.filter((c) => present.has(c.name));
  const extra = [...present].filter((c) => !pg.some((p) => p.name === c));
  if (extra.length) throw new Error(`表 ${table} 的列 ${extra.join('、')} 在目标数据库中不存在：两边的 caiji 版本不同`);
  const fill = !present.has('region') && pg.some((c) => c.name === 'region') ? REGION_FROM.get(table) : undefined;
  const regionSource = fill ? copied.findIndex((c) => c.name === fill[0]) : -1;
  const region = regionSource >= 0 ? fill : undefined;
  const overriding = copied.some((c) => c.identity);
  const perBatch = Math.max(1, Math.floor(30_000 / copied.length));
  let total = 0;
  // In insertion order, so identity columns the source lacks (PostgreSQL's seq for SQLite's rowid) keep the order.
  for await (const rows of sourceBatches(source, table, copied.map((c) => ident(c.name)).join(', '), perBatch)) {
    const params: unknown[] = [];
    const tuples = rows.map((row) => {
      const first = params.length + 1;
      const values = copied.map((c) => {
        params.push(convert(row[c.name], c.type));
        return `$${params.length}${c.type === 'jsonb' ? '::jsonb' : ''}`;
      });
      if (region) values.push(region[1](`$${first + regionSource}::text`));
      return `(${values.join(', ')})`;
    });
    await tx.query(
      `INSERT INTO ${ident(table)} (${[...copied.map((c) => ident(c.name)), ...(region ? ['region'] : [])].join(', ')})${overriding ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES ${tuples.join(', ')}`,
      params);
    total += rows.length;
  }
  // Identity columns copied with their values: the sequence goes on after the highest.
  for (const c of copied.filter((c) => c.identity)) {
    await tx.query(`SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT max(${ident(c.name)}) FROM ${ident(table)}), 1))`, [table, c.name]);
  }
  return total;
}

/**
 * A table's content as a row count and an order-independent digest (the sum of each row's hash),
 * read in batches so a province's tables are never held in memory at once.
 */
interface Digest { rows: number; sum: bigint }
const BATCH = 5000;

function add(d: Digest, line: string): void {
  d.rows += 1;
  d.sum = (d.sum + BigInt(`0x${createHash('sha256').update(line).digest('hex').slice(0, 15)}`)) & 0xffffffffffffffffn;
}

/** `where`: the rows compared (COMPARED), all without it. */
async function sourceDigest(source: Database, table: string, where?: string): Promise<Digest> {
  const columns = await sqliteColumns(source, table);
  const d: Digest = { rows: 0, sum: 0n };
  for await (const rows of sourceBatches(source, table, columns.map(ident).join(', '), BATCH, where)) {
    for (const r of rows) add(d, canonical(columns, r));
  }
  return d;
}

async function targetDigest(tx: PgQueryable, table: string, pg: PgColumn[], sourceColumns: string[], where?: string): Promise<Digest> {
  const shared = sourceColumns.filter((c) => pg.some((p) => p.name === c));
  const types = new Map(pg.map((c) => [c.name, c.type]));
  const d: Digest = { rows: 0, sum: 0n };
  // A cursor inside the copy's transaction: one pass, batch by batch, over what it wrote.
  await tx.query(`DECLARE copy_check NO SCROLL CURSOR FOR SELECT ${shared.map((c) => `${ident(c)}${types.get(c) === 'jsonb' ? '::text' : ''}`).join(', ')} FROM ${ident(table)}${where ? ` WHERE ${where}` : ''}`);
  for (;;) {
    const { rows } = await tx.query<Record<string, unknown>>(`FETCH ${BATCH} FROM copy_check`);
    if (rows.length === 0) break;
    for (const r of rows) add(d, canonical(sourceColumns, Object.fromEntries(shared.map((c) => [c, back(r[c], types.get(c)!)]))));
  }
  await tx.query('CLOSE copy_check');
  return d;
}

/** A target value in the source's terms, for the comparison. */
function back(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'boolean') return value ? 1 : 0;
  if (type === 'bigint' || type === 'integer' || type === 'smallint' || type === 'double precision' || type === 'numeric' || type === 'real') return Number(value);
  return value;
}

function canonical(columns: string[], row: Record<string, unknown>): string {
  return JSON.stringify(columns.filter((c) => c in row).map((c) => {
    const v = row[c];
    if (Buffer.isBuffer(v)) return `b:${v.toString('base64')}`;
    if (typeof v === 'string' && (v.startsWith('{') || v.startsWith('['))) {
      // JSON text is compared as data: jsonb reorders keys and drops insignificant spaces.
      try { return `j:${JSON.stringify(sortKeys(JSON.parse(v)))}`; } catch { return v; }
    }
    return v;
  }));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

/**
 * The operator's move (`npm run admin -- migrate-to-postgres --from <file> --to <url>`): the
 * SQLite file brought up to the current schema, the PostgreSQL database created to it, and the
 * copy made and verified. The source is only read; the server on it should be stopped first, or
 * writes made during the copy are not in it.
 */
export async function migrateSqliteFile(fromFile: string, toUrl: string, opts: { keepSessions?: boolean; progress?: (line: string) => void } = {}): Promise<CopyReport> {
  if (!existsSync(fromFile)) throw new Error(`找不到 SQLite 数据库文件 ${fromFile}`);
  const source = await SqliteDatabase.open(fromFile);
  try {
    await migrateSqlite(source);
    const target = await PgDatabase.open(toUrl);
    try {
      await migratePostgres(target);
      return await copySqliteToPostgres(source, target, opts);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
