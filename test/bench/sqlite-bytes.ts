/**
 * Bytes on disk per member of a SQLite database: the file and its WAL over the members, and an
 * organization's share scaled by its JSON's length against a member's (as postgres-bench.ts does
 * with PostgreSQL's row sizes). Part of `npm run bench`; alone: `npx tsx test/bench/sqlite-bytes.ts <file>`.
 */
import { existsSync, statSync } from 'node:fs';
import sqlite3 from 'sqlite3';

type Add = (figure: string, value: string, baseline: string, ratio: string, target: string, ok: boolean | null) => void;

export function sqliteBytes(file: string, add: Add): Promise<void> {
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  return new Promise<void>((res, rej) => db.get(
    `SELECT (SELECT count(*) FROM records WHERE collection = 'member') AS members, (SELECT count(*) FROM records WHERE collection = 'organization') AS orgs,
            (SELECT avg(length(data)) FROM (SELECT data FROM records WHERE collection = 'member' LIMIT 20000)) AS mdata,
            (SELECT avg(length(data)) FROM (SELECT data FROM records WHERE collection = 'organization' LIMIT 20000)) AS odata`,
    (e: Error | null, r: { members: number; orgs: number; mdata: number; odata: number }) => {
      db.close();
      if (e) return rej(e);
      const bytes = statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
      add(`bytes on disk per member, file / members (${r.members} members, ${r.orgs} organizations, ${(bytes / 2 ** 30).toFixed(2)} GiB)`, `${(bytes / r.members).toFixed(0)} B`, '–', '–', '–', null);
      add('  per organization (its JSON against a member\'s, same share of indexes and audit)', `${(bytes / r.members * r.odata / r.mdata).toFixed(0)} B`, '–', '–', '–', null);
      res();
    }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await sqliteBytes(process.argv[2], (...r) => console.log(`| SQLite | ${r.join(' | ')} |`));
}
