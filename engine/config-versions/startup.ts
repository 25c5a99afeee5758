import { AppRuntime } from '../runtime/runtime.js';
import type { Storage } from '../ports.js';
import { ConfigError } from '../config/load-app.js';
import { hashFiles, readAppFiles, sourceOf, withoutSteps, MIGRATIONS_FILE } from './snapshot.js';

export interface PublishedConfig {
  runtime: AppRuntime;
  version: number;
  /** Told to the config admins: the release's files differ from the version last imported from files. */
  notice?: string;
  /** The release's files, when they differ and the caller (developer mode) publishes them itself. */
  release?: { files: ReturnType<typeof readAppFiles>; hash: string };
}

const SYSTEM = '系统';
/** Thrown inside the first start's transaction to roll it back when another instance made the head first. */
const FIRST_START_TAKEN = new Error('another instance made the config head first');

/** A stored version compiled (it passed every check when it was published). */
export async function compileVersion(storage: Pick<Storage, 'db' | 'configVersions'>, number: number, appRoot: string): Promise<AppRuntime> {
  const v = await storage.configVersions.get(storage.db, number);
  if (!v) throw new ConfigError([`配置第 ${number} 版不在数据库中`]);
  return AppRuntime.load(sourceOf(v.files, appRoot));
}

/**
 * The config every request is served from: the version published in the database. On the first
 * start the application's files become version 1. Later, files that differ from those last
 * imported (a new release of the application) never override what config admins published: they
 * become the draft (unless one is open: then nothing changes and the admins are told), for a
 * config admin to check and publish, or — `watch`, the developer mode — are handed back to be
 * published through the same checks.
 */
export async function loadPublished(storage: Pick<Storage, 'db' | 'unitOfWork' | 'configVersions'>, appRoot: string, watch: boolean): Promise<PublishedConfig> {
  const { db, configVersions } = storage;
  const files = readAppFiles(appRoot);
  const hash = hashFiles(files);
  const head = await configVersions.head(db);
  if (!head) {
    const runtime = AppRuntime.load(sourceOf(files, appRoot));
    const at = new Date().toISOString();
    const made = await storage.unitOfWork.transaction(db, async (tx) => {
      const version = await configVersions.insert(tx, { files, hash, author: SYSTEM, at, note: '首次启动：应用文件', origin: 'files', basedOn: null });
      // Another instance starting at the same moment made the head first: undo this one's version
      // and go on with the head it made, as a later start would.
      if (!(await configVersions.initHead(tx, version, hash))) throw FIRST_START_TAKEN;
      await configVersions.appendHistory(tx, { at, actor: SYSTEM, action: 'import', version, note: '首次启动：应用文件成为第 1 版', detail: { documents: Object.keys(files).length } });
      return true;
    }).catch((err) => {
      if (err === FIRST_START_TAKEN) return false;
      throw err;
    });
    if (!made) return loadPublished(storage, appRoot, watch);
    return { runtime, version: 1 };
  }
  const runtime = await compileVersion(storage, head.published, appRoot);
  if (hash === head.filesHash) return { runtime, version: head.published };
  if (watch) return { runtime, version: head.published, release: { files, hash } };
  const at = new Date().toISOString();
  const opened = await storage.unitOfWork.transaction(db, async (tx) => {
    const draftFiles = files[MIGRATIONS_FILE] === undefined ? withoutSteps(files) : files;
    if (!(await configVersions.createDraft(tx, { base: head.published, files: draftFiles, origin: 'release', actor: SYSTEM, at }))) return false;
    await configVersions.setFilesImported(tx, null, hash);
    await configVersions.appendHistory(tx, { at, actor: SYSTEM, action: 'release', version: head.published, draft: 1, note: '应用的新版本文件成为草稿', detail: { hash } });
    return true;
  });
  const notice = opened
    ? `应用文件与上次导入的不同（新版本发布）：已成为配置草稿，请配置管理员检查差异和影响后发布（当前仍为第 ${head.published} 版）`
    : `应用文件与上次导入的不同（新版本发布），但已有未发布的配置草稿：新文件没有成为草稿；请先发布或放弃草稿，再重启或用 npm run admin -- config import 导入`;
  return { runtime, version: head.published, notice };
}
