/**
 * Why the database refused a record write (see migration 5's guards and unique_keys' key;
 * config_changed: the write named the config version it was made under, and another is published).
 */
export type WriteRefusal = 'stale' | 'node_changed' | 'duplicate' | 'config_changed';

export class RecordWriteRefused extends Error {
  constructor(readonly reason: WriteRefusal) {
    super(`record write refused: ${reason}`);
  }
}
