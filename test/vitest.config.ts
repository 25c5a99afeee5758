import { defineConfig } from 'vitest/config';

/**
 * Two projects in one run:
 * - `sqlite`: every test, each server on a new SQLite file (the embedded default);
 * - `postgres`: the API and document suites again, each server on a new database of one throwaway
 *   PostgreSQL cluster started for the run (test/helpers/pg-global-setup.ts) — the same tests, the
 *   same assertions, the server database underneath (CAIJI_TEST_DB=postgres, read by
 *   test/helpers/server.ts). A test reads or forces the database's state through the storage port
 *   (`s.engine.storage`), or past it with test/helpers/raw-db.ts on either adapter; the tests that
 *   check SQLite's own tables, triggers or files are listed in SQLITE_ONLY with the reason; the
 *   PostgreSQL adapter's own checks are in test/contract and
 *   test/postgres (which run in the first project and start their clusters themselves).
 */
const SQLITE_ONLY = [
  // The SQLite file's triggers, statements and WAL are what these assert.
  'test/api/record-writes.test.ts',
  'test/api/stats-counters.test.ts',
  'test/api/admin-tool.test.ts',
  'test/api/config-versions-process.test.ts',
];

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and PDF tests share one machine with two cores: keep files from piling up.
    maxWorkers: 2,
    // The JSON report is what .ci/run counts for its closing line.
    reporters: ['default', ['json', { outputFile: 'test/output/vitest.json' }]],
    projects: [
      { extends: true, test: { name: 'sqlite', include: ['test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/api/**/*.test.ts', 'test/documents/**/*.test.ts'],
          exclude: SQLITE_ONLY,
          env: { CAIJI_TEST_DB: 'postgres' },
          globalSetup: ['test/helpers/pg-global-setup.ts'],
        },
      },
    ],
  },
});
