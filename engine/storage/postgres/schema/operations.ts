/**
 * The operational tables, as SQLite's migrations 4, 7, 10 and 12 leave them (same names and
 * columns): the import log, failed-login counters, saved queries, jobs with their file chunks and
 * import previews. Times the SQLite adapter keeps in ms are bigint; ISO-8601 text stays text.
 * saved_queries refers to users: this piece runs after the accounts piece.
 */
export const operationsSchema = `
  CREATE TABLE import_log (
    seq          bigint GENERATED ALWAYS AS IDENTITY UNIQUE, -- insertion order (SQLite's rowid), the list's tie-break
    id           text PRIMARY KEY,
    collection   text NOT NULL,
    actor        text,
    filename     text,
    status       text NOT NULL,          -- previewed | committed | failed | expired
    at           text NOT NULL COLLATE "C",
    committed_at text,
    total        integer NOT NULL DEFAULT 0,
    created      integer NOT NULL DEFAULT 0,
    updated      integer NOT NULL DEFAULT 0,
    unchanged    integer NOT NULL DEFAULT 0,
    invalid      integer NOT NULL DEFAULT 0,
    message      text,
    errors_file  bytea
  );
  CREATE INDEX import_log_collection ON import_log (collection, at, seq);

  -- Read and written by every server process on this database (login-failures.ts).
  CREATE TABLE login_failures (
    key           text PRIMARY KEY,      -- 'account:<username>' or 'address:<client address>'
    failures      integer NOT NULL,
    first_at      bigint NOT NULL,       -- ms since the epoch
    blocked_until bigint NOT NULL,       -- ms (0: none)
    expires_at    bigint NOT NULL        -- ms: the count is forgotten, the row pruned
  );
  CREATE INDEX login_failures_expiry ON login_failures (expires_at);

  CREATE TABLE saved_queries (
    id          text PRIMARY KEY,
    owner       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    collection  text NOT NULL,
    kind        text NOT NULL,           -- query | stats
    name        text NOT NULL,
    spec        jsonb NOT NULL,          -- the checked request, without its node
    shared_path text COLLATE "C",        -- set: shown to whoever reads within or above this subtree
    created_at  text NOT NULL COLLATE "C"
  );
  CREATE INDEX saved_queries_owner ON saved_queries (owner, collection);
  CREATE INDEX saved_queries_shared ON saved_queries (shared_path) WHERE shared_path IS NOT NULL;

  CREATE TABLE jobs (
    id          text PRIMARY KEY,
    owner       text NOT NULL,
    kind        text NOT NULL,
    status      text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    done        integer NOT NULL DEFAULT 0,
    total       integer NOT NULL DEFAULT 0,
    error       jsonb,                   -- the failure as the HTTP error body says it
    result      jsonb,                   -- a small result (a file result is in job_files)
    file_type   text, file_name text, file_size bigint,
    instance    text NOT NULL,
    heartbeat   bigint NOT NULL,         -- ms
    created_at  bigint NOT NULL,
    finished_at bigint
  );
  CREATE INDEX jobs_running ON jobs (owner, kind) WHERE status = 'running';
  CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
  CREATE TABLE job_files (
    job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq    integer NOT NULL,
    chunk  bytea NOT NULL,
    PRIMARY KEY (job_id, seq)
  );

  CREATE TABLE import_previews (
    id         text PRIMARY KEY,
    owner      text NOT NULL,
    collection text NOT NULL,
    state      text NOT NULL CHECK (state IN ('open', 'committing')),
    rows       bytea NOT NULL,           -- the checked rows, gzipped JSON
    at         bigint NOT NULL           -- ms: made, or claimed for a commit
  );
  CREATE INDEX import_previews_at ON import_previews (at);
`;
