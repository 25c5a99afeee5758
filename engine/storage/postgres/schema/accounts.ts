/**
 * Accounts and config on PostgreSQL: the tables of SQLite's migrations 1 (users, grants,
 * sessions), 2 and 8 (directory), 6 (account state) and 11 (config versions, head, draft,
 * history) at their final shape, with the same names. Runs after the records piece: users and
 * grants reference records.
 *
 * Differences from SQLite, each for a reason:
 * - booleans are `boolean` (must_change_password); the adapter reads them back as 0/1, the shape
 *   the port's UserRow has.
 * - grants gain `seq` (SQLite's rowid): the grants of a node are listed in the order given.
 * - config files, drafts and history details are `jsonb`.
 * - config_history's id is an identity column (SQLite's AUTOINCREMENT).
 * - text compared or ordered (usernames, timestamps, directory keys) is COLLATE "C", byte order as
 *   in SQLite.
 * - indexes SQLite did without, because PostgreSQL does not index a referencing column by itself
 *   and a cascade would scan: sessions by user, users by bound record; sessions by expiry, which
 *   every login prunes.
 * - the immutable and append-only tables also refuse TRUNCATE (SQLite has none).
 */
export const accountsSchema = `
  CREATE TABLE users (
    id                   text PRIMARY KEY,
    username             text COLLATE "C" NOT NULL UNIQUE,
    password_hash        text NOT NULL,
    display_name         text NOT NULL,
    self_collection      text,
    self_record          text REFERENCES records (id) ON DELETE SET NULL,
    created_at           text COLLATE "C" NOT NULL,
    must_change_password boolean NOT NULL DEFAULT false,  -- a password someone else set (first or reset)
    locked_at            text                              -- set: the account cannot log in
  );
  CREATE INDEX users_self_record ON users (self_record) WHERE self_record IS NOT NULL;

  CREATE TABLE grants (
    seq     bigint GENERATED ALWAYS AS IDENTITY UNIQUE,    -- the order grants were given
    user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    text NOT NULL,
    node_id text NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, role, node_id)
  );
  CREATE INDEX grants_node ON grants (node_id);

  CREATE TABLE sessions (
    id         text PRIMARY KEY,      -- sha-256 of the cookie token: a stolen table holds no usable token
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       text NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    expires_at text COLLATE "C" NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE INDEX sessions_expiry ON sessions (expires_at);

  CREATE TABLE directory (
    collection    text COLLATE "C" NOT NULL,   -- the collection whose records the directory rows describe
    key           text COLLATE "C" NOT NULL,   -- a lookup key field, e.g. a registration code
    value         text COLLATE "C" NOT NULL,
    data          jsonb NOT NULL,              -- the row's fields, as the collection's schema names them
    imported_at   text NOT NULL,
    imported_by   text,
    imported_path text,                        -- the granted node's path whose authority loaded the row
    PRIMARY KEY (collection, key, value)
  );

  CREATE TABLE config_versions (
    number   integer PRIMARY KEY,
    files    jsonb NOT NULL,          -- {path: text | {base64}}: the snapshot
    hash     text NOT NULL,           -- sha256 over the sorted paths and contents
    author   text,
    at       text NOT NULL,
    note     text,
    origin   text NOT NULL,           -- files | draft | rollback | codes | watch
    based_on integer                  -- the version published when this one was made
  );

  CREATE TABLE config_head (
    id            integer PRIMARY KEY CHECK (id = 1),
    published     integer NOT NULL REFERENCES config_versions (number),
    files_version integer,            -- the version last imported from the application's files
    files_hash    text                -- their hash (a release whose files differ becomes a draft)
  );

  CREATE TABLE config_draft (
    id               integer PRIMARY KEY CHECK (id = 1),  -- one draft per application
    base             integer NOT NULL,                    -- the version it was opened from
    files            jsonb NOT NULL,
    version          integer NOT NULL,                    -- bumped by every save (409 on a stale one)
    origin           text NOT NULL,                       -- admin | release | import
    created_by       text, created_at text NOT NULL,
    updated_by       text, updated_at text NOT NULL,
    proposed_by      text, proposed_at text, proposed_note text, proposed_version integer
  );

  CREATE TABLE config_history (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      text NOT NULL,
    actor   text,
    action  text NOT NULL,            -- open | save | discard | propose | approve | publish | rollback | import | release
    version integer,                  -- the config version it made or concerns
    draft   integer,                  -- the draft's version after a save
    note    text,
    detail  jsonb                     -- the documents changed, the records migrated …
  );

  -- The store itself refuses to change a config version or a history entry, whoever asks.
  CREATE FUNCTION config_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
  END $$;
  CREATE TRIGGER config_versions_immutable BEFORE UPDATE OR DELETE ON config_versions
    FOR EACH ROW EXECUTE FUNCTION config_refuse_change('config versions are immutable');
  CREATE TRIGGER config_versions_immutable_truncate BEFORE TRUNCATE ON config_versions
    FOR EACH STATEMENT EXECUTE FUNCTION config_refuse_change('config versions are immutable');
  CREATE TRIGGER config_history_append_only BEFORE UPDATE OR DELETE ON config_history
    FOR EACH ROW EXECUTE FUNCTION config_refuse_change('config history is append-only');
  CREATE TRIGGER config_history_append_only_truncate BEFORE TRUNCATE ON config_history
    FOR EACH STATEMENT EXECUTE FUNCTION config_refuse_change('config history is append-only');
`;
