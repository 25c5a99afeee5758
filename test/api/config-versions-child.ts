/**
 * A child process for test/api/config-versions-process.test.ts: publishes the draft of the
 * database it is given, and — with "hold" — stops inside the publish's transaction once the first
 * records are migrated (prints "migrating" and blocks), so the parent can kill -9 it there.
 */
import { createEngine } from '../../engine/engine.js';
import { publishDraft } from '../../engine/config-versions/drafts.js';

const [dbFile, appRoot, mode] = process.argv.slice(2);
const engine = await createEngine({ appRoot, database: dbFile });
const draft = (await engine.storage.configVersions.draft(engine.storage.db))!;
const result = await publishDraft(engine, '子进程', '子进程发布', draft.version, (done, total) => {
  if (mode !== 'hold') return;
  console.log(`migrating ${done}/${total}`);
  // Blocks the process (and so the open transaction) until the parent kills it.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
});
console.log(`published ${result.version} migrated ${result.migrated}`);
await engine.close();
