import { randomUUID } from 'node:crypto';
import type { PgQueryable } from './connection.js';
import type { SavedQuery } from '../../ports.js';
import { pathUpperBound } from '../../tree-paths.js';

interface Row { id: string; owner: string; owner_name: string | null; collection: string; kind: 'query' | 'stats'; name: string; spec: unknown; shared_path: string | null; created_at: string }

const fromRow = (r: Row): SavedQuery => ({
  id: r.id, owner: r.owner, ownerName: r.owner_name ?? '', collection: r.collection, kind: r.kind, name: r.name,
  spec: r.spec, sharedPath: r.shared_path, createdAt: r.created_at,
});

/** Saved queries on PostgreSQL (engine/storage/sqlite/saved-queries.ts): a user's own, and those shared on a subtree the user reads within or above. */
export const pgSavedQueries = {
  async list(db: PgQueryable, owner: string, collection: string, readPaths: string[]): Promise<SavedQuery[]> {
    const params: unknown[] = [collection, owner];
    const $ = (v: unknown) => `$${params.push(v)}`;
    // Inside a read subtree (a lower node: the indexed path range, byte-wise) or above it (a prefix of the read path).
    const overlap = readPaths.map((p) => `(q.shared_path >= ${$(p)} AND q.shared_path < ${$(pathUpperBound(p))}) OR starts_with(${$(p)}, q.shared_path)`);
    const { rows } = await db.query<Row>(
      `SELECT q.*, u.display_name AS owner_name FROM saved_queries q LEFT JOIN users u ON u.id = q.owner
       WHERE q.collection = $1 AND (q.owner = $2${overlap.length ? ` OR (q.shared_path IS NOT NULL AND (${overlap.join(' OR ')}))` : ''})
       ORDER BY q.created_at DESC LIMIT 500`,
      params,
    );
    return rows.map(fromRow);
  },

  async create(db: PgQueryable, q: Omit<SavedQuery, 'id' | 'createdAt' | 'ownerName'>): Promise<string> {
    const id = randomUUID();
    await db.query('INSERT INTO saved_queries (id, owner, collection, kind, name, spec, shared_path, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [id, q.owner, q.collection, q.kind, q.name, JSON.stringify(q.spec), q.sharedPath, new Date().toISOString()]);
    return id;
  },

  async remove(db: PgQueryable, owner: string, id: string): Promise<boolean> {
    return (await db.query('DELETE FROM saved_queries WHERE id = $1 AND owner = $2', [id, owner])).rowCount > 0;
  },
};
