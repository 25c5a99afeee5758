import type { Param, Queryable } from './sqlite.js';
import type { ReadScope } from '../../ports.js';
import { scopeCondition } from './record-query.js';

/**
 * The code fields of a collection's records as one short JSON array per record, in an index:
 * `(json_extract(data, '$.f1', '$.f2', …), path) WHERE collection = '<c>'`. A grouped count or a
 * cross-tab of code fields over a subtree then reads only this index, in its order — a million
 * entries of some 60 bytes instead of a million JSON documents — and groups by the whole array
 * (its distinct values are the combinations that occur, few); the caller sums them per field.
 * The index is derived from the schema, like the validators: made (or remade, when the code
 * fields changed) on first use, maintained by SQLite on every write after that.
 */
const PLAIN = /^[A-Za-z0-9_-]+$/;

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
const nameOf = (collection: string) => `records_facts_${collection.replace(/[^A-Za-z0-9_]/g, '_')}`;
const expressionOf = (fields: string[]) => `json_extract(data, ${fields.map((f) => literal(`$.${f}`)).join(', ')})`;

/** Whether a collection and its fields can be written into an index definition as they are. */
export const factIndexable = (collection: string, fields: string[]) =>
  fields.length > 0 && fields.length <= 60 && PLAIN.test(collection) && fields.every((f) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(f));

const ensured = new Map<string, Promise<void>>();

/**
 * Records of `collection` in the subtree of the node at `path`, per child node ('' for the node
 * itself), from the subtree counters (migration 3): each child's counter, and the node's own less
 * theirs. The children are the node's records in its own (the tree's) collection; a child's
 * counter counts it too when the collection is the tree's, as the index would.
 * engine/storage/postgres/fact-index.ts is the PostgreSQL twin.
 */
async function perChildFromCounters(db: Queryable, collection: string, path: string): Promise<{ child: string; n: number }[]> {
  const node = path.split('/').at(-2) ?? '';
  return db.all<{ child: string; n: number }>(
    `WITH kids AS (
       SELECT c.id FROM records t JOIN records c ON c.collection = t.collection AND c.node_id = t.id AND c.path = ?3 || c.id || '/'
       WHERE t.id = ?1
     ), per_child AS (
       SELECT s.node_id AS child, sum(s.total) AS n FROM subtree_counts s JOIN kids k ON k.id = s.node_id WHERE s.collection = ?2 GROUP BY 1
     )
     SELECT child, n FROM per_child WHERE n > 0
     UNION ALL
     SELECT '', n FROM (SELECT coalesce((SELECT sum(total) FROM subtree_counts WHERE node_id = ?1 AND collection = ?2), 0)
                             - coalesce((SELECT sum(n) FROM per_child), 0) AS n) WHERE n > 0`,
    [node, collection, path]);
}

export const factIndex = {
  /** Makes the collection's index of these fields unless it is there as defined (drops an older definition). */
  async ensure(db: Queryable, collection: string, fields: string[]): Promise<void> {
    const name = nameOf(collection);
    const sql = `CREATE INDEX ${name} ON records (${expressionOf(fields)}, path) WHERE collection = ${literal(collection)}`;
    const key = `${name}\n${sql}`;
    let done = ensured.get(key);
    if (!done) {
      done = (async () => {
        const row = await db.get<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [name]);
        if (row?.sql === sql) return;
        if (row) await db.exec(`DROP INDEX ${name}`);
        await db.exec(sql);
      })();
      ensured.set(key, done);
      done.catch(() => ensured.delete(key));
    }
    return done;
  },

  /**
   * Counts of the records in scope per combination of these code fields' values (and, with
   * `childOf`, per child of that path): read from the index alone.
   */
  async groupCount(db: Queryable, collection: string, fields: string[], scope: ReadScope, childOf?: string, read?: string[]): Promise<{ values: (string | null)[]; child?: string; n: number }[]> {
    // Per child with no field read, over exactly the node's subtree: the counters, no index read.
    if (read && !read.length && childOf !== undefined && !scope.selfRecord && scope.paths.length === 1 && scope.paths[0] === childOf) {
      return (await perChildFromCounters(db, collection, childOf)).map((r) => ({ values: fields.map(() => null), ...r }));
    }
    await factIndex.ensure(db, collection, fields);
    const s = scopeCondition(scope);
    const expr = expressionOf(fields);
    const params: Param[] = [];
    let child = '';
    if (childOf !== undefined) {
      params.push(childOf.length + 1, childOf.length + 1);
      child = ", substr(path, ?, max(instr(substr(path, ?), '/') - 1, 0)) AS child";
    }
    const rows = await db.all<{ fp: string | null; child?: string; n: number }>(
      `SELECT ${expr} AS fp${child}, count(*) AS n FROM records INDEXED BY ${nameOf(collection)}
       WHERE collection = ${literal(collection)} AND ${s.sql} GROUP BY fp${child ? ', child' : ''}`,
      [...params, ...s.params],
    );
    return rows.map((r) => ({ values: r.fp === null ? fields.map(() => null) : fields.length === 1 ? [r.fp] : JSON.parse(r.fp), ...(child ? { child: r.child ?? '' } : {}), n: Number(r.n) }));
  },
};
