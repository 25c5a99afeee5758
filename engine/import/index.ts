/**
 * Bulk import (批量维护) of any non-tree collection: a template from the schema, upload (xlsx or
 * CSV) → a preview that checks every row as saving it would → a commit in one transaction, or an
 * error workbook to fix and upload again. Every upload is kept in the import log.
 */
import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import type { AppRuntime } from '../runtime/runtime.js';
import { actorOf } from '../auth/actor.js';
import { DomainError, domainForbidden, domainNotFound } from '../errors.js';
import { importColumns, childTables, parentKey } from './columns.js';
import { parseUpload } from './parse.js';
import { previewImport, tick, type Preview, type PreviewRow } from './preview.js';
import { buildErrorWorkbook, ERROR_COLUMN } from './error-workbook.js';
import { buildTemplate } from './template.js';
import { NodeScope } from './nodes.js';
import { exportWorkbook } from './export.js';
import type { ImportContext } from './context.js';
import type { ListQuery } from '../records/query.js';
import type { Tx } from '../ports.js';

export type { ImportContext } from './context.js';

const KEEP_MS = 60 * 60 * 1000;
const SHOWN_ROWS = 1000;
const BATCH = 1000;

/**
 * Previews wait for their commit in the database (storage/import-previews.ts), not in this
 * process: behind a load balancer the commit may reach another server instance, and a restart
 * must not lose them. Kept an hour; removed once committed or failed.
 */
const sweep = ({ storage }: ImportContext, now = Date.now()) => storage.importPreviews.sweep(storage.db, now - KEEP_MS);

/** Why a preview is not there to commit: already committed, failed, or unknown/expired. */
async function missingPreview({ storage }: ImportContext, user: Principal, id: string): Promise<DomainError> {
  const logged = await storage.importLog.get(storage.db, id);
  if (logged?.actor === user.username && logged.status === 'committed') return new DomainError('conflict', 'conflict', '该文件已经导入');
  if (logged?.actor === user.username && logged.status === 'failed') {
    return new DomainError('conflict', 'conflict', `该文件导入失败${logged.message ? `（${logged.message}）` : ''}，请重新上传`);
  }
  return domainNotFound('导入预览（可能已过期，请重新上传文件）');
}

/** Why the commit's transaction could not take the preview: another commit holds it, or it is gone (committed, failed, swept). */
async function notTaken(ctx: ImportContext, tx: Tx, user: Principal, id: string): Promise<DomainError> {
  if (await ctx.storage.importPreviews.get(tx, id)) return new DomainError('conflict', 'conflict', '该文件正在导入');
  return missingPreview(ctx, user, id);
}

/** The user must be able to write somewhere: imports are for the admins of a subtree. */
function requireWriter(rt: AppRuntime, user: Principal) {
  if (!rt.permissions.paths(user, 'write').length) throw domainForbidden('无权批量导入');
}

/**
 * The records a list shows, in the import template's layout (see export.ts). An export is a read:
 * whoever may read the list (书记, 委员 too) gets exactly its rows, by the list's own read rule;
 * only the template and the upload are for writers.
 */
export async function exportRecords(ctx: ImportContext, user: Principal, collection: string, query: Omit<ListQuery, 'limit' | 'cursor'>): Promise<Buffer> {
  const c = ctx.runtime.collection(collection);
  if (c.isTree || !c.nodeField) throw new DomainError('bad_request', 'bad_request', `「${c.title}」不支持批量导出`);
  return exportWorkbook(ctx, user, c, query);
}

export async function importTemplate(ctx: ImportContext, user: Principal, collection: string): Promise<Buffer> {
  const c = ctx.runtime.collection(collection);
  requireWriter(ctx.runtime, user);
  if (c.isTree || !c.nodeField) throw new DomainError('bad_request', 'bad_request', `「${c.title}」不支持批量导入`);
  const scope = await NodeScope.load(ctx, user);
  return buildTemplate(c, scope.nodes, ctx.runtime.config.manifest.essentialLabel);
}

/** What the preview answers: counts, the rows worth a look (invalid first), the error workbook's address. */
function summary(id: string, p: Preview) {
  const order = { invalid: 0, changed: 1, new: 2, unchanged: 3 };
  const shown = [...p.rows].sort((a, b) => order[a.action] - order[b.action] || a.row - b.row).slice(0, SHOWN_ROWS)
    .map(({ data: _d, version: _v, ...r }) => r);
  return {
    id, collection: p.collection, total: p.rows.length, counts: p.counts, columns: p.columns,
    ignoredColumns: p.ignored.filter((h) => h.trim() !== ERROR_COLUMN),
    rows: shown, truncated: p.rows.length > shown.length,
    errorsFile: p.counts.invalid ? `/api/import/${id}/errors.xlsx` : null,
    canCommit: p.counts.invalid === 0 && p.counts.new + p.counts.changed > 0,
  };
}

/** Parses and checks an upload; keeps it for commit and logs it. Writes no record. */
export async function runPreview(
  ctx: ImportContext, user: Principal, collection: string, upload: Buffer, meta: { filename?: string; contentType?: string },
  report: (done: number, total?: number) => void = () => {},
) {
  const { storage } = ctx;
  await sweep(ctx);
  const c = ctx.runtime.collection(collection);
  requireWriter(ctx.runtime, user);
  const key = parentKey(c);
  const childSpecs = key ? childTables(c).map((t) => ({ title: t.sheet, titles: [key.title, ...t.columns.map((col) => col.title)] })) : [];
  const file = await parseUpload(upload, importColumns(c).map((col) => col.title), meta, childSpecs);
  report(0, file.rows.length);
  const preview = await previewImport(ctx, user, c.name, file, (done) => report(done));
  const id = randomBytes(12).toString('base64url');
  const errorsFile = preview.counts.invalid ? await buildErrorWorkbook(upload, file, preview.rows) : null;
  await storage.unitOfWork.transaction(storage.db, (tx) => storage.importLog.add(tx, {
    id, collection: c.name, actor: user.username, filename: meta.filename ?? null, total: preview.rows.length, counts: preview.counts, errorsFile,
  }));
  await storage.importPreviews.put(storage.db, { id, owner: user.userId, collection: c.name, at: Date.now() }, preview.rows);
  return summary(id, preview);
}

/**
 * Imports a previewed file: every new row created and every changed row updated through the
 * record service's guarantees (validation, permission, unique keys, workflow, audit), all in one
 * transaction — a file is imported whole or not at all. Refused while any row is invalid.
 */
export async function runCommit(ctx: ImportContext, user: Principal, previewId: string, report: (done: number, total?: number) => void = () => {}) {
  const { storage, records } = ctx;
  await sweep(ctx);
  const p = await storage.importPreviews.get(storage.db, previewId);
  if (!p || p.owner !== user.userId) throw await missingPreview(ctx, user, previewId);
  if (p.state !== 'open') throw new DomainError('conflict', 'conflict', '该文件正在导入');
  const rows: PreviewRow[] = await storage.importPreviews.rows(storage.db, p.id);
  const invalid = rows.filter((r) => r.action === 'invalid');
  if (invalid.length) {
    throw new DomainError('invalid', 'invalid', `文件中有 ${invalid.length} 行有误（第 ${invalid.slice(0, 5).map((r) => r.row).join('、')}${invalid.length > 5 ? ' 等' : ''} 行），请下载错误文件修正后重新上传；本次未导入任何数据`);
  }
  const creates = rows.filter((r) => r.action === 'new');
  const updates = rows.filter((r) => r.action === 'changed');
  const total = creates.length + updates.length;
  report(0, total);
  const actor = actorOf(user);
  /** Whether this commit's transaction holds the preview: only then is a failure the file's to record. */
  let taken = false;
  try {
    await storage.unitOfWork.transaction(storage.db, async (tx) => {
      // Claimed in the commit's own transaction (ImportPreviews.take): a second commit of the same
      // file, on any instance, is refused, and a rollback for any reason leaves it committable.
      if (!(await storage.importPreviews.take(tx, p.id, user.userId))) throw await notTaken(ctx, tx, user, p.id);
      taken = true;
      let done = 0;
      for (let i = 0; i < creates.length; i += BATCH) {
        const part = creates.slice(i, i + BATCH);
        await records.createMany(actor, p.collection, part.map((r) => r.data!), tx, { note: `批量导入 ${p.id}`, labels: part.map((r) => `第 ${r.row} 行`) });
        report((done += part.length));
        await tick();
      }
      for (const r of updates) {
        try {
          await records.update(actor, p.collection, r.id!, r.data!, r.version!, tx);
        } catch (err) {
          if (err instanceof DomainError) throw new DomainError(err.kind, err.code, `${r.sheet ? `工作表「${r.sheet}」` : ''}第 ${r.row} 行：${err.message}`, err.details);
          throw err;
        }
        if (++done % 200 === 0) { report(done); await tick(); }
      }
      await storage.importLog.finish(tx, p.id, 'committed');
    });
  } catch (err) {
    // Refused before the claim, or the database lost (the transaction rolled back, the preview
    // open again — unless the outage took only COMMIT's answer, when a retry finds it imported):
    // nothing to record, and the person may commit the same preview again.
    if (!taken || (err instanceof DomainError && err.kind === 'unavailable')) throw err;
    const message = err instanceof DomainError ? err.message : '导入失败';
    await storage.unitOfWork.transaction(storage.db, async (tx) => {
      await storage.importLog.finish(tx, p.id, 'failed', message);
      await storage.importPreviews.remove(tx, p.id);
    }).catch(() => undefined);
    if (err instanceof DomainError) throw new DomainError(err.kind, err.code, `${err.message}；本次未导入任何数据`, err.details);
    throw err;
  }
  return { id: p.id, created: creates.length, updated: updates.length, status: 'committed' };
}

/** The error workbook of an upload, to its uploader. */
export async function errorsWorkbook({ storage }: ImportContext, user: Principal, id: string): Promise<Buffer> {
  const entry = await storage.importLog.get(storage.db, id);
  if (!entry || entry.actor !== user.username) throw domainNotFound('导入记录');
  const file = await storage.importLog.errorsFile(storage.db, id);
  if (!file) throw domainNotFound('错误文件（该文件没有错误行）');
  return file;
}
