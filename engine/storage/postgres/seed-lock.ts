import type { PgQueryable } from './connection.js';

/** The advisory lock of a seeding (one-key form; the other locks of the schema: migrations.ts, config-versions.ts, jobs.ts, directory.ts). */
const SEED_LOCK = 0x73656564; // 'seed'

/**
 * The seeding of an empty database on PostgreSQL (engine/ports.ts SeedLock): instances started
 * together each open a seeding transaction, and the lock lets one in at a time; READ COMMITTED
 * gives the next statement a fresh snapshot, so the one let in second sees the first one's data.
 */
export const pgSeedLock = {
  async hold(tx: PgQueryable): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
  },
};
