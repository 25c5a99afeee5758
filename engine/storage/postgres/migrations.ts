import type { PgDatabase } from './connection.js';
import { schemaPieces } from './schema/index.js';
import { authEpochSchema } from './schema/auth-epoch.js';
import { recordWriteFencedSchema } from './schema/record-write-fenced.js';
import { regionSchema } from './schema/region.js';
import { upperCountsSchema } from './schema/upper-counts.js';
import { DEFAULT_REGION_DEPTH, REGION_DEPTH_ENV, regionDepthFromEnv, rememberRegionDepth } from './region.js';
import { DomainError } from '../../errors.js';

/** The version that made the distribution column (and fixed the region depth). */
const REGION_VERSION = 5;

/**
 * The PostgreSQL schema's versions, applied in order, each in its own transaction. A PostgreSQL
 * database starts directly at the SQLite schema's final shape (version 1, composed of the parts'
 * pieces in schema/index.ts); later changes append versions. Never edit a version that shipped.
 */
export const postgresMigrations: { version: number; name: string; sql: string | ((o: MigrationOptions) => string) }[] = [
  { version: 1, name: 'the whole schema: ' + schemaPieces.map((p) => p.part).join(', '), sql: schemaPieces.map((p) => p.sql).join('\n') },
  { version: 2, name: 'auth_epoch: the counter every instance compares its cached principals with (auth-epoch.ts)', sql: authEpochSchema },
  // The account service checks it first; the index (the plain one of version 1, made unique) decides between two instances opening at once.
  { version: 3, name: 'at most one account per record, kept by the store', sql: 'DROP INDEX users_self_record; CREATE UNIQUE INDEX users_self_record ON users (self_record) WHERE self_record IS NOT NULL;' },
  { version: 4, name: 'record_write fences its own keyed write inside a transaction (no savepoint round trips)', sql: recordWriteFencedSchema },
  // The depth is the database's from here on: the migration that creates the column decides it.
  { version: REGION_VERSION, name: 'the distribution column region on records, audit and subtree_counts (schema/region.ts)', sql: (o) => regionSchema(o.regionDepth ?? DEFAULT_REGION_DEPTH) },
  { version: 6, name: 'counters kept from the region down, the nodes above it summed when read (schema/upper-counts.ts)', sql: upperCountsSchema },
];

/** What a migration may take from the start that runs it. */
export interface MigrationOptions {
  /** The region depth asked for (CAIJI_REGION_DEPTH): used by migration 5, else checked against the database's. */
  regionDepth?: number;
}

/** The advisory lock every migration takes first: two instances starting at once migrate one after the other. */
const MIGRATION_LOCK = 0x6361696a69; // 'caiji'

/**
 * Applies the versions the database lacks (up to `upTo`: tests build a database of an earlier
 * version) and returns the newest version. Each version runs in a transaction that first takes
 * an advisory lock and then reads where the schema stands, so an instance that waited on the lock
 * sees the version another instance applied meanwhile and skips it.
 */
export async function migrate(db: PgDatabase, upTo = Infinity, options: MigrationOptions = { regionDepth: regionDepthFromEnv() }): Promise<number> {
  for (;;) {
    const applied = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text, applied_at text NOT NULL)');
      const current = (await tx.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')).rows[0]?.v ?? 0;
      const next = postgresMigrations.find((m) => m.version > current && m.version <= upTo);
      if (!next) return false;
      await tx.query(typeof next.sql === 'string' ? next.sql : next.sql(options));
      await tx.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [next.version, next.name, new Date().toISOString()]);
      return true;
    }).catch((err) => { throw refusedSchema(err, db.url); });
    if (!applied) break;
  }
  if (upTo >= REGION_VERSION) await checkRegionDepth(db, options.regionDepth);
  return postgresMigrations.at(-1)!.version;
}

/**
 * A role that may not create the schema (PostgreSQL 15 lets only the database's owner create in
 * `public`) is the operator's to fix: one line saying how, instead of the driver's error.
 */
function refusedSchema(err: unknown, url: string): unknown {
  if ((err as { code?: string })?.code !== '42501') return err;
  const u = new URL(url);
  const role = decodeURIComponent(u.username) || '（当前用户）';
  const database = decodeURIComponent(u.pathname.slice(1)) || role;
  return new DomainError('forbidden', 'database_permission',
    `数据库 ${database} 不允许角色 ${role} 建表（${(err as Error).message}）：请让该角色拥有这个数据库（例如 createdb -O ${role} ${database}），或用它的所有者连接`);
}

/**
 * The database's region depth, remembered for its queries (region.ts); a start asking for another
 * one is refused in words: the stored regions (and on Citus the rows' shards) follow the depth the
 * column was made with, and quietly going on with it would leave the operator believing otherwise.
 */
async function checkRegionDepth(db: PgDatabase, asked: number | undefined): Promise<void> {
  const depth = (await db.query<{ d: number }>('SELECT region_depth() AS d')).rows[0].d;
  if (asked !== undefined && asked !== depth) {
    throw new DomainError('invalid', 'region_depth_fixed',
      `${REGION_DEPTH_ENV}=${asked} 与数据库建立分布列时确定的层级 ${depth} 不同：该层级建成后不能更改，请去掉 ${REGION_DEPTH_ENV} 或设为 ${depth}`);
  }
  rememberRegionDepth(db, depth);
}
