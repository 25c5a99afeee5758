import type { Database } from './sqlite.js';

/**
 * Versioned schema migrations, applied in order, each in its own transaction. Never edit a
 * migration that has shipped: append a new one.
 */
const migrations: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'records, unique keys, audit log, users, grants, sessions',
    sql: `
      CREATE TABLE records (
        id          TEXT PRIMARY KEY,
        collection  TEXT NOT NULL,
        node_id     TEXT,                 -- the tree node the record hangs on (a tree record: its parent)
        path        TEXT NOT NULL,        -- materialized path '/root/…/node/' used for subtree scoping
        data        TEXT NOT NULL,        -- the record's JSON document
        state       TEXT,                 -- workflow state, when the collection has a workflow
        workflow    TEXT,                 -- machine id and version the state belongs to
        complete    INTEGER NOT NULL DEFAULT 0,
        code_versions TEXT,               -- code-table versions the record was validated against
        version     INTEGER NOT NULL DEFAULT 1,
        created_at  TEXT NOT NULL,
        created_by  TEXT,
        updated_at  TEXT NOT NULL,
        updated_by  TEXT
      );
      CREATE INDEX records_scope ON records (collection, path);
      CREATE INDEX records_node ON records (collection, node_id);
      CREATE INDEX records_state ON records (collection, state, path);

      CREATE TABLE unique_keys (
        collection TEXT NOT NULL,
        key        TEXT NOT NULL,
        value      TEXT NOT NULL,
        record_id  TEXT NOT NULL REFERENCES records (id) ON DELETE CASCADE,
        PRIMARY KEY (collection, key, value)
      );
      CREATE INDEX unique_keys_record ON unique_keys (record_id);

      CREATE TABLE audit (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        at          TEXT NOT NULL,
        actor       TEXT,
        collection  TEXT NOT NULL,
        record_id   TEXT NOT NULL,
        action      TEXT NOT NULL,        -- create | update | delete | event name
        from_state  TEXT,
        to_state    TEXT,
        diff        TEXT,                 -- {field: [before, after]}
        note        TEXT
      );
      CREATE INDEX audit_record ON audit (record_id, id);
      CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

      CREATE TABLE users (
        id              TEXT PRIMARY KEY,
        username        TEXT NOT NULL UNIQUE,
        password_hash   TEXT NOT NULL,
        display_name    TEXT NOT NULL,
        self_collection TEXT,
        self_record     TEXT REFERENCES records (id) ON DELETE SET NULL,
        created_at      TEXT NOT NULL
      );
      CREATE TABLE grants (
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role    TEXT NOT NULL,
        node_id TEXT NOT NULL REFERENCES records (id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, role, node_id)
      );
      CREATE INDEX grants_node ON grants (node_id);
      CREATE TABLE sessions (
        id         TEXT PRIMARY KEY,      -- sha-256 of the cookie token: a stolen table holds no usable token
        user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        csrf       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'workflow context on records; imported lookup directories',
    sql: `
      ALTER TABLE records ADD COLUMN workflow_context TEXT;   -- the workflow's own data (JSON), e.g. a change request
      CREATE TABLE directory (
        collection  TEXT NOT NULL,      -- the collection whose records the directory rows describe
        key         TEXT NOT NULL,      -- a lookup key field, e.g. a registration code
        value       TEXT NOT NULL,
        data        TEXT NOT NULL,      -- the row's fields (JSON), as the collection's schema names them
        imported_at TEXT NOT NULL,
        imported_by TEXT,
        PRIMARY KEY (collection, key, value)
      );
    `,
  },
];

export async function migrate(db: Database): Promise<number> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT NOT NULL)');
  const row = await db.transaction((tx) => tx.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations'));
  const current = row?.v ?? 0;
  for (const m of migrations.filter((m) => m.version > current)) {
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, new Date().toISOString()]);
    });
  }
  return migrations.at(-1)!.version;
}
