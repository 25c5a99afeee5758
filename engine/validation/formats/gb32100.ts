/**
 * GB 32100-2015 统一社会代码 (18 characters): registration authority, entity type, six-digit region
 * code, the nine-character GB 11714 code, and a mod-31 check character. The alphabet leaves out
 * I O S V Z so that letters are not misread as digits.
 */
import { checkGb11714 } from './gb11714.js';
import { isProvinceCode } from './gb11643.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Registration authorities of GB 32100 (1–9 departments, A military, N agriculture, Y other). */
const AUTHORITIES = '123456789ANY';

/** The mod-31 check character of the first 17 characters (weights 3^i mod 31). */
export function gb32100CheckChar(body17: string): string {
  let sum = 0;
  let w = 1;
  for (let i = 0; i < 17; i++) {
    sum += ALPHABET.indexOf(body17[i]) * w;
    w = (w * 3) % 31;
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/**
 * Format check `gb32100`: null when valid, else a short reason. Beyond the checksum it refuses an
 * unknown registration authority, a region outside the provinces and central level (10), and an
 * embedded GB 11714 code that fails its own check — each catches a code that is well-formed only
 * by chance.
 */
export function checkGb32100(v: string): string | null {
  if (/[\s-]/.test(v)) return '不得含空格或连字符';
  if (v.length !== 18) return '应为18位';
  if (/[a-z]/.test(v)) return '字母须大写';
  for (const ch of v) if (!ALPHABET.includes(ch)) return '含无效字符（不用I、O、S、V、Z）';
  if (!AUTHORITIES.includes(v[0])) return '登记管理部门代码无效';
  const region = v.slice(2, 8);
  if (!/^\d{6}$/.test(region) || !(region.startsWith('10') || isProvinceCode(region.slice(0, 2)))) {
    return '行政区划码无效';
  }
  if (gb32100CheckChar(v) !== v[17]) return '校验码错误';
  if (checkGb11714(gb32100OrgCode(v)) !== null) return '第9至17位组织机构代码无效';
  return null;
}

/** Characters 9–17: the GB 11714 组织机构代码 embedded in a GB 32100 code. */
export function gb32100OrgCode(v: string): string {
  return v.slice(8, 17);
}
