import { Database } from './storage/sqlite.js';
import { migrate } from './storage/migrations.js';
import { AppRuntime } from './runtime/runtime.js';
import { RecordService } from './records/service.js';
import type { Lifecycle } from './records/lifecycle.js';
import { workflowLifecycle } from './workflow/lifecycle.js';
import { keepDerivedFields } from './grants/derived.js';

export interface EngineOptions {
  /** Folder holding forms/, workflows/ and templates/. */
  appRoot: string;
  /** SQLite file. */
  dbFile: string;
}

/** The running engine: database, the current application runtime and the services over them. */
export interface Engine {
  readonly db: Database;
  readonly runtime: AppRuntime;
  readonly records: RecordService;
  readonly lifecycle: Lifecycle;
  readonly appRoot: string;
  close(): Promise<void>;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const runtime = AppRuntime.load(options.appRoot);
  const db = await Database.open(options.dbFile);
  await migrate(db);
  const engine: Engine = {
    db,
    runtime,
    lifecycle: workflowLifecycle(() => engine.runtime, (tx, actor, record) => keepDerivedFields(engine, tx, actor, record)),
    appRoot: options.appRoot,
    records: new RecordService(db, () => engine.runtime, () => engine.lifecycle),
    close: () => db.close(),
  };
  return engine;
}
