/**
 * GB 11714-1997 组织机构代码: eight body characters (digits or upper-case letters, A = 10 … Z = 35)
 * and a check character: 11 − (Σ value × weight) mod 11, written X for 10 and 0 for 11.
 * Stored without the printed hyphen (XXXXXXXX-X) so it matches characters 9–17 of a GB 32100 code.
 */

const WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** The GB 11714 check character of an 8-character body of [0-9A-Z]. */
export function gb11714CheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(body8[i], 36) * WEIGHTS[i];
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Format check `gb11714`: null when valid, else a short reason. */
export function checkGb11714(v: string): string | null {
  if (/[\s-]/.test(v)) return '不得含空格或连字符';
  if (v.length !== 9) return '应为9位';
  if (/[a-z]/.test(v)) return '字母须大写';
  if (!/^[0-9A-Z]{8}[0-9X]$/.test(v)) return '含无效字符';
  return gb11714CheckChar(v) === v[8] ? null : '校验码错误';
}
