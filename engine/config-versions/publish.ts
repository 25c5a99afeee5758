import type { AppRuntime } from '../runtime/runtime.js';
import { auditDiff, keyEntries, type Storage, type StoredFiles, type Tx } from '../ports.js';
import type { ConfigContext } from './context.js';
import { CONFIG_AUDIT_COLLECTION } from '../audit/kinds.js';
import { DomainError, domainConflict } from '../errors.js';
import { applySteps, orphanProblems, type MigrationStep } from './migration-steps.js';
import { checkFiles, type FilesCheck } from './check.js';
import { changedPaths, hashFiles, withoutSteps } from './snapshot.js';

export interface PublishInput {
  files: StoredFiles;
  actor: string;
  note: string | null;
  /** How the version came to be: draft | rollback | codes | watch | files. */
  origin: string;
  /** The published version the files were made from: the publish wins only if it is still published. */
  base: number;
  /** Publishing the draft: it must still be at this version, and is closed in the same transaction. */
  draftVersion?: number;
  /** The history entries written with the version (publish; approve, rollback, import …); an entry's own note (null: none) in place of the version's. */
  history: { action: string; note?: string | null; detail?: unknown }[];
  /** Progress of the record migration (done, total). */
  progress?: (done: number, total: number) => void;
  /** Checks already run on exactly these files against the config in force. */
  checked?: FilesCheck;
}

export interface PublishResult {
  version: number;
  /** Records the migration steps changed. */
  migrated: number;
  documents: string[];
}

const BATCH = 500;

/** Refused with the check's own messages, each naming its document and place. */
export function refusedByChecks(problems: FilesCheck['problems'], what = '配置'): DomainError {
  return new DomainError('invalid', 'config_refused', `${what}未通过检查，不能发布：${problems.map((p) => p.message).join('；')}`, problems);
}

/**
 * Applies the steps to every record of the collections they name, through the record write path
 * (each changed record gets its next version, its unique keys and an audit entry naming the config
 * version), inside the publish's transaction: all or none of them with the version.
 */
async function migrateRecords(storage: Pick<Storage, 'configVersions' | 'records'>, tx: Tx, runtime: AppRuntime, version: number, steps: MigrationStep[], actor: string, at: string,
  progress?: (done: number, total: number) => void): Promise<number> {
  const collections = [...new Set(steps.map((s) => s.collection))];
  const total = await storage.configVersions.countRecords(tx, collections);
  let done = 0;
  let migrated = 0;
  const note = `配置第 ${version} 版的迁移`;
  for (const name of collections) {
    const c = runtime.config.collections.get(name)!;
    const validator = runtime.validator(name);
    for (let after = 0; ;) {
      const batch = await storage.configVersions.recordsAfter(tx, name, after, BATCH);
      if (!batch.length) break;
      for (const { seq, record } of batch) {
        after = seq;
        const changed = applySteps(record, steps);
        if (!changed) continue;
        const complete = validator.validate(changed.data).length === 0 && validator.completeOnceValid(changed.data);
        const beforeKeys = JSON.stringify(keyEntries(c.uniqueKeys ?? [], record.data));
        const keys = keyEntries(c.uniqueKeys ?? [], changed.data);
        await storage.records.updateUnder(tx, version,
          { ...record, data: changed.data, state: changed.state, complete, version: record.version + 1, updatedAt: at, updatedBy: actor },
          record.version, JSON.stringify(keys) === beforeKeys ? null : keys,
          { action: 'migrate', fromState: record.state, diff: auditDiff(record.data, changed.data), note });
        migrated++;
      }
      done += batch.length;
      progress?.(done, total);
    }
  }
  return migrated;
}

/**
 * Publishes a set of files as the next config version: the checks of `npm run check` and the
 * migration steps' checks (refused with their messages), nothing orphaned without a step; then
 * one transaction makes the version, moves the published pointer if `base` still holds it (so of
 * two concurrent publishes exactly one wins), migrates the records and writes the history; only
 * after the commit is the compiled runtime swapped in, whole. A process killed before the commit
 * leaves the previous version and every record as they were.
 */
export async function publishFiles(ctx: ConfigContext, input: PublishInput): Promise<PublishResult> {
  const current = ctx.config.current;
  if (ctx.config.version !== input.base) throw outdated(input.base, ctx.config.version);
  const checked = input.checked ?? (await checkFiles(current, input.files, ctx.appRoot));
  if (!checked.runtime) throw refusedByChecks(checked.problems);
  const orphans = orphanProblems(current, checked.runtime, checked.steps);
  if (orphans.length) {
    throw new DomainError('invalid', 'config_orphans', `发布会使已存储的数据成为孤儿，请先在 migrations.json 中声明迁移步骤：${orphans.map((o) => o.message).join('；')}`, orphans);
  }
  const at = new Date().toISOString();
  const { storage } = ctx;
  const { configVersions } = storage;
  const previous = await configVersions.get(storage.db, input.base);
  // The steps of the version before are not carried over: an empty steps document is no change.
  const documents = previous ? changedPaths(withoutSteps(previous.files), input.files) : Object.keys(input.files);
  const { version, migrated } = await storage.unitOfWork.transaction(storage.db, async (tx) => {
    if (input.draftVersion !== undefined) {
      const draft = await configVersions.draft(tx);
      if (!draft || draft.version !== input.draftVersion) throw domainConflict('草稿已被他人发布、修改或放弃，请刷新后重试', [], { code: 'draft_stale', draftVersion: draft?.version ?? null });
      await configVersions.deleteDraft(tx);
    }
    const version = await configVersions.insert(tx, {
      files: input.files, hash: hashFiles(input.files), author: input.actor, at, note: input.note, origin: input.origin, basedOn: input.base,
    });
    if (!(await configVersions.setPublished(tx, version, input.base))) {
      const head = await configVersions.head(tx);
      throw outdated(input.base, head?.published ?? input.base);
    }
    const migrated = await migrateRecords(storage, tx, checked.runtime!, version, checked.steps, input.actor, at, input.progress);
    // In the audit log too, placed at the tree's root: 系统审核 of the whole tree lists config changes.
    const [root] = await storage.directory.treeRootPaths(tx, checked.runtime!.config.tree.collection);
    await storage.audit.append(tx, {
      actor: input.actor, collection: CONFIG_AUDIT_COLLECTION, recordId: `config:${version}`, action: input.origin === 'rollback' ? 'config-rollback' : 'config-publish',
      fromState: null, toState: null, diff: { files: [null, documents.join('、')] }, note: input.note, at, ...(root ? { path: root } : {}),
    });
    for (const h of input.history) {
      await configVersions.appendHistory(tx, { at, actor: input.actor, action: h.action, version, note: h.note === undefined ? input.note : h.note, detail: h.detail ?? { documents, migrated, base: input.base } });
    }
    return { version, migrated };
  });
  await ctx.config.apply(checked.runtime, version, checked.warnings);
  return { version, migrated, documents };
}

const outdated = (base: number, published: number) =>
  domainConflict(`配置已有更新的版本（第 ${published} 版已发布，此次发布基于第 ${base} 版），请刷新后重试`, [], { code: 'config_outdated', published });
