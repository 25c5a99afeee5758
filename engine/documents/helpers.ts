import Handlebars from 'handlebars';
import type { CodeTable } from '../config/types.js';
import { shownLabel } from '../config/expand-schema.js';
import { dateParts } from './context.js';
import { slotMarkup } from './slots.js';

/** Handlebars' options object: the last argument of every helper call. */
const isOptions = (x: unknown) => !!x && typeof x === 'object' && 'hash' in (x as object) && 'data' in (x as object);
const args = (list: unknown[]) => (list.length && isOptions(list[list.length - 1]) ? list.slice(0, -1) : list);
const present = (v: unknown) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

export const CHECKED = '☑';
export const UNCHECKED = '□';

/**
 * A Handlebars environment with the generic print helpers (no domain knowledge):
 * - `check value expected` → ☑ when String(value) === String(expected), else □; `checkIf cond` by truthiness
 * - `eq a b`, `ne a b`, `not a`, `and a b …`, `or a b … "default"` (the first present value)
 * - `ymd date` → 1952年8月26日, or ____年__月__日 when empty; `ym date` → 1952年8月 / ____年__月
 * - `part date "y"|"m"|"d"` → one number of a date, or '' when empty
 * - `label "table" code` → a code's label from a code table (「名称待核实」 for a label marked labelPending)
 * - `slice list start [end]`, `first list`, `count list`, `add a b`, `join list ", "`
 * - `blank value n` → the value, or n full-width underscores (a line to write on)
 * - `{{#slot}}…{{/slot}}` marks a sheet's values: a batch draws the rest once (slots.ts, overlay.ts)
 */
export function createHandlebars(codes: Map<string, CodeTable>): typeof Handlebars {
  const hb = Handlebars.create();
  const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  hb.registerHelper('check', (value: unknown, expected: unknown) => (present(value) && str(value) === str(expected) ? CHECKED : UNCHECKED));
  hb.registerHelper('checkIf', (cond: unknown) => (cond ? CHECKED : UNCHECKED));
  hb.registerHelper('eq', (a: unknown, b: unknown) => str(a) === str(b));
  hb.registerHelper('ne', (a: unknown, b: unknown) => str(a) !== str(b));
  hb.registerHelper('not', (a: unknown) => !a);
  hb.registerHelper('and', (...list: unknown[]) => args(list).every(Boolean));
  hb.registerHelper('or', (...list: unknown[]) => {
    const values = args(list);
    return values.find(present) ?? values[values.length - 1] ?? '';
  });
  hb.registerHelper('ymd', (value: unknown) => {
    const p = dateParts(value);
    return p ? `${p.y}年${p.m}月${p.d}日` : '____年__月__日';
  });
  hb.registerHelper('ym', (value: unknown) => {
    const p = dateParts(value);
    return p ? `${p.y}年${p.m}月` : '____年__月';
  });
  hb.registerHelper('part', (value: unknown, which: unknown) => {
    const p = dateParts(value);
    return p && (which === 'y' || which === 'm' || which === 'd') ? p[which] : '';
  });
  hb.registerHelper('label', (table: unknown, code: unknown) => {
    const entry = codes.get(str(table))?.codes.find((c) => c.code === str(code));
    return entry ? shownLabel(entry) : '';
  });
  hb.registerHelper('slice', (list: unknown, start: unknown, end: unknown) =>
    Array.isArray(list) ? list.slice(Number(start) || 0, typeof end === 'number' ? end : undefined) : []);
  hb.registerHelper('first', (list: unknown) => (Array.isArray(list) ? list[0] : undefined));
  hb.registerHelper('count', (list: unknown) => (Array.isArray(list) ? list.length : 0));
  hb.registerHelper('add', (a: unknown, b: unknown) => Number(a) + Number(b));
  hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.map(str).join(typeof sep === 'string' ? sep : '、') : ''));
  hb.registerHelper('blank', (value: unknown, n: unknown) => (present(value) ? str(value) : '＿'.repeat(Number(n) || 6)));
  hb.registerHelper('slot', function (this: unknown, options: Handlebars.HelperOptions) {
    return new hb.SafeString(slotMarkup(options.fn(this)));
  });
  return hb;
}
