/**
 * The storage port's vocabulary for saved queries and statistics. Types only, no adapter's:
 * engine/ports.ts re-exports them.
 */

/** A saved query or statistic: its owner's own, or shared on a subtree (sharedPath). */
export interface SavedQuery {
  id: string;
  owner: string;
  ownerName: string;
  collection: string;
  kind: 'query' | 'stats';
  name: string;
  spec: unknown;
  sharedPath: string | null;
  createdAt: string;
}
