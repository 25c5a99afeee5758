import { Database } from './storage/sqlite.js';
import { migrate } from './storage/migrations.js';
import { AppRuntime } from './runtime/runtime.js';
import { LiveConfig } from './runtime/live-config.js';
import { recomputeCompleteness } from './records/recompute.js';
import { removedStatesInUse, staleStates } from './workflow/stale-states.js';
import { RecordService } from './records/service.js';
import type { Lifecycle } from './records/lifecycle.js';
import { workflowLifecycle } from './workflow/lifecycle.js';
import { keepDerivedFields, recomputeDerived } from './grants/derived.js';
import { PrincipalCache } from './auth/principal-cache.js';

export interface EngineOptions {
  /** Folder holding forms/, workflows/ and templates/. */
  appRoot: string;
  /** SQLite file. */
  dbFile: string;
  /** Watch the config folders and apply changes without restart. */
  watchConfig?: boolean;
}

/** The running engine: database, the current application runtime and the services over them. */
export interface Engine {
  readonly db: Database;
  readonly runtime: AppRuntime;
  readonly records: RecordService;
  readonly lifecycle: Lifecycle;
  readonly appRoot: string;
  /** The live config: status of the last load, reload(). */
  readonly config: LiveConfig;
  /** Principals behind session tokens, read once per moment rather than once per request. */
  readonly principals: PrincipalCache;
  close(): Promise<void>;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const config = new LiveConfig(options.appRoot, AppRuntime.load(options.appRoot));
  const db = await Database.open(options.dbFile);
  await migrate(db);
  // Completeness depends on schemas and code tables: recompute what a change can affect, in batches.
  config.onChange((next, previous) => recomputeCompleteness(db, next, previous).then(() => undefined));
  // A workflow change may not strand records in a state it removes (refused, with the count).
  config.onCheck((next, previous) => removedStatesInUse(db, next, previous));
  // Workflow states that a changed machine no longer has are reported, not crashed on.
  config.onChange((next) => staleStates(db, next));
  await config.settle();
  if (options.watchConfig) config.watch();
  const engine: Engine = {
    db,
    config,
    get runtime() {
      return config.current;
    },
    lifecycle: workflowLifecycle(
      () => engine.runtime,
      (tx, actor, record) => keepDerivedFields(engine, tx, actor, record),
      async (tx, actor, nodes) => { for (const node of nodes) await recomputeDerived(engine, tx, actor, node); },
    ),
    appRoot: options.appRoot,
    principals: new PrincipalCache(),
    records: new RecordService(db, () => engine.runtime, () => engine.lifecycle),
    close: async () => {
      config.close();
      await db.close();
    },
  };
  return engine;
}
