import { isDeepStrictEqual } from 'node:util';
import type { CodeTable, CodeEntry } from '../config/types.js';
import type { Principal } from '../auth/principal.js';
import { checkCodeTable } from './check-table.js';
import { countCodeUse } from './usage.js';
import type { ConfigContext } from '../config-versions/context.js';
import { publishFiles } from '../config-versions/publish.js';
import { withoutSteps } from '../config-versions/snapshot.js';
import { DomainError, domainConflict, domainInvalid, domainNotFound } from '../errors.js';

/**
 * Replaces a code table from the API: checks the rules, refuses to remove a code that stored
 * records still hold (deprecate it instead), and publishes the published config version with the
 * table's next version as the next config version in one step (a draft and its publish at once,
 * through the same checks, recorded in the config history), then writes an audit entry per
 * changed code. With four-eyes publishing (publishNeedsSecondAdmin) a table is changed in the
 * draft instead, like any other document. Takes what a publish takes (the live config, the storage).
 */
export async function saveCodeTable(ctx: ConfigContext, user: Principal, name: string, body: unknown, expectedVersion: number): Promise<{ table: CodeTable; changed: boolean }> {
  const { storage, config } = ctx;
  const current = config.current.config.codes.get(name);
  if (!current) throw domainNotFound('代码表');
  if (config.current.config.manifest.publishNeedsSecondAdmin) {
    throw new DomainError('conflict', 'draft_required', '本应用的配置发布须经两位配置管理员：请在配置草稿中修改代码表并提交发布申请');
  }
  if (current.version !== expectedVersion) {
    throw domainConflict(`代码表「${current.title}」已被他人修改（当前版本 ${current.version}），请刷新后重新编辑`, [], { current });
  }
  // The body is the table as edited: checked by the format's schema as sent (its `version`, when
  // given, is the one edited; the saved file gets the next).
  const edited = body && typeof body === 'object' && !Array.isArray(body) && !('version' in body) ? { ...body, version: current.version } : body;
  const problems = checkCodeTable(edited as CodeTable, name);
  if ((edited as CodeTable).version !== current.version && !problems.some((p) => p.path === '/version')) {
    problems.push({ path: '/version', message: `「版本」应为所编辑的版本 ${current.version}（保存时自动加一）` });
  }
  if (problems.length) throw domainInvalid(problems, `代码表「${current.title}」有误`);
  // Saving what is already in force changes nothing: no new version, no file write, no audit entry.
  if (isDeepStrictEqual(edited, current)) return { table: current, changed: false };
  const proposed: CodeTable = { ...(edited as CodeTable), version: current.version + 1 };
  const kept = new Set(proposed.codes.map((c) => c.code));
  const removed = current.codes.filter((c) => !kept.has(c.code)).map((c) => c.code);
  const inUse = await countCodeUse(storage, config.current, name, removed);
  if (inUse.length) {
    const details = inUse.map((u) => ({
      path: `/codes`,
      message: `代码“${u.code}”仍被${u.count}条记录的${u.place}使用，不能删除；请将其停用并指定替代代码`,
    }));
    throw domainConflict(details.map((d) => d.message).join('；'), details, { code: 'code_in_use' });
  }
  const base = config.version;
  const published = (await storage.configVersions.get(storage.db, base))!.files;
  const files = { ...withoutSteps(published), [`forms/codes/${name}.json`]: JSON.stringify(proposed, null, 2) + '\n' };
  const note = `代码表「${current.title}」第 ${proposed.version} 版`;
  await publishFiles(ctx, { files, actor: user.username, note, origin: 'codes', base, history: [{ action: 'publish' }] });
  const before = new Map(current.codes.map((c) => [c.code, c]));
  const diff: Record<string, [CodeEntry | null, CodeEntry | null]> = {};
  for (const c of proposed.codes) if (JSON.stringify(before.get(c.code)) !== JSON.stringify(c)) diff[c.code] = [before.get(c.code) ?? null, c];
  for (const code of removed) diff[code] = [before.get(code)!, null];
  await storage.unitOfWork.transaction(storage.db, (tx) =>
    storage.audit.append(tx, {
      actor: user.username, collection: '$codes', recordId: name, action: 'update', fromState: String(current.version),
      toState: String(proposed.version), diff, note: `代码表「${current.title}」`,
    }),
  );
  // The runtime in force now is the published version's.
  return { table: config.current.config.codes.get(name)!, changed: true };
}
