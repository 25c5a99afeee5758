import { randomUUID } from 'node:crypto';
import type { Queryable } from './sqlite.js';
import type { SavedQuery } from '../../ports.js';
import { pathUpperBound } from '../../tree-paths.js';

interface Row { id: string; owner: string; owner_name: string | null; collection: string; kind: 'query' | 'stats'; name: string; spec: string; shared_path: string | null; created_at: string }

const fromRow = (r: Row): SavedQuery => ({
  id: r.id, owner: r.owner, ownerName: r.owner_name ?? '', collection: r.collection, kind: r.kind, name: r.name,
  spec: JSON.parse(r.spec), sharedPath: r.shared_path, createdAt: r.created_at,
});

/** Saved queries and statistics: a user's own, and those shared on a subtree the user reads within or above. */
export const savedQueries = {
  async list(db: Queryable, owner: string, collection: string, readPaths: string[]): Promise<SavedQuery[]> {
    // Shared on a subtree that overlaps one the user reads: inside it (a lower node) or above it.
    const overlap = readPaths.map(() => '(shared_path >= ? AND shared_path < ?) OR substr(?, 1, length(shared_path)) = shared_path');
    const params = readPaths.flatMap((p) => [p, pathUpperBound(p), p]);
    const rows = await db.all<Row>(
      `SELECT q.*, u.display_name AS owner_name FROM saved_queries q LEFT JOIN users u ON u.id = q.owner
       WHERE q.collection = ? AND (q.owner = ?${overlap.length ? ` OR (q.shared_path IS NOT NULL AND (${overlap.join(' OR ')}))` : ''})
       ORDER BY q.created_at DESC LIMIT 500`,
      [collection, owner, ...params],
    );
    return rows.map(fromRow);
  },

  async create(db: Queryable, q: Omit<SavedQuery, 'id' | 'createdAt' | 'ownerName'>): Promise<string> {
    const id = randomUUID();
    await db.run('INSERT INTO saved_queries (id, owner, collection, kind, name, spec, shared_path, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [id, q.owner, q.collection, q.kind, q.name, JSON.stringify(q.spec), q.sharedPath, new Date().toISOString()]);
    return id;
  },

  /** Removes one of the owner's saved queries; false when the owner has none of that id. */
  async remove(db: Queryable, owner: string, id: string): Promise<boolean> {
    return (await db.run('DELETE FROM saved_queries WHERE id = ? AND owner = ?', [id, owner])).changes > 0;
  },
};
