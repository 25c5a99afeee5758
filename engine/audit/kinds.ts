import type { ActionSet } from '../ports.js';

/**
 * The kinds of change the audit view tells apart. Clients read this list from each answer (with
 * the titles to show) and every entry names its kind, so a kind added later — config changes,
 * once config is versioned — is one more row here, not a change of the answer's shape.
 */
export const AUDIT_KINDS = [
  { id: 'create', title: '新建' },
  { id: 'update', title: '修改' },
  { id: 'delete', title: '删除' },
  { id: 'event', title: '流程操作' },
  { id: 'access', title: '授权与账号' },
  { id: 'config', title: '配置变更' },
] as const;

/**
 * Config changes in the audit log: a published version (from a draft, a code-table save, the
 * files) or a rollback, written with the version in its transaction, placed at the tree's root
 * (only who audits the whole tree sees them), under this pseudo-collection.
 */
export const CONFIG_AUDIT_COLLECTION = '$config';
const CONFIG_TITLES: Record<string, string> = { 'config-publish': '发布配置', 'config-rollback': '回滚配置' };

export type AuditKind = (typeof AUDIT_KINDS)[number]['id'];

/** Entries about who may do what: roles granted on a node, accounts of a record's person. */
const ACCESS_TITLES: Record<string, string> = {
  grant: '授予职务', revoke: '撤销职务',
  'account-open': '开通账号', 'account-reset': '重置密码', 'account-lock': '停用账号', 'account-unlock': '启用账号',
};
const PLAIN = ['create', 'update', 'delete'];

/** What kind of change an entry's action is: a record's own write, an access change, else a workflow event. */
export function kindOf(action: string): AuditKind {
  if (PLAIN.includes(action)) return action as AuditKind;
  if (Object.hasOwn(CONFIG_TITLES, action)) return 'config';
  return Object.hasOwn(ACCESS_TITLES, action) ? 'access' : 'event';
}

/** The title of a non-event action ('' for an event: its workflow titles it). */
export function plainActionTitle(action: string): string {
  if (PLAIN.includes(action)) return AUDIT_KINDS.find((k) => k.id === action)!.title;
  if (Object.hasOwn(CONFIG_TITLES, action)) return CONFIG_TITLES[action];
  return Object.hasOwn(ACCESS_TITLES, action) ? ACCESS_TITLES[action] : '';
}

/** The actions the chosen kinds cover, as sets storage turns into conditions. */
export function actionSets(kinds: AuditKind[]): ActionSet[] {
  return kinds.map((k): ActionSet => {
    if (k === 'access') return { in: Object.keys(ACCESS_TITLES) };
    if (k === 'config') return { in: Object.keys(CONFIG_TITLES) };
    if (k === 'event') return { notIn: [...PLAIN, ...Object.keys(ACCESS_TITLES), ...Object.keys(CONFIG_TITLES)] };
    return { in: [k] };
  });
}
