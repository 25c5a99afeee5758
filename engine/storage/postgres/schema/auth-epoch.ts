/**
 * Migration 2: the shared auth epoch (engine/storage/postgres/auth-epoch.ts) — exactly one row,
 * bumped by every committed write that changes who may do what. SQLite has no such table: its
 * epoch is the process's counter (engine/storage/sqlite/auth-epoch.ts).
 */
export const authEpochSchema = `
  CREATE TABLE auth_epoch (
    id smallint PRIMARY KEY CHECK (id = 1),
    n  bigint NOT NULL
  );
  INSERT INTO auth_epoch (id, n) VALUES (1, 0);
`;
