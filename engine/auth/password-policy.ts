import type { Storage } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { Principal } from './principal.js';

/**
 * The rule for every password a person chooses for themselves (the random first passwords
 * admins hand out are made elsewhere and are not subject to it). It refuses what a guesser tries
 * first: the most common passwords, the person's own username or identity number, one character
 * repeated, a short group repeated, and runs like 12345678 or abcdefgh.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/**
 * The most common passwords, from published leak tallies (Chinese sites' favourites first),
 * compared ignoring case. Those shorter than PASSWORD_MIN are refused by the length rule anyway;
 * they are listed so the list stays true if the minimum changes.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456', '5201314', 'a123456', 'qq123456', 'woaini1314', 'password', '123456789', '12345678',
  '1234567890', '111111', '000000', '123123', '666666', '888888', '88888888', '11111111',
  '147258369', '123123123', '1qaz2wsx', '1q2w3e4r', '1q2w3e4r5t', 'qwertyuiop', 'qwerty123',
  'qwer1234', 'asdfghjkl', 'zxcvbnm', 'zxcvbnm123', 'iloveyou', 'woaini520', 'woaini123',
  'woaini1314520', '5201314520', '13145200', '1314520520', '520520520', 'a12345678', 'a1234567',
  'aa123456', 'abc123456', 'abcd1234', 'abc12345', 'a123456789', 'qq123456789', 'password1',
  'password123', 'p@ssw0rd', 'passw0rd', 'admin123', 'admin888', 'admin123456', 'root1234',
  'welcome1', 'letmein1', 'wang1234', 'zhang123', 'li123456', 'asd123456', 'asdf1234',
  'qaz123456', '1234qwer', 'q1w2e3r4', 'abcdefg1', '12345678a', '123456abc', '123456aa',
  '112233445566', '11223344', '12341234', '321654987', '159357159357', '147258', '159357',
  '789456123', '987654321', 'dearbook', 'sunshine', 'princess', 'football', 'baseball',
]);

/** What a password must not contain: the person's username and the identifiers of their record. */
export interface PasswordOwner {
  username: string;
  /** The bound record's identifying field(s) as the schema titles them, e.g. an identity number. */
  identifiers: { title: string; value: string }[];
}

/** Shorter words are too likely to turn up in a good password by chance to be refused. */
const OWN_WORD_MIN = 4;

/** Every step from one character to the next is `step` (+1: abcd, 1234; -1: dcba, 4321). */
function isRun(chars: string[], step: number): boolean {
  return chars.every((ch, i) => i === 0 || ch.codePointAt(0)! - chars[i - 1].codePointAt(0)! === step);
}

/** The password is a group of up to 4 characters written again and again (12121212, abcabcab). */
function isRepeatedGroup(chars: string[]): boolean {
  for (let n = 2; n <= 4 && n * 2 <= chars.length; n++) {
    if (chars.every((ch, i) => ch === chars[i % n])) return true;
  }
  return false;
}

/** Why a person may not choose this new password ('「新密码」…'), or null when it is acceptable. */
export function newPasswordProblem(next: string, current: string | undefined, owner: PasswordOwner): string | null {
  const chars = [...next];
  if (chars.length < PASSWORD_MIN) return `「新密码」至少${PASSWORD_MIN}个字符`;
  if (chars.length > PASSWORD_MAX) return `「新密码」最多${PASSWORD_MAX}个字符`;
  if (next.trim() !== next) return '「新密码」首尾不能是空格';
  if (next === current) return '「新密码」不能与当前密码相同';
  const lower = next.toLowerCase();
  const folded = [...lower];
  if (folded.every((ch) => ch === folded[0])) return '「新密码」不能全是同一个字符';
  if (isRun(folded, 1) || isRun(folded, -1)) return '「新密码」不能是连续的字符（如 12345678、abcdefgh、987654）';
  if (isRepeatedGroup(folded)) return '「新密码」不能是几个字符的简单重复（如 12121212、abcabcab）';
  if (COMMON_PASSWORDS.has(lower)) return '「新密码」是最常见的密码之一，很容易被猜中，请换一个';
  if (owner.username.length >= OWN_WORD_MIN && lower.includes(owner.username.toLowerCase())) return '「新密码」不能包含用户名';
  for (const id of owner.identifiers) {
    if (id.value.length >= OWN_WORD_MIN && lower.includes(id.value.toLowerCase())) return `「新密码」不能包含本人的${id.title}`;
  }
  return null;
}

/**
 * Whose password it is: the username, and — for an account bound to a record — the field the
 * app's self role names as the account's natural username (app.json roles.*.username, e.g. an
 * identity number), with its title from the schema.
 */
export async function passwordOwner(runtime: AppRuntime, storage: Pick<Storage, 'db' | 'records'>, user: Principal): Promise<PasswordOwner> {
  const owner: PasswordOwner = { username: user.username, identifiers: [] };
  const self = user.self;
  if (!self) return owner;
  const collection = runtime.config.collections.get(self.collection);
  const record = await storage.records.get(storage.db, self.recordId);
  if (!collection || !record) return owner;
  for (const role of Object.values(runtime.config.manifest.roles)) {
    if (role.self !== self.collection || !role.username) continue;
    const value = record.data[role.username];
    const title = collection.schema.properties?.[role.username]?.title ?? role.username;
    if (typeof value === 'string' || typeof value === 'number') owner.identifiers.push({ title: String(title), value: String(value) });
  }
  return owner;
}
