/**
 * GB 11643-1999 公民身份号码: six-digit address code (GB/T 2260), eight-digit birth date, three-digit
 * sequence (odd = male) and an ISO 7064 MOD 11-2 check character (X for 10).
 *
 * Only the province part of the address code is checked: county codes are assigned at
 * registration and change over time, so without a historical GB/T 2260 table a county check
 * would refuse real numbers (deregistered or renamed counties).
 */
import { isFutureDate, parseYmd } from './date.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const MIN_BIRTH_YEAR = 1880;

/**
 * Province-level codes of GB/T 2260, plus 83: the Taiwan residents' residence permit
 * (港澳台居民居住证, 2018) is numbered in this layout with prefixes 810000/820000/830000, and
 * refusing a legitimately issued number is worse than accepting an unusual prefix.
 */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
  50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
]);

/** True when the first two digits of a GB 11643 (or GB 32100 region) code are a known province. */
export function isProvinceCode(twoDigits: string): boolean {
  return /^\d{2}$/.test(twoDigits) && PROVINCES.has(Number(twoDigits));
}

/** The ISO 7064 MOD 11-2 check character for 17 digits. */
export function gb11643CheckChar(body17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/**
 * Format check `gb11643`: null when valid, else a short reason. Strict about the stored form
 * (no spaces, upper-case X) so stored values compare equal; a lower-case x gets its own reason so
 * the UI can upper-case and retry.
 */
export function checkGb11643(v: string): string | null {
  if (/\s/.test(v)) return '不得含空格';
  if (v.length !== 18) return '应为18位';
  if (/^\d{17}x$/.test(v)) return checkGb11643(v.toUpperCase()) ?? '末位X须大写';
  if (!/^\d{17}/.test(v)) return '前17位须为数字';
  if (!/[\dX]$/.test(v)) return '末位须为数字或X';
  if (!isProvinceCode(v.slice(0, 2))) return '地区码无效';
  const birth = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  const ymd = parseYmd(birth);
  if (!ymd || ymd.y < MIN_BIRTH_YEAR) return '出生日期无效';
  if (isFutureDate(birth)) return '出生日期不能晚于今天';
  if (gb11643CheckChar(v) !== v[17]) return '校验码错误';
  return null;
}

/** Birth date and sex carried by a valid number (for filling or cross-checking other fields). */
export function gb11643Parts(v: string): { birthDate: string; male: boolean } | null {
  if (checkGb11643(v) !== null) return null;
  return {
    birthDate: `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`,
    male: Number(v[16]) % 2 === 1,
  };
}
