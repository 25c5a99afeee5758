import type { Accounts, Tx } from '../ports.js';

const USERNAME = /^[A-Za-z0-9_.@-]{2,64}$/;

/** Why a username cannot be used (already taken in the database or earlier in this batch), or null. */
export async function usernameProblem(accounts: Pick<Accounts, 'byName'>, db: Tx, wanted: unknown, taken: Set<string> = new Set()): Promise<string | null> {
  if (typeof wanted !== 'string' || !wanted) return '「用户名」为必填项';
  if (!USERNAME.test(wanted)) return '「用户名」须为2至64个字母、数字或 _ . @ -';
  if (taken.has(wanted) || (await accounts.byName(db, wanted))) return `「用户名」“${wanted}”已被使用`;
  return null;
}
