import type { AppRuntime } from './runtime/runtime.js';
import { LiveConfig } from './runtime/live-config.js';
import { recomputeCompleteness } from './records/recompute.js';
import { removedStatesInUse, staleStates } from './workflow/stale-states.js';
import { RecordService } from './records/service.js';
import type { Lifecycle } from './records/lifecycle.js';
import { workflowLifecycle } from './workflow/lifecycle.js';
import { derivedInputsChanged, keepDerivedFields, recomputeDerived } from './grants/derived.js';
import { PrincipalCache } from './auth/principal-cache.js';
import { loadPublished, compileVersion } from './config-versions/startup.js';
import { publishFiles } from './config-versions/publish.js';
import { storedFiles, hashFiles, readAppFiles } from './config-versions/snapshot.js';
import { openStorage } from './storage/open-storage.js';
import type { Storage } from './ports.js';
import { DomainError } from './errors.js';

export interface EngineOptions {
  /** Folder holding forms/, workflows/ and templates/. */
  appRoot: string;
  /**
   * The database: a SQLite file's path (the embedded default), or a `postgres://` URL for the
   * server database; any other URL is refused (engine/storage/open-storage.ts).
   */
  database: string;
  /**
   * Developer mode (CAIJI_CONFIG_WATCH=1): the config folders are the source of truth — a change
   * that passes the checks is published as the next version at once. Never the production path.
   */
  watchConfig?: boolean;
}

/** The running engine: database, the current application runtime and the services over them. */
export interface Engine {
  /** The storage port over the database (engine/ports.ts): what the core reads and writes through. */
  readonly storage: Storage;
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
  const storage = await openStorage(options.database);
  // Every request is served from the config version published in the database (engine/config-versions).
  const published = await storage.maintenance.migrate(storage.db)
    .then(() => loadPublished(storage, options.appRoot, !!options.watchConfig))
    .catch(async (err) => {
      await storage.close();
      throw err;
    });
  const config = new LiveConfig(options.appRoot, published.runtime, published.version);
  // Completeness depends on schemas and code tables: recompute what a change can affect, in batches.
  config.onChange((next, previous) => recomputeCompleteness(storage, next, previous).then(() => undefined));
  // A workflow change may not strand records in a state it removes (refused, with the count).
  config.onCheck((next, previous) => removedStatesInUse(storage, next, previous));
  // Workflow states that a changed machine no longer has are reported, not crashed on.
  config.onChange((next) => staleStates(storage, next));
  await config.settle();
  if (published.notice) config.notice(published.notice);
  const engine: Engine = {
    storage,
    config,
    get runtime() {
      return config.current;
    },
    lifecycle: workflowLifecycle(() => engine.runtime, {
      afterWrite: (tx, actor, record, before) => keepDerivedFields(engine, tx, actor, record, before),
      touchesOthers: (record, before) => derivedInputsChanged(engine.runtime, record, before),
      afterDelete: async (tx, actor, nodes) => { for (const node of nodes) await recomputeDerived(engine, tx, actor, node); },
    }),
    appRoot: options.appRoot,
    principals: new PrincipalCache(() => storage.sessions.epoch(storage.db)),
    records: new RecordService(storage, () => engine.runtime, () => engine.lifecycle),
    close: async () => {
      clearInterval(follow);
      config.close();
      await storage.close();
    },
  };
  // Another server process on the same database may publish: follow its published version. While
  // the database is away every look fails alike: said once (not a stack every 2 s), and when it is back.
  let away = false;
  const follow = setInterval(() => void followPublished(engine).then(() => {
    if (away) console.error('数据库已恢复连接，继续跟随其他实例发布的配置版本');
    away = false;
  }, (err) => {
    if (!(err instanceof DomainError && err.kind === 'unavailable')) return console.error(err);
    if (!away) console.error(`${err.message}（暂停跟随其他实例发布的配置版本，恢复后继续）`);
    away = true;
  }), 2000);
  follow.unref();
  if (options.watchConfig) {
    // Developer mode: the folder's files are published as versions, at start and on every change.
    config.recordReloadsWith((source) => publishFromFolder(engine, storedFiles(source), hashFiles(storedFiles(source))));
    if (published.release) await publishFromFolder(engine, readAppFiles(options.appRoot), published.release.hash).catch((err) => config.notice((err as Error).message));
    config.watch();
  }
  return engine;
}

/** Developer mode: the folder's files published as the next version (checks, migrations.json and all). */
async function publishFromFolder(engine: Engine, files: ReturnType<typeof readAppFiles>, hash: string): Promise<number> {
  const { version } = await publishFiles(engine, {
    files, actor: '文件监视', note: '开发模式：应用文件的变更', origin: 'watch', base: engine.config.version, history: [{ action: 'import' }],
  });
  await engine.storage.unitOfWork.transaction(engine.storage.db, (tx) => engine.storage.configVersions.setFilesImported(tx, version, hash));
  return version;
}

/** Puts in force a version another process published (checked when it was published). */
async function followPublished(engine: Engine): Promise<void> {
  const head = await engine.storage.configVersions.head(engine.storage.db);
  if (!head || head.published <= engine.config.version) return;
  await engine.config.apply(await compileVersion(engine.storage, head.published, engine.appRoot), head.published);
}
