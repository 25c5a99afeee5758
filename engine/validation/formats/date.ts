/**
 * Calendar dates as the forms store them: 'YYYY-MM-DD' strings, compared as local dates in the
 * users' zone (Asia/Shanghai, UTC+8, no daylight saving) so that "today" does not depend on the
 * server's or browser's TZ setting.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UTC8_MS = 8 * 3600 * 1000;

/** A date split into numbers; null when the string is not a real calendar date. */
export interface Ymd { y: number; m: number; d: number }

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days in month m (1–12) of year y, Gregorian rules. */
export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** The number the ASCII digits v[from, to) spell, or -1 when one is not a digit (DATE_RE's \d). */
function digits(v: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Parses 'YYYY-MM-DD' into numbers, or null if it is not a real date (year 0000 is refused).
 * Read character by character, not with DATE_RE: every date of every record and table row is
 * parsed several times per validation (format, x-notFuture, age rules), an import's hotspot.
 */
export function parseYmd(v: string): Ymd | null {
  if (v.length !== 10 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45) return null;
  const y = digits(v, 0, 4), mo = digits(v, 5, 7), d = digits(v, 8, 10);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return { y, m: mo, d };
}

/** Format check `date`: null when v is 'YYYY-MM-DD' and a real calendar date (leap years included). */
export function checkDate(v: string): string | null {
  if (parseYmd(v)) return null;
  return DATE_RE.test(v) ? '日期不存在' : '应为YYYY-MM-DD格式的日期';
}

/** The UTC+8 day last asked for and the instants it spans: every date field of every record asks. */
let lastDay = { from: 0, to: -1, day: '' };

/** The UTC+8 calendar date of an instant (default: now), as 'YYYY-MM-DD' (the users' "today"). */
export function shanghaiDate(at?: Date): string {
  const t = at ? at.getTime() : Date.now();
  if (t >= lastDay.from && t < lastDay.to) return lastDay.day;
  const day = new Date(t + UTC8_MS).toISOString().slice(0, 10);
  const from = Date.parse(`${day}T00:00:00.000Z`) - UTC8_MS;
  lastDay = { from, to: from + 86_400_000, day };
  return day;
}

/**
 * True when date v lies after today's UTC+8 date, so a birth date entered just after midnight in
 * China is not refused by a server still on yesterday's UTC date. Invalid dates return false
 * (checkDate reports those).
 */
export function isFutureDate(v: string, today?: Date): boolean {
  // The cheap comparison first: most dates are past and need no parse.
  return v > shanghaiDate(today) && parseYmd(v) !== null;
}

/**
 * Full years of age (周岁) on date `at` (a 'YYYY-MM-DD' string, or an instant taken as its UTC+8
 * date) for someone born on `birth`. A 29 February birthday counts as reached on 1 March in
 * non-leap years. Null when either date is invalid; negative when `at` precedes `birth`.
 */
export function yearsBetween(birth: string, at: string | Date): number | null {
  const b = parseYmd(birth);
  const a = parseYmd(typeof at === 'string' ? at : shanghaiDate(at));
  if (!b || !a) return null;
  let years = a.y - b.y;
  if (a.m < b.m || (a.m === b.m && a.d < b.d)) years -= 1;
  return years;
}
