import { fenced } from './record-write-fenced.js';

/**
 * Migration 5: the distribution column `region` on records, audit and subtree_counts — the
 * column a Citus deployment distributes them by (README, "Distribution with Citus"), and which
 * the adapter's queries name whenever their scope lies in one region (region.ts).
 *
 * - region_depth(): the depth, chosen when this migration runs (CAIJI_REGION_DEPTH, default 2: the
 *   root's children) and inlined as a constant. It is the one place the depth lives: path_region
 *   and the counter triggers call it, the adapter reads it once per pool. Never replaced: every
 *   stored region follows it.
 * - path_region(path): the path's segment at that depth, or for a shorter path its last segment
 *   (the root's records are region '<root id>'). IMMUTABLE and one expression, so PostgreSQL
 *   inlines it and the back-fill below may use it as a generation expression.
 * - The back-fill: each column is added as a stored generated column (one rewrite of the table, no
 *   UPDATE: no dead rows, no append-only trigger of the audit, no counter trigger run over every
 *   record), then made a plain column that every writer sets (DROP EXPRESSION): on Citus an INSERT
 *   must carry its distribution column's value to be routed. NOT NULL: a writer that forgets it fails.
 * - audit: an entry's region is its path's; an entry without a place (a code table's change, read
 *   only by the root's audit, which spans every region anyway) has region '' (none).
 * - subtree_counts: a node's counter rows carry the node's own region (the counted record's region
 *   for the nodes at or below the depth, the node's id above it). Back-filled from the node's record;
 *   a counter row without one (there should be none) takes its node id.
 * - The counter triggers write the node's region, move it with a branch that changes region, and
 *   delete a node's rows by (region, node). record_write writes region with the path it stores
 *   (create, update, and a record moved to another node: the new path's region), and looks its
 *   guard node up with the guard path's region.
 *
 * Primary keys stay as they are (records by id, audit by id, subtree_counts by node, collection
 * and state): on plain PostgreSQL adding region to them would make hot indexes bigger for nothing
 * (a region is a function of the path); what must change before Citus is in the README.
 */
export function regionSchema(depth: number): string {
  if (!Number.isInteger(depth) || depth < 2) throw new Error(`region depth ${depth}: an integer of at least 2`);
  return `
  CREATE FUNCTION region_depth() RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT ${depth} $$;
  CREATE FUNCTION path_region(path text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
    $$ SELECT coalesce(nullif(split_part(path, '/', region_depth() + 1), ''), split_part(path, '/', -2)) $$;

  ALTER TABLE records ADD COLUMN region text COLLATE "C" GENERATED ALWAYS AS (path_region(path)) STORED;
  ALTER TABLE records ALTER COLUMN region DROP EXPRESSION;
  ALTER TABLE records ALTER COLUMN region SET NOT NULL;

  ALTER TABLE audit ADD COLUMN region text COLLATE "C" GENERATED ALWAYS AS (coalesce(path_region(path), '')) STORED;
  ALTER TABLE audit ALTER COLUMN region DROP EXPRESSION;
  ALTER TABLE audit ALTER COLUMN region SET NOT NULL;

  ALTER TABLE subtree_counts ADD COLUMN region text COLLATE "C";
  ALTER TABLE subtree_counts DISABLE TRIGGER USER;
  UPDATE subtree_counts s SET region = coalesce((SELECT r.region FROM records r WHERE r.id = s.node_id), s.node_id);
  ALTER TABLE subtree_counts ENABLE TRIGGER USER;
  ALTER TABLE subtree_counts ALTER COLUMN region SET NOT NULL;
${countersSql}
${recordWriteSql}
`;
}

/** A node's region in the counter triggers: x is the node's place in the counted record's path (unnest … WITH ORDINALITY). */
export const NODE_REGION = 'CASE WHEN x.ord < region_depth() THEN x.node ELSE n.region END';

export const countersSql = `
  CREATE OR REPLACE FUNCTION records_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO subtree_counts AS s (region, node_id, collection, state, total, complete)
      SELECT ${NODE_REGION}, x.node, n.collection, coalesce(n.state, ''), count(*), count(*) FILTER (WHERE n.complete)
      FROM new_rows n, unnest(record_path_nodes(n.path)) WITH ORDINALITY AS x(node, ord)
      GROUP BY 1, 2, 3, 4 ORDER BY 2, 3, 4
      ON CONFLICT (node_id, collection, state) DO UPDATE SET total = s.total + excluded.total, complete = s.complete + excluded.complete;
    RETURN NULL;
  END $$;

  -- As version 1's, with the node's region; and the counter rows of the nodes a move carried into
  -- another region (a branch moved to another province) follow their node's region. A node's old
  -- and new place name different regions only inside a moved branch, where its count nets to zero
  -- (left out), so one region per node group (max) is its region; the UPDATE after moves the rest.
  CREATE OR REPLACE FUNCTION records_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    WITH changed AS (
      SELECT o.path AS old_path, o.region AS old_region, o.collection AS old_collection, coalesce(o.state, '') AS old_state, o.complete AS old_complete,
             n.path, n.region, n.collection, coalesce(n.state, '') AS state, n.complete
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE (o.path, o.collection, o.state, o.complete) IS DISTINCT FROM (n.path, n.collection, n.state, n.complete)
    ), delta AS (
      SELECT old_path AS path, old_region AS region, old_collection AS collection, old_state AS state, -1 AS total, -old_complete::int AS complete FROM changed
      UNION ALL
      SELECT path, region, collection, state, 1, complete::int FROM changed
    )
    INSERT INTO subtree_counts AS s (region, node_id, collection, state, total, complete)
      SELECT max(${NODE_REGION}), x.node, n.collection, n.state, sum(n.total), sum(n.complete)
      FROM delta n, unnest(record_path_nodes(n.path)) WITH ORDINALITY AS x(node, ord)
      GROUP BY 2, 3, 4 HAVING sum(n.total) <> 0 OR sum(n.complete) <> 0 ORDER BY 2, 3, 4
      ON CONFLICT (node_id, collection, state) DO UPDATE SET total = s.total + excluded.total, complete = s.complete + excluded.complete;
    UPDATE subtree_counts s SET region = n.region
      FROM old_rows o JOIN new_rows n ON n.id = o.id
      WHERE n.region <> o.region AND s.region = o.region AND s.node_id = o.id;
    RETURN NULL;
  END $$;

  CREATE OR REPLACE FUNCTION records_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO subtree_counts AS s (region, node_id, collection, state, total, complete)
      SELECT ${NODE_REGION}, x.node, n.collection, coalesce(n.state, ''), -count(*), -count(*) FILTER (WHERE n.complete)
      FROM old_rows n, unnest(record_path_nodes(n.path)) WITH ORDINALITY AS x(node, ord)
      GROUP BY 1, 2, 3, 4 ORDER BY 2, 3, 4
      ON CONFLICT (node_id, collection, state) DO UPDATE SET total = s.total + excluded.total, complete = s.complete + excluded.complete;
    DELETE FROM subtree_counts s USING old_rows o WHERE s.region = o.region AND s.node_id = o.id;
    RETURN NULL;
  END $$;
`;

/** Every occurrence of `from` replaced; a text of version 4 that no longer holds it is a build error, not a silent skip. */
const everywhere = (text: string, from: string, to: string) => {
  if (!text.includes(from)) throw new Error(`record_write of version 4 changed: "${from.trim()}" not found`);
  return text.replaceAll(from, to);
};

/** Version 4's record_write (fenced and unfenced writes alike), writing region with every path it stores. */
const recordWriteSql = [
  ['  CREATE FUNCTION record_write(', '  CREATE OR REPLACE FUNCTION record_write('],
  ['PERFORM 1 FROM records r WHERE r.id = p_guard_node AND r.path = p_guard_path FOR SHARE',
    'PERFORM 1 FROM records r WHERE r.region = path_region(p_guard_path) AND r.id = p_guard_node AND r.path = p_guard_path FOR SHARE'],
  ['INSERT INTO records (id, collection,', 'INSERT INTO records (region, id, collection,'],
  ['VALUES (p_id, p_collection, p_node_id, v_path,', 'VALUES (path_region(v_path), p_id, p_collection, p_node_id, v_path,'],
  ['UPDATE records SET node_id = p_node_id, path = v_path,', 'UPDATE records SET node_id = p_node_id, path = v_path, region = path_region(v_path),'],
  ['INSERT INTO audit (at, actor, collection, record_id, action, from_state, to_state, diff, note, path)',
    'INSERT INTO audit (at, actor, collection, record_id, action, from_state, to_state, diff, note, path, region)'],
  ['p_state, p_diff, p_note, v_path);', 'p_state, p_diff, p_note, v_path, path_region(v_path));'],
].reduce((text, [from, to]) => everywhere(text, from, to), fenced);
