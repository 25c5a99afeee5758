/**
 * The statements of this adapter on records, audit and subtree_counts that do NOT name their
 * region (the distribution column, region.ts) — on Citus each would go to every shard, or, for a
 * write, become a multi-shard transaction. Every other statement on those tables names it
 * (`region = …` whenever its scope lies at or below the region depth, and every INSERT carries
 * it). test/postgres/distribution.test.ts records the statements of a province admin's API session
 * and of a code admin's (usage counts, 需重新录入, a code's replacement) and holds each to this;
 * the README's "Distribution with Citus" mirrors it.
 *
 * `match` recognises the statement's text (whitespace folded to single spaces); an entry without
 * one is a kind of statement, not a text.
 */
export interface CrossShardStatement {
  what: string;
  match?: RegExp;
  why: string;
}

const BY_ID = 'the port names the record by its id alone (ids carry no region)';
const BY_NODE_ID = 'the port names the node by its id alone, while its callers hold its path (engine/records/query.ts, stats.ts): a port taking the path would make it a router query';
const WHOLE = 'a whole collection (or table), every region by nature';

export const crossShardStatements: CrossShardStatement[] = [
  { what: 'scoped reads above the region depth: lists, counts, searches, grouped counts, scans, a subtree\'s audit, moves, has-descendants, grants in a subtree, and reads scoped by the user\'s own record',
    why: 'the subtree or the read scope spans several regions (a national admin, the root\'s audit with its unplaced entries), or names a record by id: the same statements without region = …; parallel on every shard, which is where distribution pays off' },

  { what: 'a record by id (get, the read before every update, a code replacement\'s read of each record it found in the subtree, a publish\'s version check)', match: /FROM records WHERE id = \$1$/, why: BY_ID },
  { what: 'records by ids (getMany, a field of some records, tree labels, guard data)', match: /FROM records WHERE id = ANY\(\$\d+(::text\[\])?\)$/, why: BY_ID },
  { what: 'a record\'s delete', match: /^DELETE FROM records WHERE id = \$1 AND/, why: BY_ID },
  { what: 'a completeness flag rewritten; a demo state placed', match: /^UPDATE records SET (complete|state) = \$1 WHERE id = \$2/, why: BY_ID },
  { what: 'the node locked before its delete checks it is empty', match: /^SELECT 1 FROM records WHERE id = \$1 FOR UPDATE$/, why: 'by id: a move committed since the caller read the node changed its region too' },
  { what: 'the nodes a batch hangs on, held FOR SHARE', match: /^SELECT id, path FROM records WHERE id = ANY\(\$1::text\[\]\) ORDER BY path FOR SHARE$/, why: 'by id: a node moved since the batch read it is refused by this read, whichever region it went to' },
  { what: 'record_write (one save, also gathered)', match: /\brecord_write\(/,
    why: 'looks the record and its node up by id (an update may move a record into another region, which Citus allows only as delete and insert), reads config_head and writes unique_keys (distributed by value): on Citus a distributed function called by region, its own rows written with it — not done' },

  { what: 'a record\'s history and its count; who last sent an event', match: /FROM audit (a LEFT JOIN users u ON u\.username = a\.actor )?WHERE (a\.)?record_id = \$1/, why: BY_ID },
  { what: 'an audit entry appended by the core (workflow side effects, config changes)', match: /^INSERT INTO audit .*coalesce\(\$10::text, \(SELECT path FROM records WHERE id = \$4::text\)/,
    why: 'carries its region, but when the caller gives no place the place is read by record id' },
  { what: 'titles of deleted records', match: /FROM audit WHERE record_id = ANY\(/, why: BY_ID },
  { what: 'deleted records by a field\'s value (a lookup)', match: /FROM audit WHERE collection = \$1 AND action = 'delete'/, why: 'by value over the whole log' },

  { what: 'the figures of a node above the region depth (tree statistics, a list\'s total, counts per child): the rows of the nodes down to the region depth in its subtree, summed (subtree-counts.ts)',
    match: /FROM subtree_counts s JOIN records m ON m\.region = s\.region AND m\.id = s\.node_id WHERE s\.node_id = s\.region/,
    why: 'the node lies above the regions, so its subtree spans several by nature: a few hundred rows, joined on (region, id) — colocated on Citus' },
  { what: 'a node\'s children, which nodes have children, records on a node', match: /FROM records (r )?WHERE (r\.)?collection = \$\d AND (r\.)?node_id = (\$\d|n\.id)/, why: BY_NODE_ID },
  { what: 'a user\'s grants joined to their nodes (the session principal)', match: /FROM grants g JOIN records r ON r\.id = g\.node_id WHERE g\.user_id = /,
    why: 'grants, users and sessions are distributed by user; the nodes are looked up by id' },

  { what: 'the publish interlock and a batch\'s', match: /^LOCK TABLE records IN (SHARE|ROW EXCLUSIVE) MODE$/, why: 'locks every shard; on Citus it belongs on the config_head row (README)' },
  { what: 'whole collections: a publish\'s migration scan and count, whether a tree or any record exists, counts by state, the tree\'s roots, completeness recomputation, a whole-collection scan',
    match: /FROM records (WHERE collection = (\$1 (LIMIT 1|AND seq > \$2 ORDER BY seq LIMIT \$3|AND node_id IS NULL ORDER BY seq|AND state IS NOT NULL GROUP BY state ORDER BY state)|ANY\(\$1::text\[\]\))$|LIMIT 1$)|^SELECT seq, id, data, complete, version FROM records WHERE collection = \$1|^SELECT count\(\*\) AS n FROM records WHERE collection = \$1( AND \(.*\))?$/,
    why: WHOLE },
  { what: 'a code\'s use over a whole collection (the 代码表 page\'s 使用记录数 in a field or a child table\'s column, a draft code table\'s check, a code\'s removal refused while records hold it): countByValue without a subtree',
    match: /^SELECT (\(data -> \$\d+::text\) #>> '\{\}' AS value, count\(\*\) AS n FROM records|value, count\(DISTINCT id\) AS n FROM \(SELECT id, \((data|r\.v) -> \$\d+::text\) #>> '\{\}' AS value FROM records(, jsonb_array_elements\(.*?\) AS r\(v\))?) WHERE collection = \$\d+ AND \(CASE WHEN jsonb_typeof\(/,
    why: `${WHOLE}: a code table is national, and whether a code is used anywhere is asked of every region (a count per shard, summed); the same count in a subtree of one region names it` },
  { what: 'the operator\'s tools: backup and health counts, the SQLite copy', match: /\(SELECT count\(\*\) FROM records\) AS records|(FROM|INTO) "(records|audit|subtree_counts)"/, why: WHOLE },
];

/** The entry a statement's text is listed under, if any. */
export function crossShardEntry(text: string): CrossShardStatement | undefined {
  const folded = text.replace(/\s+/g, ' ').trim();
  return crossShardStatements.find((s) => s.match?.test(folded));
}
