import type { Principal } from '../auth/principal.js';
import type { AuditFilter, Storage, StoredRecord } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';
import { DomainError, domainForbidden, domainInvalid } from '../errors.js';
import type { FieldError } from '../validation/messages.js';
import { isRootPath } from '../tree-paths.js';
import { AUDIT_KINDS, actionSets, type AuditKind, CONFIG_AUDIT_COLLECTION } from './kinds.js';

/** What the audit view uses of the engine: the runtime in force and the storage parts it reads. */
export interface AuditContext {
  readonly runtime: AppRuntime;
  readonly storage: Pick<Storage, 'db' | 'records' | 'audit' | 'treeNodes'>;
}

/** The audit view's query as the client sends it (URL parameters). */
export interface AuditParams {
  node?: string;
  person?: string;
  from?: string;
  to?: string;
  collection?: string;
  kind?: string;
  cursor?: string;
  limit?: string;
}

/** The parameters' titles, as the page labels its filters: messages name a field by them. */
export const PARAM_TITLES = {
  person: '操作人', from: '开始日期', to: '结束日期', collection: '数据类别', kind: '变更类型', cursor: '翻页位置', limit: '每页条数',
} as const;

export const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/**
 * Who may read a subtree's audit log: whoever holds both `read` and `write` there — the roles that
 * change its records and so answer for every change in it (admins; in another application its
 * managers). Read-only roles and a person's own account never: the log names everyone's changes
 * and account events, more than a reader of the records sees. (`grant` alone would leave an
 * application whose roles grant nothing without the view.)
 */
export function auditPaths(engine: AuditContext, user: Principal): string[] {
  const p = engine.runtime.permissions;
  return p.paths(user, 'write').filter((path) => p.onPath(user, 'read', path));
}

/** The node whose subtree is asked for: the given one, checked, or the user's first. */
export async function auditNode(engine: AuditContext, user: Principal, nodeId: string | undefined): Promise<StoredRecord> {
  const rt = engine.runtime;
  const tree = rt.tree;
  const paths = auditPaths(engine, user);
  if (!paths.length && !nodeId) throw domainForbidden('无权查看系统审核：只有所在范围的管理员可以查看');
  // A node the user does not read is not found (existence never told), one they only read is refused.
  const id = nodeId || paths[0].split('/').at(-2)!;
  const node = await engine.storage.records.get(engine.storage.db, id);
  if (!node || node.collection !== tree.name || !rt.permissions.onRecord(user, 'read', node)) {
    const message = `「${tree.title}」不存在或无权访问`;
    throw new DomainError('not_found', 'not_found', message, [{ path: '/node', message }]);
  }
  if (!paths.some((p) => node.path.startsWith(p))) {
    const message = `无权查看该${tree.title}的系统审核：只有其管理员可以查看`;
    throw new DomainError('forbidden', 'forbidden', message, [{ path: '/node', message }]);
  }
  return node;
}

/** A date (YYYY-MM-DD, a day of the server's time zone) or an instant with its zone, as a Date; null when it is neither. */
function parseWhen(s: string, endOfDay: boolean): Date | null {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const at = new Date(y, m - 1, d + (endOfDay ? 1 : 0));
    const check = new Date(y, m - 1, d);
    return check.getFullYear() === y && check.getMonth() === m - 1 && check.getDate() === d ? at : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return null;
  const at = new Date(s);
  return Number.isNaN(at.getTime()) ? null : at;
}

/**
 * The filters of a request, checked: the subtree (see auditNode), the person, the time range
 * (a date `to` includes that whole day), the collection and kinds, the cursor and page size.
 * Every problem is named by its field's title, all of them at once.
 */
export async function auditFilter(engine: AuditContext, user: Principal, q: AuditParams, limitDefault = DEFAULT_LIMIT): Promise<{ node: StoredRecord; filter: AuditFilter }> {
  const rt = engine.runtime;
  // Who may see the subtree's log first: nobody else learns anything, not even what a filter lacks.
  const node = await auditNode(engine, user, q.node);
  const errors: FieldError[] = [];
  const bad = (field: keyof typeof PARAM_TITLES, why: string) => errors.push({ path: `/${field}`, message: `「${PARAM_TITLES[field]}」${why}` });

  const from = q.from ? parseWhen(q.from, false) : undefined;
  if (from === null) bad('from', `“${q.from}”不是有效的日期（应为 2024-01-31 这样的日期）`);
  const to = q.to ? parseWhen(q.to, true) : undefined;
  if (to === null) bad('to', `“${q.to}”不是有效的日期（应为 2024-01-31 这样的日期）`);
  if (from && to && from.getTime() >= to.getTime()) bad('from', `不能晚于「${PARAM_TITLES.to}」`);

  const all = [...rt.config.collections.keys()];
  if (q.collection && !all.includes(q.collection)) bad('collection', `“${q.collection}”不存在`);

  const kinds = (q.kind ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  const unknown = kinds.filter((k) => !AUDIT_KINDS.some((x) => x.id === k));
  if (unknown.length) bad('kind', `“${unknown.join('、')}”无效，可选：${AUDIT_KINDS.map((k) => `${k.id}（${k.title}）`).join('、')}`);

  if (q.cursor !== undefined && !/^\d{1,15}$/.test(q.cursor)) bad('cursor', '无效，请从第一页重新查询');
  const limit = q.limit === undefined ? limitDefault : Number(q.limit);
  if (q.limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)) bad('limit', `应为 1 到 ${MAX_LIMIT} 之间的整数`);

  const person = (q.person ?? '').trim();
  if (person.length > 100) bad('person', '不能超过 100 个字');
  if (errors.length) throw domainInvalid(errors, '查询条件有误');

  return {
    node,
    filter: {
      path: node.path,
      unplaced: isRootPath(node.path),
      // Config changes sit at the tree's root: only an audit of the whole tree reaches them.
      collections: q.collection ? [q.collection] : [...all, CONFIG_AUDIT_COLLECTION],
      ...(person ? { person } : {}),
      ...(from ? { from: from.toISOString() } : {}),
      ...(to ? { to: to.toISOString() } : {}),
      ...(kinds.length ? { actions: actionSets(kinds as AuditKind[]) } : {}),
      ...(q.cursor !== undefined ? { before: Number(q.cursor) } : {}),
      limit,
    },
  };
}
