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
  {
    version: 3,
    name: 'subtree counters: tree closure and per-node counts kept by triggers',
    sql: `
      -- Every (ancestor, descendant) pair of tree nodes, each node its own ancestor too.
      CREATE TABLE tree_closure (
        ancestor   TEXT NOT NULL,
        descendant TEXT NOT NULL,
        PRIMARY KEY (descendant, ancestor)
      ) WITHOUT ROWID;
      CREATE INDEX tree_closure_ancestor ON tree_closure (ancestor, descendant);

      -- Records in each node's subtree by collection and workflow state ('' = none): what the
      -- per-subtree 完整度 and counts read, kept current in the writing transaction.
      CREATE TABLE subtree_counts (
        node_id    TEXT NOT NULL,
        collection TEXT NOT NULL,
        state      TEXT NOT NULL,
        total      INTEGER NOT NULL,
        complete   INTEGER NOT NULL,
        PRIMARY KEY (node_id, collection, state)
      ) WITHOUT ROWID;

      -- A tree record's path ends in its own id; any other record's path is its node's path.
      -- The node a record counts at (its anchor) is itself for a tree record, else its node.
      CREATE TRIGGER records_counts_insert AFTER INSERT ON records
      BEGIN
        INSERT INTO tree_closure (ancestor, descendant) SELECT NEW.id, NEW.id WHERE substr(NEW.path, -length(NEW.id) - 2) = '/' || NEW.id || '/';
        INSERT INTO tree_closure (ancestor, descendant)
          SELECT ancestor, NEW.id FROM tree_closure WHERE descendant = NEW.node_id AND substr(NEW.path, -length(NEW.id) - 2) = '/' || NEW.id || '/';
        INSERT INTO subtree_counts (node_id, collection, state, total, complete)
          SELECT ancestor, NEW.collection, coalesce(NEW.state, ''), 1, NEW.complete FROM tree_closure
          WHERE descendant = CASE WHEN substr(NEW.path, -length(NEW.id) - 2) = '/' || NEW.id || '/' THEN NEW.id ELSE NEW.node_id END
          ON CONFLICT DO UPDATE SET total = total + 1, complete = complete + excluded.complete;
      END;

      CREATE TRIGGER records_counts_delete AFTER DELETE ON records
      BEGIN
        UPDATE subtree_counts SET total = total - 1, complete = complete - OLD.complete
          WHERE collection = OLD.collection AND state = coalesce(OLD.state, '')
            AND node_id IN (SELECT ancestor FROM tree_closure WHERE descendant = CASE WHEN substr(OLD.path, -length(OLD.id) - 2) = '/' || OLD.id || '/' THEN OLD.id ELSE OLD.node_id END);
        DELETE FROM subtree_counts WHERE node_id = OLD.id;
        DELETE FROM tree_closure WHERE descendant = OLD.id OR ancestor = OLD.id;
      END;

      -- A record's own state, completeness or node changes: move its one count.
      CREATE TRIGGER records_counts_update AFTER UPDATE OF state, complete, node_id ON records
      WHEN OLD.state IS NOT NEW.state OR OLD.complete IS NOT NEW.complete OR OLD.node_id IS NOT NEW.node_id
      BEGIN
        UPDATE subtree_counts SET total = total - 1, complete = complete - OLD.complete
          WHERE collection = OLD.collection AND state = coalesce(OLD.state, '')
            AND node_id IN (SELECT ancestor FROM tree_closure WHERE descendant = CASE WHEN substr(OLD.path, -length(OLD.id) - 2) = '/' || OLD.id || '/' THEN OLD.id ELSE OLD.node_id END);
        INSERT INTO subtree_counts (node_id, collection, state, total, complete)
          SELECT ancestor, NEW.collection, coalesce(NEW.state, ''), 1, NEW.complete FROM tree_closure
          WHERE descendant = CASE WHEN substr(NEW.path, -length(NEW.id) - 2) = '/' || NEW.id || '/' THEN NEW.id ELSE NEW.node_id END
          ON CONFLICT DO UPDATE SET total = total + 1, complete = complete + excluded.complete;
      END;

      -- A tree node moves to another parent: its whole subtree's counts leave the old ancestors
      -- and join the new ones, and the closure follows. (Paths of the records below it change
      -- too, but a path alone changes no count.) Commutes with records_counts_update.
      CREATE TRIGGER records_counts_move AFTER UPDATE OF node_id ON records
      WHEN OLD.node_id IS NOT NEW.node_id AND substr(NEW.path, -length(NEW.id) - 2) = '/' || NEW.id || '/'
      BEGIN
        UPDATE subtree_counts AS s
          SET total = total - (SELECT x.total FROM subtree_counts x WHERE x.node_id = NEW.id AND x.collection = s.collection AND x.state = s.state),
              complete = complete - (SELECT x.complete FROM subtree_counts x WHERE x.node_id = NEW.id AND x.collection = s.collection AND x.state = s.state)
          WHERE s.node_id IN (SELECT ancestor FROM tree_closure WHERE descendant = OLD.node_id)
            AND EXISTS (SELECT 1 FROM subtree_counts x WHERE x.node_id = NEW.id AND x.collection = s.collection AND x.state = s.state);
        INSERT INTO subtree_counts (node_id, collection, state, total, complete)
          SELECT a.ancestor, x.collection, x.state, x.total, x.complete FROM tree_closure a, subtree_counts x
          WHERE a.descendant = NEW.node_id AND x.node_id = NEW.id
          ON CONFLICT DO UPDATE SET total = total + excluded.total, complete = complete + excluded.complete;
        DELETE FROM tree_closure
          WHERE descendant IN (SELECT descendant FROM tree_closure WHERE ancestor = NEW.id)
            AND ancestor IN (SELECT ancestor FROM tree_closure WHERE descendant = OLD.node_id);
        INSERT INTO tree_closure (ancestor, descendant)
          SELECT a.ancestor, d.descendant FROM tree_closure a, tree_closure d
          WHERE a.descendant = NEW.node_id AND d.ancestor = NEW.id;
      END;

      -- Existing data: the closure from the tree records' paths, then the counts.
      INSERT INTO tree_closure (ancestor, descendant)
        WITH RECURSIVE split (id, rest, anc) AS (
          SELECT id, substr(path, 2), NULL FROM records WHERE substr(path, -length(id) - 2) = '/' || id || '/'
          UNION ALL
          SELECT id, substr(rest, instr(rest, '/') + 1), substr(rest, 1, instr(rest, '/') - 1) FROM split WHERE rest <> ''
        )
        SELECT anc, id FROM split WHERE anc IS NOT NULL;
      INSERT INTO subtree_counts (node_id, collection, state, total, complete)
        SELECT c.ancestor, r.collection, coalesce(r.state, ''), count(*), sum(r.complete)
        FROM records r JOIN tree_closure c
          ON c.descendant = CASE WHEN substr(r.path, -length(r.id) - 2) = '/' || r.id || '/' THEN r.id ELSE r.node_id END
        GROUP BY 1, 2, 3;
    `,
  },
  {
    version: 4,
    name: 'import log',
    sql: `
      CREATE TABLE import_log (
        id          TEXT PRIMARY KEY,
        collection  TEXT NOT NULL,
        actor       TEXT,
        filename    TEXT,
        status      TEXT NOT NULL,        -- previewed | committed | failed | expired
        at          TEXT NOT NULL,        -- when the file was uploaded
        committed_at TEXT,
        total       INTEGER NOT NULL DEFAULT 0,
        created     INTEGER NOT NULL DEFAULT 0,
        updated     INTEGER NOT NULL DEFAULT 0,
        unchanged   INTEGER NOT NULL DEFAULT 0,
        invalid     INTEGER NOT NULL DEFAULT 0,
        message     TEXT,                 -- why a commit failed
        errors_file BLOB                  -- the upload with its errors written in (xlsx), when rows were invalid
      );
      CREATE INDEX import_log_collection ON import_log (collection, at);
    `,
  },
  {
    version: 5,
    name: 'one statement per record write',
    // Inserting one row into record_writes writes the record, its unique keys and its audit entry
    // in a single statement: atomic on its own (no BEGIN/COMMIT needed) and one round trip through
    // the driver's thread pool instead of six. The guards raise errors the records service maps
    // to answers: the parent node moved or vanished since it was read, or a stale version.
    sql: `
      CREATE VIEW record_writes AS SELECT
        NULL AS op, NULL AS id, NULL AS collection, NULL AS node_id, NULL AS guard_node, NULL AS guard_path, NULL AS path,
        NULL AS data, NULL AS state, NULL AS workflow, NULL AS workflow_context, NULL AS complete,
        NULL AS code_versions, NULL AS version, NULL AS expected_version, NULL AS at, NULL AS actor,
        NULL AS keys, NULL AS action, NULL AS from_state, NULL AS diff, NULL AS note
      WHERE 0;

      CREATE TRIGGER record_writes_create INSTEAD OF INSERT ON record_writes WHEN NEW.op = 'create' BEGIN
        SELECT RAISE(ABORT, 'record_write:node_changed')
          WHERE NEW.guard_node IS NOT NULL AND NOT EXISTS (SELECT 1 FROM records WHERE id = NEW.guard_node AND path = NEW.guard_path);
        INSERT INTO records (id, collection, node_id, path, data, state, workflow, workflow_context, complete, code_versions, version, created_at, created_by, updated_at, updated_by)
          VALUES (NEW.id, NEW.collection, NEW.node_id, NEW.path, NEW.data, NEW.state, NEW.workflow, NEW.workflow_context, NEW.complete,
                  NEW.code_versions, NEW.version, NEW.at, NEW.actor, NEW.at, NEW.actor);
        INSERT INTO unique_keys (collection, key, value, record_id)
          SELECT NEW.collection, json_extract(k.value, '$[0]'), json_extract(k.value, '$[1]'), NEW.id FROM json_each(NEW.keys) k;
        INSERT INTO audit (at, actor, collection, record_id, action, from_state, to_state, diff, note)
          VALUES (NEW.at, NEW.actor, NEW.collection, NEW.id, NEW.action, NEW.from_state, NEW.state, NEW.diff, NEW.note);
      END;

      -- keys NULL: the record's unique keys are left as they are (its data did not change them).
      CREATE TRIGGER record_writes_update INSTEAD OF INSERT ON record_writes WHEN NEW.op = 'update' BEGIN
        SELECT RAISE(ABORT, 'record_write:stale')
          WHERE (SELECT version FROM records WHERE id = NEW.id) IS NOT NEW.expected_version;
        SELECT RAISE(ABORT, 'record_write:node_changed')
          WHERE NEW.guard_node IS NOT NULL AND NOT EXISTS (SELECT 1 FROM records WHERE id = NEW.guard_node AND path = NEW.guard_path);
        UPDATE records SET node_id = NEW.node_id, path = NEW.path, data = NEW.data, state = NEW.state, workflow = NEW.workflow,
            workflow_context = NEW.workflow_context, complete = NEW.complete, code_versions = NEW.code_versions,
            version = NEW.version, updated_at = NEW.at, updated_by = NEW.actor
          WHERE id = NEW.id;
        DELETE FROM unique_keys WHERE NEW.keys IS NOT NULL AND record_id = NEW.id;
        INSERT INTO unique_keys (collection, key, value, record_id)
          SELECT NEW.collection, json_extract(k.value, '$[0]'), json_extract(k.value, '$[1]'), NEW.id FROM json_each(NEW.keys) k;
        INSERT INTO audit (at, actor, collection, record_id, action, from_state, to_state, diff, note)
          VALUES (NEW.at, NEW.actor, NEW.collection, NEW.id, NEW.action, NEW.from_state, NEW.state, NEW.diff, NEW.note);
      END;
    `,
  },
  {
    version: 6,
    name: 'account state: first password to change, locked',
    sql: `
      ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;  -- 1: a password someone else set (first or reset)
      ALTER TABLE users ADD COLUMN locked_at TEXT;                                   -- set: the account cannot log in
    `,
  },
  {
    version: 7,
    name: 'failed login counters per account and per client address',
    sql: `
      -- Read and written by every server process on this database (engine/storage/sqlite/login-failures.ts).
      CREATE TABLE login_failures (
        key           TEXT PRIMARY KEY,     -- 'account:<username>' or 'address:<client address>'
        failures      INTEGER NOT NULL,     -- failed guesses since first_at
        first_at      INTEGER NOT NULL,     -- ms since the epoch: when this count began
        blocked_until INTEGER NOT NULL,     -- ms: no attempt under this key before it (0: none)
        expires_at    INTEGER NOT NULL      -- ms: the count is forgotten, the row pruned
      ) WITHOUT ROWID;
      CREATE INDEX login_failures_expiry ON login_failures (expires_at);
    `,
  },
  {
    version: 8,
    name: 'directory rows remember where their loader stood; deleted records findable by lookup',
    sql: `
      -- The path of the granted node whose authority loaded the row (engine/directory/owners.ts):
      -- an upload replaces only rows loaded inside its uploader's paths.
      ALTER TABLE directory ADD COLUMN imported_path TEXT;
      -- Rows loaded before: the widest node their loader holds a role on (then any admin could
      -- load, so that grant is what let them); NULL when the account or its roles are gone.
      UPDATE directory SET imported_path = (
        SELECT r.path FROM users u JOIN grants g ON g.user_id = u.id JOIN records r ON r.id = g.node_id
        WHERE u.username = directory.imported_by ORDER BY length(r.path), r.path LIMIT 1);
      -- A deleted record's last data is in its delete entry: lookups find detached records there.
      CREATE INDEX audit_deletes ON audit (collection, id) WHERE action = 'delete';
    `,
  },
  {
    version: 9,
    name: 'audit entries carry the place of their record: the audit view of a subtree',
    // An entry's place is its record's path when it was written (a delete's: the record's last
    // path), so a subtree's entries, deleted records' included, are one range of an index. The
    // existing entries take their live record's path; entries of records deleted before this
    // version have no place (NULL) and are shown at the tree's root only. The append-only trigger
    // is dropped for the fill and created again in the same transaction.
    sql: `
      ALTER TABLE audit ADD COLUMN path TEXT;
      DROP TRIGGER audit_append_only_update;
      UPDATE audit SET path = (SELECT r.path FROM records r WHERE r.id = audit.record_id);
      CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
      CREATE INDEX audit_place ON audit (path, id);

      -- The one-statement writes of migration 5, now writing the entry's place too.
      DROP TRIGGER record_writes_create;
      CREATE TRIGGER record_writes_create INSTEAD OF INSERT ON record_writes WHEN NEW.op = 'create' BEGIN
        SELECT RAISE(ABORT, 'record_write:node_changed')
          WHERE NEW.guard_node IS NOT NULL AND NOT EXISTS (SELECT 1 FROM records WHERE id = NEW.guard_node AND path = NEW.guard_path);
        INSERT INTO records (id, collection, node_id, path, data, state, workflow, workflow_context, complete, code_versions, version, created_at, created_by, updated_at, updated_by)
          VALUES (NEW.id, NEW.collection, NEW.node_id, NEW.path, NEW.data, NEW.state, NEW.workflow, NEW.workflow_context, NEW.complete,
                  NEW.code_versions, NEW.version, NEW.at, NEW.actor, NEW.at, NEW.actor);
        INSERT INTO unique_keys (collection, key, value, record_id)
          SELECT NEW.collection, json_extract(k.value, '$[0]'), json_extract(k.value, '$[1]'), NEW.id FROM json_each(NEW.keys) k;
        INSERT INTO audit (at, actor, collection, record_id, action, from_state, to_state, diff, note, path)
          VALUES (NEW.at, NEW.actor, NEW.collection, NEW.id, NEW.action, NEW.from_state, NEW.state, NEW.diff, NEW.note, NEW.path);
      END;
      DROP TRIGGER record_writes_update;
      CREATE TRIGGER record_writes_update INSTEAD OF INSERT ON record_writes WHEN NEW.op = 'update' BEGIN
        SELECT RAISE(ABORT, 'record_write:stale')
          WHERE (SELECT version FROM records WHERE id = NEW.id) IS NOT NEW.expected_version;
        SELECT RAISE(ABORT, 'record_write:node_changed')
          WHERE NEW.guard_node IS NOT NULL AND NOT EXISTS (SELECT 1 FROM records WHERE id = NEW.guard_node AND path = NEW.guard_path);
        UPDATE records SET node_id = NEW.node_id, path = NEW.path, data = NEW.data, state = NEW.state, workflow = NEW.workflow,
            workflow_context = NEW.workflow_context, complete = NEW.complete, code_versions = NEW.code_versions,
            version = NEW.version, updated_at = NEW.at, updated_by = NEW.actor
          WHERE id = NEW.id;
        DELETE FROM unique_keys WHERE NEW.keys IS NOT NULL AND record_id = NEW.id;
        INSERT INTO unique_keys (collection, key, value, record_id)
          SELECT NEW.collection, json_extract(k.value, '$[0]'), json_extract(k.value, '$[1]'), NEW.id FROM json_each(NEW.keys) k;
        INSERT INTO audit (at, actor, collection, record_id, action, from_state, to_state, diff, note, path)
          VALUES (NEW.at, NEW.actor, NEW.collection, NEW.id, NEW.action, NEW.from_state, NEW.state, NEW.diff, NEW.note, NEW.path);
      END;
    `,
  },
  {
    version: 10,
    name: 'saved queries and statistics, per user, shareable within a subtree',
    sql: `
      CREATE TABLE saved_queries (
        id          TEXT PRIMARY KEY,
        owner       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        collection  TEXT NOT NULL,
        kind        TEXT NOT NULL,        -- query | stats
        name        TEXT NOT NULL,
        spec        TEXT NOT NULL,        -- the checked request (JSON), without its node: that is chosen when it runs
        shared_path TEXT,                 -- set: shown to whoever reads within or above this subtree
        created_at  TEXT NOT NULL
      );
      CREATE INDEX saved_queries_owner ON saved_queries (owner, collection);
      CREATE INDEX saved_queries_shared ON saved_queries (shared_path) WHERE shared_path IS NOT NULL;
    `,
  },
  {
    version: 11,
    name: 'config versions in the database: versions, the published one, the draft, the config history; records note their config version',
    // The whole application config is data (engine/storage/sqlite/config-versions.ts): immutable numbered
    // versions (files as one JSON document each), one head row naming the published version and the
    // files last imported from disk, one draft per application, and an append-only history. Every
    // record notes the config version it was last written under: the record writes stamp it from
    // the head row, so a write committed after a publish carries the new number and no write path
    // can forget it; a writer that names the version it validated under is refused when another
    // version was published meanwhile (record_write:config_changed).
    sql: `
      CREATE TABLE config_versions (
        number      INTEGER PRIMARY KEY,
        files       TEXT NOT NULL,        -- {path: text | {base64}}: the snapshot, byte for byte
        hash        TEXT NOT NULL,        -- sha256 over the sorted paths and contents
        author      TEXT,
        at          TEXT NOT NULL,
        note        TEXT,
        origin      TEXT NOT NULL,        -- files | draft | rollback | codes | watch
        based_on    INTEGER               -- the version published when this one was made
      );
      CREATE TRIGGER config_versions_immutable_update BEFORE UPDATE ON config_versions
        BEGIN SELECT RAISE(ABORT, 'config versions are immutable'); END;
      CREATE TRIGGER config_versions_immutable_delete BEFORE DELETE ON config_versions
        BEGIN SELECT RAISE(ABORT, 'config versions are immutable'); END;

      CREATE TABLE config_head (
        id             INTEGER PRIMARY KEY CHECK (id = 1),
        published      INTEGER NOT NULL REFERENCES config_versions (number),
        files_version  INTEGER,           -- the version last imported from the application's files
        files_hash     TEXT               -- their hash (a release whose files differ becomes a draft)
      );

      CREATE TABLE config_draft (
        id           INTEGER PRIMARY KEY CHECK (id = 1),   -- one draft per application
        base         INTEGER NOT NULL,    -- the version it was opened from
        files        TEXT NOT NULL,
        version      INTEGER NOT NULL,    -- bumped by every save (409 on a stale one)
        origin       TEXT NOT NULL,       -- admin | release | import
        created_by   TEXT, created_at TEXT NOT NULL,
        updated_by   TEXT, updated_at TEXT NOT NULL,
        proposed_by  TEXT, proposed_at TEXT, proposed_note TEXT, proposed_version INTEGER
      );

      CREATE TABLE config_history (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        at        TEXT NOT NULL,
        actor     TEXT,
        action    TEXT NOT NULL,          -- open | save | discard | propose | approve | publish | rollback | import | release
        version   INTEGER,                -- the config version it made or concerns
        draft     INTEGER,                -- the draft's version after a save
        note      TEXT,
        detail    TEXT                    -- JSON: the documents changed, the records migrated …
      );
      CREATE TRIGGER config_history_append_only_update BEFORE UPDATE ON config_history
        BEGIN SELECT RAISE(ABORT, 'config history is append-only'); END;
      CREATE TRIGGER config_history_append_only_delete BEFORE DELETE ON config_history
        BEGIN SELECT RAISE(ABORT, 'config history is append-only'); END;

      ALTER TABLE records ADD COLUMN config_version INTEGER;
      CREATE INDEX records_config_version ON records (config_version);

      -- The one-statement writes of migration 9, with the config version: the view gains a column,
      -- so it and its triggers are made anew.
      DROP VIEW record_writes;
      CREATE VIEW record_writes AS SELECT
        NULL AS op, NULL AS id, NULL AS collection, NULL AS node_id, NULL AS guard_node, NULL AS guard_path, NULL AS path,
        NULL AS data, NULL AS state, NULL AS workflow, NULL AS workflow_context, NULL AS complete,
        NULL AS code_versions, NULL AS version, NULL AS expected_version, NULL AS at, NULL AS actor,
        NULL AS keys, NULL AS action, NULL AS from_state, NULL AS diff, NULL AS note, NULL AS config_version
      WHERE 0;
      CREATE TRIGGER record_writes_create INSTEAD OF INSERT ON record_writes WHEN NEW.op = 'create' BEGIN
        SELECT RAISE(ABORT, 'record_write:config_changed')
          WHERE NEW.config_version IS NOT NULL AND NEW.config_version IS NOT (SELECT published FROM config_head WHERE id = 1);
        SELECT RAISE(ABORT, 'record_write:node_changed')
          WHERE NEW.guard_node IS NOT NULL AND NOT EXISTS (SELECT 1 FROM records WHERE id = NEW.guard_node AND path = NEW.guard_path);
        INSERT INTO records (id, collection, node_id, path, data, state, workflow, workflow_context, complete, code_versions, version, created_at, created_by, updated_at, updated_by, config_version)
          VALUES (NEW.id, NEW.collection, NEW.node_id, NEW.path, NEW.data, NEW.state, NEW.workflow, NEW.workflow_context, NEW.complete,
                  NEW.code_versions, NEW.version, NEW.at, NEW.actor, NEW.at, NEW.actor, (SELECT published FROM config_head WHERE id = 1));
        INSERT INTO unique_keys (collection, key, value, record_id)
          SELECT NEW.collection, json_extract(k.value, '$[0]'), json_extract(k.value, '$[1]'), NEW.id FROM json_each(NEW.keys) k;
        INSERT INTO audit (at, actor, collection, record_id, action, from_state, to_state, diff, note, path)
          VALUES (NEW.at, NEW.actor, NEW.collection, NEW.id, NEW.action, NEW.from_state, NEW.state, NEW.diff, NEW.note, NEW.path);
      END;
      CREATE TRIGGER record_writes_update INSTEAD OF INSERT ON record_writes WHEN NEW.op = 'update' BEGIN
        SELECT RAISE(ABORT, 'record_write:config_changed')
          WHERE NEW.config_version IS NOT NULL AND NEW.config_version IS NOT (SELECT published FROM config_head WHERE id = 1);
        SELECT RAISE(ABORT, 'record_write:stale')
          WHERE (SELECT version FROM records WHERE id = NEW.id) IS NOT NEW.expected_version;
        SELECT RAISE(ABORT, 'record_write:node_changed')
          WHERE NEW.guard_node IS NOT NULL AND NOT EXISTS (SELECT 1 FROM records WHERE id = NEW.guard_node AND path = NEW.guard_path);
        UPDATE records SET node_id = NEW.node_id, path = NEW.path, data = NEW.data, state = NEW.state, workflow = NEW.workflow,
            workflow_context = NEW.workflow_context, complete = NEW.complete, code_versions = NEW.code_versions,
            version = NEW.version, updated_at = NEW.at, updated_by = NEW.actor,
            config_version = (SELECT published FROM config_head WHERE id = 1)
          WHERE id = NEW.id;
        DELETE FROM unique_keys WHERE NEW.keys IS NOT NULL AND record_id = NEW.id;
        INSERT INTO unique_keys (collection, key, value, record_id)
          SELECT NEW.collection, json_extract(k.value, '$[0]'), json_extract(k.value, '$[1]'), NEW.id FROM json_each(NEW.keys) k;
        INSERT INTO audit (at, actor, collection, record_id, action, from_state, to_state, diff, note, path)
          VALUES (NEW.at, NEW.actor, NEW.collection, NEW.id, NEW.action, NEW.from_state, NEW.state, NEW.diff, NEW.note, NEW.path);
      END;
    `,
  },
  {
    version: 12,
    name: 'jobs and import previews in the database: any server instance on it answers for them',
    // Several instances behind one load balancer share the database and nothing else: a job's
    // progress, outcome and file, and an import preview's checked rows, live here so that the
    // instance a poll, a download or a commit reaches need not be the one that did the work.
    // heartbeat (ms) is refreshed by the instance running the job; one that stops refreshing it
    // has died, and its job is failed by whoever reads it next (engine/jobs/jobs.ts).
    sql: `
      CREATE TABLE jobs (
        id          TEXT PRIMARY KEY,
        owner       TEXT NOT NULL,
        kind        TEXT NOT NULL,
        status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
        done        INTEGER NOT NULL DEFAULT 0,
        total       INTEGER NOT NULL DEFAULT 0,
        error       TEXT,                 -- JSON: the failure as the HTTP error body says it
        result      TEXT,                 -- JSON: a small result (a file result is in job_files)
        file_type   TEXT, file_name TEXT, file_size INTEGER,
        instance    TEXT NOT NULL,        -- the server instance running it
        heartbeat   INTEGER NOT NULL,
        created_at  INTEGER NOT NULL,
        finished_at INTEGER
      );
      CREATE INDEX jobs_running ON jobs (owner, kind) WHERE status = 'running';
      CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
      -- A file in pieces: each written by its own statement, so a PDF of tens of MB never holds
      -- the one writer for the time of the whole copy.
      CREATE TABLE job_files (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        seq    INTEGER NOT NULL,
        chunk  BLOB NOT NULL,
        PRIMARY KEY (job_id, seq)
      );
      CREATE TABLE import_previews (
        id         TEXT PRIMARY KEY,
        owner      TEXT NOT NULL,
        collection TEXT NOT NULL,
        state      TEXT NOT NULL CHECK (state IN ('open', 'committing')),
        rows       BLOB NOT NULL,         -- the checked rows, gzipped JSON
        at         INTEGER NOT NULL       -- ms: made, or claimed for a commit
      );
      CREATE INDEX import_previews_at ON import_previews (at);
    `,
  },
  {
    version: 13,
    name: 'at most one account per record, kept by the store',
    // The account service checks it first; the index decides between two creations at once.
    sql: `
      CREATE UNIQUE INDEX users_self_record ON users (self_record) WHERE self_record IS NOT NULL;
    `,
  },
];

/** Applies the migrations the database lacks (up to `upTo`: tests build a database of an earlier version). */
export async function migrate(db: Database, upTo = Infinity): Promise<number> {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT, applied_at TEXT NOT NULL)');
  const row = await db.transaction((tx) => tx.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations'));
  const current = row?.v ?? 0;
  for (const m of migrations.filter((m) => m.version > current && m.version <= upTo)) {
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, new Date().toISOString()]);
    });
  }
  return migrations.at(-1)!.version;
}
