import { writeFileSync, renameSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { CodeTable, CodeEntry } from '../config/types.js';
import type { Engine } from '../engine.js';
import type { Principal } from '../auth/principal.js';
import { checkCodeTable } from './check-table.js';
import { countCodeUse } from './usage.js';
import { auditLog } from '../storage/audit.js';
import { conflict, invalid, notFound, HttpError } from '../http/errors.js';

const file = (engine: Engine, table: string) => join(engine.appRoot, 'forms', 'codes', `${table}.json`);

/** Writes via a temporary file and rename, so a crash never leaves half a table on disk. */
function writeAtomically(path: string, text: string) {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * Replaces a code table from the API: checks the rules, refuses to remove a code that stored
 * records still hold (deprecate it instead), saves the file in forms/codes with the next version,
 * reloads the running config and writes an audit entry per changed code. If the reloaded config
 * is refused, the previous file is restored and the problems are returned.
 */
export async function saveCodeTable(engine: Engine, user: Principal, name: string, body: unknown, expectedVersion: number): Promise<{ table: CodeTable; changed: boolean }> {
  const current = engine.runtime.config.codes.get(name);
  if (!current) throw notFound('代码表');
  if (current.version !== expectedVersion) {
    throw conflict(`代码表「${current.title}」已被他人修改（当前版本 ${current.version}），请刷新后重新编辑`, [], { current });
  }
  // The body is the table as edited: checked by the format's schema as sent (its `version`, when
  // given, is the one edited; the saved file gets the next).
  const edited = body && typeof body === 'object' && !Array.isArray(body) && !('version' in body) ? { ...body, version: current.version } : body;
  const problems = checkCodeTable(edited as CodeTable, name);
  if ((edited as CodeTable).version !== current.version && !problems.some((p) => p.path === '/version')) {
    problems.push({ path: '/version', message: `「版本」应为所编辑的版本 ${current.version}（保存时自动加一）` });
  }
  if (problems.length) throw invalid(problems, `代码表「${current.title}」有误`);
  // Saving what is already in force changes nothing: no new version, no file write, no audit entry.
  if (isDeepStrictEqual(edited, current)) return { table: current, changed: false };
  const proposed: CodeTable = { ...(edited as CodeTable), version: current.version + 1 };
  const kept = new Set(proposed.codes.map((c) => c.code));
  const removed = current.codes.filter((c) => !kept.has(c.code)).map((c) => c.code);
  const inUse = await countCodeUse(engine.db, engine.runtime, name, removed);
  if (inUse.length) {
    const details = inUse.map((u) => ({
      path: `/codes`,
      message: `代码“${u.code}”仍被${u.count}条记录的「${u.title}」使用，不能删除；请将其停用并指定替代代码`,
    }));
    throw conflict(details.map((d) => d.message).join('；'), details, { code: 'code_in_use' });
  }
  const path = file(engine, name);
  const previousText = readFileSync(path, 'utf8');
  writeAtomically(path, JSON.stringify(proposed, null, 2) + '\n');
  const status = await engine.config.reload();
  if (status.problems.length) {
    writeAtomically(path, previousText);
    await engine.config.reload();
    throw new HttpError(422, 'config_refused', `保存后配置检查未通过，已恢复原表：${status.problems.join('；')}`, status.problems.map((p) => ({ path: '', message: p })));
  }
  const before = new Map(current.codes.map((c) => [c.code, c]));
  const diff: Record<string, [CodeEntry | null, CodeEntry | null]> = {};
  for (const c of proposed.codes) if (JSON.stringify(before.get(c.code)) !== JSON.stringify(c)) diff[c.code] = [before.get(c.code) ?? null, c];
  for (const code of removed) diff[code] = [before.get(code)!, null];
  await engine.db.transaction((tx) =>
    auditLog.append(tx, {
      actor: user.username, collection: '$codes', recordId: name, action: 'update', fromState: String(current.version),
      toState: String(proposed.version), diff, note: `代码表「${current.title}」`,
    }),
  );
  return { table: engine.runtime.config.codes.get(name)!, changed: true };
}
