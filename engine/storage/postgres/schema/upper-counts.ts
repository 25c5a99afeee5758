import { countersSql, NODE_REGION } from './region.js';

/**
 * Migration 6: counters are kept from the region down; the nodes above it are summed when read.
 *
 * Until version 5 a record counted at every node of its path, the root's included, so every write
 * that changed a count anywhere in the tree (a new record, a state or completeness change, a move)
 * updated the root's counter row and held its lock until COMMIT: all such saves of the whole tree
 * queued on one row — about a thousand a second whatever the server — and on Citus the root's row
 * would be a cross-shard write in every transaction.
 *
 * From here on a record counts at the nodes of its path from the region depth down (region.ts: the
 * path's segment at region_depth(), a province with the default depth), all of them in the record's
 * own region. A record above that depth (the root's own records, or a node shallower than the depth)
 * counts at its own node only. So the stored rows are:
 * - a node at or below the region depth: its whole subtree, as before (its region's row);
 * - a node above it: only the records at its own level.
 * Those of both kinds whose node is at most at the region depth are exactly the rows whose node is
 * its own region (node_id = region), a few hundred in a country; their partial index below lets a
 * node above the region depth be read as the sum of such rows in its subtree
 * (subtree-counts.ts), joined to their nodes on (region, id) — colocated on Citus.
 *
 * The triggers are version 5's text with one condition added (counted nodes start at the
 * min(region depth, path length)-th segment) and the node's region simplified: every counted node
 * is in the record's region. The rows of nodes above the depth are rebuilt from the records.
 */
const COUNTED = 'x.ord >= least(region_depth(), cardinality(record_path_nodes(n.path)))';

/** A path's number of segments ('/a/b/' → 2), in SQL. */
export const PATH_DEPTH_SQL = (path: string) => `(length(${path}) - length(replace(${path}, '/', '')) - 1)`;

/** Every occurrence of `from`, which must occur `times` times in version 5's text (a changed text is a build error). */
const counted = (text: string, from: string, to: string, times: number) => {
  if (text.split(from).length - 1 !== times) throw new Error(`the counter triggers of version 5 changed: "${from.trim()}" not ${times} times`);
  return text.replaceAll(from, to);
};

/** Version 5's triggers, each counting from the region down, every counted node in the record's region. */
const triggers = counted(counted(countersSql, NODE_REGION, 'n.region', 3),
  'WITH ORDINALITY AS x(node, ord)\n      GROUP BY', `WITH ORDINALITY AS x(node, ord)\n      WHERE ${COUNTED}\n      GROUP BY`, 3);

export const upperCountsSchema = `
${triggers}
  -- The nodes above the region depth keep their own level only: their rows are rebuilt from the
  -- records that lie there (one pass over the records, once).
  DELETE FROM subtree_counts s USING records m
    WHERE m.region = s.region AND m.id = s.node_id AND ${PATH_DEPTH_SQL('m.path')} < region_depth();
  INSERT INTO subtree_counts (region, node_id, collection, state, total, complete)
    SELECT r.region, r.region, r.collection, coalesce(r.state, ''), count(*), count(*) FILTER (WHERE r.complete)
    FROM records r WHERE ${PATH_DEPTH_SQL('r.path')} < region_depth()
    GROUP BY 1, 2, 3, 4 ORDER BY 2, 3, 4;

  CREATE INDEX subtree_counts_upper ON subtree_counts (collection, node_id) WHERE node_id = region;
`;
