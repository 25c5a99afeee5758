import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigContext } from './context.js';
import { domainConflict, domainNotFound } from '../errors.js';
import { checkFiles, type FilesCheck } from './check.js';
import { publishFiles, type PublishResult } from './publish.js';
import { changedPaths, hashFiles, readAppFiles, withoutSteps, writeFolder, MIGRATIONS_FILE } from './snapshot.js';

/**
 * The developer's side of config versions (`npm run admin -- config export|import`): a version
 * written as the application's folder layout, byte for byte, so it diffs in git; and a folder
 * made the draft, or — a deploy script's `--publish` — published through the same checks and
 * migration steps (a migrations.json beside forms/).
 */

/** Writes version `number` (default: the published one) to `dir`; config files the version lacks are removed. */
export async function exportVersion(ctx: ConfigContext, dir: string, number = ctx.config.version): Promise<{ number: number; written: number; removed: number }> {
  const version = await ctx.storage.configVersions.get(ctx.storage.db, number);
  if (!version) throw domainNotFound(`配置第 ${number} 版`);
  const stale = Object.keys(readAppFiles(dir)).filter((p) => !Object.hasOwn(version.files, p));
  for (const path of stale) rmSync(join(dir, path));
  return { number, written: writeFolder(dir, version.files), removed: stale.length };
}

export type ImportResult = PublishResult | { draft: number; changed: string[]; problems: FilesCheck['problems'] };

/**
 * Imports the folder: without `publish`, as the draft (replacing a draft made from files, never
 * one a config admin opened); with it, as the next published version. Either way its files are
 * noted as those last imported, so the next start does not offer them again.
 */
export async function importFolder(ctx: ConfigContext, actor: string, dir: string, publish?: { note: string | null }): Promise<ImportResult> {
  const { storage } = ctx;
  const { configVersions } = storage;
  const files = readAppFiles(dir);
  const hash = hashFiles(files);
  const base = ctx.config.version;
  if (publish) {
    const result = await publishFiles(ctx, {
      files, actor, note: publish.note, origin: 'files', base, history: [{ action: 'import', note: `导入 ${dir}` }, { action: 'publish' }],
    });
    await storage.unitOfWork.transaction(storage.db, (tx) => configVersions.setFilesImported(tx, result.version, hash));
    return result;
  }
  const draftFiles = files[MIGRATIONS_FILE] === undefined ? withoutSteps(files) : files;
  const at = new Date().toISOString();
  await storage.unitOfWork.transaction(storage.db, async (tx) => {
    const open = await configVersions.draft(tx);
    if (open && open.origin === 'admin') throw domainConflict(`已有配置管理员打开的草稿（${open.updatedBy ?? open.createdBy}，${open.updatedAt}），请先发布或放弃它再导入`);
    if (open) await configVersions.deleteDraft(tx);
    await configVersions.createDraft(tx, { base, files: draftFiles, origin: 'import', actor, at });
    await configVersions.setFilesImported(tx, null, hash);
    await configVersions.appendHistory(tx, { at, actor, action: 'import', version: base, draft: 1, note: `导入 ${dir}`, detail: { hash } });
  });
  const published = (await configVersions.get(storage.db, base))!.files;
  const check = await checkFiles(ctx.config.current, draftFiles, ctx.appRoot);
  return { draft: 1, changed: changedPaths(withoutSteps(published), draftFiles), problems: check.problems };
}
