import type { DraftRow, StoredFiles } from '../ports.js';
import type { ConfigContext } from './context.js';
import { domainConflict, domainForbidden, domainInvalid, domainNotFound, DomainError } from '../errors.js';
import { checkFiles, type FilesCheck } from './check.js';
import { publishFiles, refusedByChecks, type PublishResult } from './publish.js';
import { changedPaths, pathProblem, withoutSteps } from './snapshot.js';
import { withoutEmptySteps } from './diff.js';
import { displayNames } from './people.js';

/**
 * The one draft of the application: opened from the published version, changed a whole document
 * at a time with the draft's version (409 when stale), checked on every save by the checks of
 * `npm run check` (a broken draft is kept — it is a draft — but never published), discarded, and
 * published — directly, or with `publishNeedsSecondAdmin` in the manifest in force proposed by one
 * config admin and published (approved) by another.
 */

export interface DraftView extends Pick<DraftRow, 'base' | 'version' | 'origin' | 'createdBy' | 'createdAt' | 'updatedBy' | 'updatedAt'> {
  /** The display names of createdBy and updatedBy (null: no such account). */
  createdByName: string | null;
  updatedByName: string | null;
  proposal: { by: string; byName: string | null; at: string; note: string | null } | null;
  /** Documents that differ from the version it was opened from. */
  changed: string[];
  documents: string[];
  problems: FilesCheck['problems'];
  warnings: string[];
  publishable: boolean;
  needsSecondAdmin: boolean;
}

const needsSecondAdmin = (ctx: ConfigContext) => ctx.config.current.config.manifest.publishNeedsSecondAdmin === true;

async function mustHaveDraft(ctx: ConfigContext): Promise<DraftRow> {
  const draft = await ctx.storage.configVersions.draft(ctx.storage.db);
  if (!draft) throw domainNotFound('配置草稿');
  return draft;
}

const stale = (draft: DraftRow | undefined) =>
  domainConflict(draft ? `草稿已被他人修改（当前为草稿第 ${draft.version} 稿），请刷新后重新编辑` : '草稿已被发布或放弃，请刷新', [], { code: 'draft_stale', draftVersion: draft?.version ?? null });

/**
 * The draft's files as they would be published now: a draft opened from an older version than the
 * published one takes every document it did not change from the published version; a document
 * changed on both sides is a conflict to resolve by hand.
 */
async function rebased(ctx: ConfigContext, draft: DraftRow): Promise<StoredFiles> {
  const published = ctx.config.version;
  if (draft.base === published) return draft.files;
  const base = (await ctx.storage.configVersions.get(ctx.storage.db, draft.base))!.files;
  const now = (await ctx.storage.configVersions.get(ctx.storage.db, published))!.files;
  const mine = new Set(changedPaths(base, draft.files));
  const theirs = changedPaths(base, now).filter((p) => p !== 'migrations.json');
  const clash = theirs.filter((p) => mine.has(p) && JSON.stringify(draft.files[p] ?? null) !== JSON.stringify(now[p] ?? null));
  if (clash.length) {
    throw domainConflict(`草稿基于第 ${draft.base} 版，其后发布的第 ${published} 版也改了${clash.map((p) => `“${p}”`).join('、')}：请在草稿中按第 ${published} 版重新编辑这些文件`,
      clash.map((path) => ({ path, message: `${path}：草稿与第 ${published} 版都有修改` })), { code: 'draft_conflict' });
  }
  const out: StoredFiles = { ...draft.files };
  for (const p of theirs) {
    if (now[p] === undefined) delete out[p];
    else out[p] = now[p];
  }
  return out;
}

export async function describeDraft(ctx: ConfigContext): Promise<DraftView> {
  const draft = await mustHaveDraft(ctx);
  const base = await ctx.storage.configVersions.get(ctx.storage.db, draft.base);
  const check = await checkFiles(ctx.config.current, draft.files, ctx.appRoot);
  const names = await displayNames(ctx, [draft.createdBy, draft.updatedBy, draft.proposedBy]);
  const nameOf = (u: string | null) => (u && names.get(u)) ?? null;
  return {
    base: draft.base, version: draft.version, origin: draft.origin, createdBy: draft.createdBy, createdAt: draft.createdAt,
    updatedBy: draft.updatedBy, updatedAt: draft.updatedAt, createdByName: nameOf(draft.createdBy), updatedByName: nameOf(draft.updatedBy),
    proposal: draft.proposedBy && draft.proposedVersion === draft.version
      ? { by: draft.proposedBy, byName: nameOf(draft.proposedBy), at: draft.proposedAt!, note: draft.proposedNote } : null,
    // The base's steps are not the draft's (it opens with none); an empty steps document is none.
    changed: base ? changedPaths(withoutEmptySteps(withoutSteps(base.files)), withoutEmptySteps(draft.files)) : [], documents: Object.keys(draft.files).sort(),
    problems: check.problems, warnings: check.warnings, publishable: !!check.runtime, needsSecondAdmin: needsSecondAdmin(ctx),
  };
}

/** One document of the draft: text, or {base64} for bytes. */
export async function draftDocument(ctx: ConfigContext, path: string): Promise<StoredFiles[string]> {
  const draft = await mustHaveDraft(ctx);
  const content = Object.hasOwn(draft.files, path) ? draft.files[path] : undefined;
  if (content === undefined) throw domainNotFound(`草稿文件“${path}”`);
  return content;
}

/** Opens the draft from the published version (migration steps emptied); 409 when one is open. */
export async function openDraft(ctx: ConfigContext, actor: string, from?: { version: number; origin: string }): Promise<DraftView> {
  const number = from?.version ?? ctx.config.version;
  const source = await ctx.storage.configVersions.get(ctx.storage.db, number);
  if (!source) throw domainNotFound(`配置第 ${number} 版`);
  const at = new Date().toISOString();
  const opened = await ctx.storage.unitOfWork.transaction(ctx.storage.db, async (tx) => {
    if (!(await ctx.storage.configVersions.createDraft(tx, { base: ctx.config.version, files: withoutSteps(source.files), origin: from?.origin ?? 'admin', actor, at }))) return false;
    await ctx.storage.configVersions.appendHistory(tx, { at, actor, action: 'open', version: number, draft: 1, note: from ? `由第 ${number} 版打开草稿（回退）` : null });
    return true;
  });
  if (!opened) throw domainConflict('已有未发布的配置草稿：一个应用同时只有一份草稿，请编辑、发布或放弃它', [], { code: 'draft_open' });
  return describeDraft(ctx);
}

/** Saves (or, content undefined, removes) one document of the draft over draft version `expected`. */
export async function saveDraftDocument(ctx: ConfigContext, actor: string, path: string, content: StoredFiles[string] | undefined, expected: number): Promise<DraftView> {
  const problem = pathProblem(path);
  if (problem) throw domainInvalid([{ path, message: problem }], '草稿文件路径有误');
  const at = new Date().toISOString();
  await ctx.storage.unitOfWork.transaction(ctx.storage.db, async (tx) => {
    const draft = await ctx.storage.configVersions.draft(tx);
    if (!draft || draft.version !== expected) throw stale(draft);
    const had = Object.hasOwn(draft.files, path);
    if (content === undefined && !had) throw domainNotFound(`草稿文件“${path}”`);
    const files = { ...draft.files };
    if (content === undefined) delete files[path];
    else files[path] = content;
    if (!(await ctx.storage.configVersions.saveDraft(tx, files, expected, actor, at))) throw stale(draft);
    await ctx.storage.configVersions.appendHistory(tx, {
      at, actor, action: 'save', version: draft.base, draft: expected + 1, detail: { path, change: content === undefined ? 'removed' : had ? 'changed' : 'added' },
    });
  });
  return describeDraft(ctx);
}

export async function discardDraft(ctx: ConfigContext, actor: string, expected: number): Promise<void> {
  const at = new Date().toISOString();
  await ctx.storage.unitOfWork.transaction(ctx.storage.db, async (tx) => {
    const draft = await ctx.storage.configVersions.draft(tx);
    if (!draft || draft.version !== expected) throw stale(draft);
    await ctx.storage.configVersions.deleteDraft(tx);
    await ctx.storage.configVersions.appendHistory(tx, { at, actor, action: 'discard', version: draft.base, draft: draft.version });
  });
}

/** Four-eyes: the draft as it is now, checked, proposed for another config admin to publish. */
export async function proposeDraft(ctx: ConfigContext, actor: string, note: string, expected: number): Promise<DraftView> {
  const draft = await mustHaveDraft(ctx);
  if (draft.version !== expected) throw stale(draft);
  const files = await rebased(ctx, draft);
  const check = await checkFiles(ctx.config.current, files, ctx.appRoot);
  if (!check.runtime) throw refusedByChecks(check.problems, '草稿');
  const at = new Date().toISOString();
  await ctx.storage.unitOfWork.transaction(ctx.storage.db, async (tx) => {
    if (!(await ctx.storage.configVersions.propose(tx, expected, actor, at, note))) throw stale(await ctx.storage.configVersions.draft(tx));
    await ctx.storage.configVersions.appendHistory(tx, { at, actor, action: 'propose', version: draft.base, draft: expected, note });
  });
  return describeDraft(ctx);
}

/**
 * Publishes the draft at version `expected`. Under four-eyes it must have been proposed at that
 * very version by another config admin: publishing it is the approval.
 */
export async function publishDraft(ctx: ConfigContext, actor: string, note: string | null, expected: number,
  progress?: (done: number, total: number) => void): Promise<PublishResult> {
  const draft = await mustHaveDraft(ctx);
  if (draft.version !== expected) throw stale(draft);
  const history: { action: string; note?: string | null }[] = [];
  let publishNote = note;
  if (needsSecondAdmin(ctx)) {
    if (!draft.proposedBy || draft.proposedVersion !== draft.version) {
      throw new DomainError('conflict', 'proposal_required', '发布须经两位配置管理员：请先提交发布申请（propose），由另一位配置管理员批准发布');
    }
    if (draft.proposedBy === actor) throw domainForbidden('发布申请须由另一位配置管理员批准，不能批准自己的申请');
    history.push({ action: 'approve', note: note ?? draft.proposedNote });
    publishNote = draft.proposedNote ?? note;
  }
  history.push({ action: 'publish', note: publishNote });
  const files = await rebased(ctx, draft);
  return publishFiles(ctx, {
    files, actor, note: publishNote, origin: draft.origin === 'rollback' ? 'rollback' : 'draft', base: ctx.config.version,
    draftVersion: expected, history, progress,
  });
}

/**
 * Rollback: an earlier version published again as a new one, through the same checks (its
 * migration steps, `steps`, when the versions between renamed or removed something). Under
 * four-eyes it becomes the draft instead, to be proposed and approved like any other.
 */
export async function rollback(ctx: ConfigContext, actor: string, number: number, note: string | null, steps: unknown[] = []): Promise<PublishResult | DraftView> {
  const target = await ctx.storage.configVersions.get(ctx.storage.db, number);
  if (!target) throw domainNotFound(`配置第 ${number} 版`);
  if (needsSecondAdmin(ctx)) return openDraft(ctx, actor, { version: number, origin: 'rollback' });
  const files = { ...withoutSteps(target.files), 'migrations.json': JSON.stringify(steps, null, 2) + '\n' };
  const base = ctx.config.version;
  // The version's note says what it restores, then the admin's words; the history entry keeps the
  // admin's words alone (its detail says from which version to which).
  return publishFiles(ctx, {
    files, actor, note: `回滚到第 ${number} 版${note ? `：${note}` : ''}`, origin: 'rollback', base,
    history: [{ action: 'rollback', note, detail: { from: base, to: number } }],
  });
}
