/** Telephone numbers of mainland China, as typed into contact fields. */

/** Format check `mobile`: an 11-digit mainland mobile number, 1 then 3–9 then nine digits. */
export function checkMobile(v: string): string | null {
  if (!/^\d{11}$/.test(v)) return '应为11位数字';
  return /^1[3-9]\d{9}$/.test(v) ? null : '不是有效的手机号码';
}

/**
 * Format check `phone`: a fixed-line number with its area code — 0 and 2–3 digits, an optional
 * hyphen, a 7–8 digit local number and an optional extension '-1234'.
 * Examples: 010-12345678, 0755-1234567-801.
 */
export function checkPhone(v: string): string | null {
  return /^0[1-9]\d{1,2}-?\d{7,8}(-\d{1,6})?$/.test(v) ? null : '应为区号加号码，如010-12345678';
}
