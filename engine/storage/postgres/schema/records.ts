/**
 * Records on PostgreSQL: the tables of SQLite's migrations 1, 2, 3, 5, 8, 9 and 11 that hold
 * records, their unique keys, their audit log and the subtree counters, at their final shape and
 * with the same names. Runs first: users, grants and the rest reference records.
 *
 * Differences from SQLite, each for a reason:
 * - records.seq is SQLite's rowid (insertion order: pages, scans and cursors go by it); data,
 *   workflow_context, code_versions and audit.diff are jsonb; complete is boolean.
 * - Text that is compared or ordered (ids, paths, states, key values) is COLLATE "C": byte order as
 *   in SQLite, so a subtree is the index range [path, pathUpperBound(path)) (engine/tree-paths.ts).
 * - No tree_closure: a record counts at every node of its own path (a tree record's path ends in its
 *   own id, any other record's path is its node's), which are exactly the ancestors SQLite's
 *   closure lists. The counters are kept by statement-level triggers with transition tables: one
 *   upsert per statement, however many rows it wrote (a batch of a thousand records, a moved branch),
 *   in lock order (sorted), and none at all when a write changes no count (a save of data only).
 * - records_path (path): moves and "has descendants" read a subtree across collections.
 * - The one-statement record write (SQLite's record_writes view and its triggers) is the function
 *   record_write: one round trip. Its guards answer with the refusal instead of raising, so a refused
 *   write leaves the caller's transaction usable, as SQLite's RAISE(ABORT) of one statement does.
 * - The audit log refuses TRUNCATE too.
 */
export const recordsSchema = `
  CREATE TABLE records (
    seq             bigint GENERATED ALWAYS AS IDENTITY UNIQUE,  -- insertion order (SQLite's rowid)
    id              text COLLATE "C" PRIMARY KEY,
    collection      text COLLATE "C" NOT NULL,
    node_id         text COLLATE "C",          -- the tree node the record hangs on (a tree record: its parent)
    path            text COLLATE "C" NOT NULL, -- materialized path '/root/…/node/' used for subtree scoping
    data            jsonb NOT NULL,            -- the record's JSON document
    state           text COLLATE "C",          -- workflow state, when the collection has a workflow
    workflow        text,                      -- machine id and version the state belongs to
    workflow_context jsonb,                    -- the workflow's own data, e.g. a change request
    complete        boolean NOT NULL DEFAULT false,
    code_versions   jsonb,                     -- code-table versions the record was validated against
    version         integer NOT NULL DEFAULT 1,
    created_at      text COLLATE "C" NOT NULL,
    created_by      text,
    updated_at      text COLLATE "C" NOT NULL,
    updated_by      text,
    config_version  integer                    -- the config version it was last written under
  );
  CREATE INDEX records_scope ON records (collection, path, seq);
  CREATE INDEX records_node ON records (collection, node_id);
  CREATE INDEX records_state ON records (collection, state, path);
  CREATE INDEX records_path ON records (path);
  CREATE INDEX records_config_version ON records (config_version);

  CREATE TABLE unique_keys (
    collection text COLLATE "C" NOT NULL,
    key        text COLLATE "C" NOT NULL,
    value      text COLLATE "C" NOT NULL,
    record_id  text COLLATE "C" NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    PRIMARY KEY (collection, key, value)
  );
  CREATE INDEX unique_keys_record ON unique_keys (record_id);

  CREATE TABLE audit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          text COLLATE "C" NOT NULL,
    actor       text,
    collection  text COLLATE "C" NOT NULL,
    record_id   text COLLATE "C" NOT NULL,
    action      text NOT NULL,             -- create | update | delete | event name
    from_state  text,
    to_state    text,
    diff        jsonb,                     -- {field: [before, after]}
    note        text,
    path        text COLLATE "C"           -- the record's place when written (a delete: its last); NULL: none
  );
  CREATE INDEX audit_record ON audit (record_id, id);
  CREATE INDEX audit_place ON audit (path, id);
  -- A deleted record's last data is in its delete entry: lookups find detached records there.
  CREATE INDEX audit_deletes ON audit (collection, id) WHERE action = 'delete';
  CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
  CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
  CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
  CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

  -- Records in each node's subtree by collection and workflow state ('' = none): what the
  -- per-subtree 完整度 and counts read, kept current in the writing transaction.
  CREATE TABLE subtree_counts (
    node_id    text COLLATE "C" NOT NULL,
    collection text COLLATE "C" NOT NULL,
    state      text COLLATE "C" NOT NULL,
    total      bigint NOT NULL,
    complete   bigint NOT NULL,
    PRIMARY KEY (node_id, collection, state)
  );

  -- The nodes a record counts at: the segments of its path.
  CREATE FUNCTION record_path_nodes(path text) RETURNS text[] LANGUAGE sql IMMUTABLE AS
    $$ SELECT string_to_array(nullif(trim(both '/' from path), ''), '/') $$;

  CREATE FUNCTION records_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO subtree_counts AS s (node_id, collection, state, total, complete)
      SELECT node, n.collection, coalesce(n.state, ''), count(*), count(*) FILTER (WHERE n.complete)
      FROM new_rows n, unnest(record_path_nodes(n.path)) AS node
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (node_id, collection, state) DO UPDATE SET total = s.total + excluded.total, complete = s.complete + excluded.complete;
    RETURN NULL;
  END $$;

  -- A record's state, completeness or place changes (one write, or a branch's paths moved at
  -- once): its count leaves the old nodes and joins the new ones; nodes that both hold are left alone.
  CREATE FUNCTION records_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    WITH changed AS (
      SELECT o.path AS old_path, o.collection AS old_collection, coalesce(o.state, '') AS old_state, o.complete AS old_complete,
             n.path, n.collection, coalesce(n.state, '') AS state, n.complete
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.path, o.collection, o.state, o.complete) IS DISTINCT FROM (n.path, n.collection, n.state, n.complete)
    ), delta AS (
      SELECT old_path AS path, old_collection AS collection, old_state AS state, -1 AS total, -old_complete::int AS complete FROM changed
      UNION ALL
      SELECT path, collection, state, 1, complete::int FROM changed
    )
    INSERT INTO subtree_counts AS s (node_id, collection, state, total, complete)
      SELECT node, d.collection, d.state, sum(d.total), sum(d.complete)
      FROM delta d, unnest(record_path_nodes(d.path)) AS node
      GROUP BY 1, 2, 3 HAVING sum(d.total) <> 0 OR sum(d.complete) <> 0 ORDER BY 1, 2, 3
      ON CONFLICT (node_id, collection, state) DO UPDATE SET total = s.total + excluded.total, complete = s.complete + excluded.complete;
    RETURN NULL;
  END $$;

  CREATE FUNCTION records_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO subtree_counts AS s (node_id, collection, state, total, complete)
      SELECT node, o.collection, coalesce(o.state, ''), -count(*), -count(*) FILTER (WHERE o.complete)
      FROM old_rows o, unnest(record_path_nodes(o.path)) AS node
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
      ON CONFLICT (node_id, collection, state) DO UPDATE SET total = s.total + excluded.total, complete = s.complete + excluded.complete;
    DELETE FROM subtree_counts WHERE node_id IN (SELECT id FROM old_rows);
    RETURN NULL;
  END $$;

  CREATE TRIGGER records_counts_insert AFTER INSERT ON records REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION records_counts_insert();
  CREATE TRIGGER records_counts_update AFTER UPDATE ON records REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION records_counts_update();
  CREATE TRIGGER records_counts_delete AFTER DELETE ON records REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION records_counts_delete();

  -- One record write — the record, its unique keys and its audit entry, stamped with the published
  -- config version — in one call. Answers NULL when written, else the refusal: config_changed (the
  -- write names the config version it was checked under, and another is published), stale (the
  -- stored version is not the expected one), node_changed (the node it hangs on moved or vanished
  -- since it was read), duplicate (another record holds one of its keys). Nothing is written then,
  -- and the caller's transaction goes on. p_keys: [[key name, value], …]; NULL on an update keeps
  -- the record's keys. Only a key taken by a concurrent write not yet committed raises (23505).
  CREATE FUNCTION record_write(
    p_op text, p_id text, p_collection text, p_node_id text, p_guard_node text, p_guard_path text, p_path text,
    p_data jsonb, p_state text, p_workflow text, p_workflow_context jsonb, p_complete boolean, p_code_versions jsonb,
    p_version integer, p_expected_version integer, p_at text, p_actor text, p_keys jsonb,
    p_action text, p_from_state text, p_diff jsonb, p_note text, p_config_version integer
  ) RETURNS text LANGUAGE plpgsql AS $$
  DECLARE
    v_published integer;
    v_stored integer;
    v_guard_held boolean;
    v_path text;
    v_node_path text;
  BEGIN
    -- Taken before the published version is read: a publish holding records in SHARE mode
    -- makes this write wait and then read the version it published.
    LOCK TABLE records IN ROW EXCLUSIVE MODE;
    SELECT h.published INTO v_published FROM config_head h WHERE h.id = 1;
    IF p_config_version IS NOT NULL AND p_config_version IS DISTINCT FROM v_published THEN
      RETURN 'config_changed';
    END IF;
    -- The node first, then the record: the order a branch's move locks them in (the node's path
    -- sorts before its records'), so a move and a write inside the branch wait, never deadlock.
    -- Shared lock: the node cannot move or vanish until this write commits; a move in flight is
    -- waited for, and then its new path no longer matches.
    IF p_guard_node IS NOT NULL THEN
      PERFORM 1 FROM records r WHERE r.id = p_guard_node AND r.path = p_guard_path FOR SHARE;
      v_guard_held := FOUND;
    END IF;
    IF p_op = 'update' THEN
      -- Locked: a concurrent update of the same record waits, then finds the version moved on.
      SELECT r.version INTO v_stored FROM records r WHERE r.id = p_id FOR UPDATE;
      IF v_stored IS DISTINCT FROM p_expected_version THEN
        RETURN 'stale';
      END IF;
    END IF;
    IF p_guard_node IS NOT NULL AND NOT v_guard_held THEN
      RETURN 'node_changed';
    END IF;
    IF p_keys IS NOT NULL AND EXISTS (
      SELECT 1 FROM jsonb_array_elements(p_keys) k
      JOIN unique_keys u ON u.collection = p_collection AND u.key = k->>0 AND u.value = k->>1
      WHERE u.record_id <> p_id
    ) THEN
      RETURN 'duplicate';
    END IF;

    -- The place as the node has it now. A writer read the record, then a branch move committed
    -- (it bumps no version, so the write is not stale): the path it read is gone, and writing it back
    -- would put the record outside its node's subtree. SQLite's one writer cannot interleave so; here
    -- the record's path follows its node's (a tree record: its parent's, then its own id).
    v_path := p_path;
    IF p_node_id IS NOT NULL THEN
      SELECT CASE WHEN right(p_path, length(p_id) + 2) = '/' || p_id || '/' THEN n.path || p_id || '/' ELSE n.path END
        INTO v_node_path FROM records n WHERE n.id = p_node_id;
      IF FOUND THEN
        v_path := v_node_path;
      END IF;
    END IF;

    IF p_op = 'create' THEN
      INSERT INTO records (id, collection, node_id, path, data, state, workflow, workflow_context, complete, code_versions,
                           version, created_at, created_by, updated_at, updated_by, config_version)
        VALUES (p_id, p_collection, p_node_id, v_path, p_data, p_state, p_workflow, p_workflow_context, p_complete, p_code_versions,
                p_version, p_at, p_actor, p_at, p_actor, v_published);
    ELSE
      UPDATE records SET node_id = p_node_id, path = v_path, data = p_data, state = p_state, workflow = p_workflow,
          workflow_context = p_workflow_context, complete = p_complete, code_versions = p_code_versions,
          version = p_version, updated_at = p_at, updated_by = p_actor, config_version = v_published
        WHERE id = p_id;
      IF p_keys IS NOT NULL THEN
        DELETE FROM unique_keys WHERE record_id = p_id;
      END IF;
    END IF;
    IF p_keys IS NOT NULL THEN
      INSERT INTO unique_keys (collection, key, value, record_id)
        SELECT p_collection, k->>0, k->>1, p_id FROM jsonb_array_elements(p_keys) k;
    END IF;
    INSERT INTO audit (at, actor, collection, record_id, action, from_state, to_state, diff, note, path)
      VALUES (p_at, p_actor, p_collection, p_id, p_action, p_from_state, p_state, p_diff, p_note, v_path);
    RETURN NULL;
  END $$;
`;
