/**
 * A record's JSON values as SQLite's json_extract sees them, written in PostgreSQL's jsonb, so the
 * two adapters select, compare, sort and group the same records. json_extract gives typed values:
 * NULL for a missing key or JSON null, a number (true/false become 1/0), text for a string (and
 * for an array or object: its JSON). SQLite orders NULL < numbers < text, never equates a number
 * with a text, and compares text byte-wise. `data->>'f'` alone would turn 5 into '5' and compare
 * it with text, so every comparison here switches on jsonb_typeof first.
 *
 * Arrays and objects are not query fields (engine/query/fields.ts); they compare as jsonb's text,
 * which spaces its JSON unlike SQLite — the only known difference, on values no query names.
 */

/** Positional parameters ($1, $2, …) collected while a statement is written. */
export class Params {
  readonly values: unknown[] = [];
  /** Adds a value and returns its placeholder. */
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

/** The JSON value of a top-level field of a jsonb expression (NULL when absent). */
export const jsonField = (source: string, field: string, p: Params) => `(${source} -> ${p.add(field)}::text)`;

/** Whether SQLite would see text (a string, or an array's or object's JSON). */
const isText = (x: string) => `jsonb_typeof(${x}) IN ('string', 'array', 'object')`;
/** Whether SQLite would see a number (booleans are 1/0 there). */
const isNumber = (x: string) => `jsonb_typeof(${x}) IN ('number', 'boolean')`;
/** The text of a text value (a string unquoted). */
const stringOf = (x: string) => `(${x} #>> '{}')`;
/** The number of a number value. */
const numberOf = (x: string) => `(CASE WHEN jsonb_typeof(${x}) = 'boolean' THEN (CASE WHEN ${x} = 'true'::jsonb THEN 1 ELSE 0 END)::numeric ELSE (${x})::numeric END)`;

/** The value as text, as SQLite converts it for instr, LIKE or substr (true → '1'); NULL stays NULL. */
export const textOf = (x: string) =>
  `(CASE jsonb_typeof(${x}) WHEN 'boolean' THEN (CASE WHEN ${x} = 'true'::jsonb THEN '1' ELSE '0' END) ELSE ${x} #>> '{}' END)`;

type Cmp = '=' | '>' | '>=' | '<' | '<=';
/** Whether `a cmp b` holds when a sorts wholly before b (SQLite: a number before any text). */
const beforeHolds = (cmp: Cmp) => (cmp === '<' || cmp === '<=' ? 'true' : 'false');
const afterHolds = (cmp: Cmp) => (cmp === '>' || cmp === '>=' ? 'true' : 'false');

/** `value cmp text` as SQLite: text compared byte-wise, a number always below, NULL unknown. */
export function compareText(x: string, cmp: Cmp, text: string, p: Params): string {
  const t = p.add(text);
  return `(CASE WHEN ${isText(x)} THEN ${stringOf(x)} COLLATE "C" ${cmp} ${t}::text WHEN ${isNumber(x)} THEN ${beforeHolds(cmp)} END)`;
}

/** `value cmp number` as SQLite: numbers (and booleans as 1/0) numerically, text always above, NULL unknown. */
export function compareNumber(x: string, cmp: Cmp, n: number, p: Params): string {
  const v = p.add(n);
  return `(CASE WHEN ${isNumber(x)} THEN ${numberOf(x)} ${cmp} ${v}::numeric WHEN ${isText(x)} THEN ${afterHolds(cmp)} END)`;
}

/**
 * The value is text equal to one of `values` (SQLite's `json_extract(...) IN (...)`). One CASE
 * rather than `typeof AND equal`: the planner guesses a selectivity per clause, and two guesses
 * multiplied made it expect almost no match and sort every row instead of walking the
 * (collection, path, seq) index to the first page.
 */
export function textIn(x: string, values: string[], p: Params): string {
  return `(CASE WHEN ${isText(x)} THEN ${stringOf(x)} = ANY(${p.add(values)}::text[]) END)`;
}

/** SQLite's `coalesce(value, '') = ''`: absent, JSON null or the empty string (0 and false are values). */
export const isEmpty = (x: string) => `coalesce(${x}, 'null'::jsonb) IN ('null'::jsonb, '""'::jsonb)`;

/** json_array_length as SQLite counts it: the array's length, 0 for anything else (absent: 0 after coalesce). */
export const arrayLength = (x: string) => `(CASE WHEN jsonb_typeof(${x}) = 'array' THEN jsonb_array_length(${x}) ELSE 0 END)`;

/**
 * The elements json_each walks: an array's items, an object's values, a scalar itself, nothing
 * when absent — as a jsonb array to unnest.
 */
export const eachOf = (x: string) =>
  `(CASE WHEN ${x} IS NULL THEN '[]'::jsonb WHEN jsonb_typeof(${x}) = 'array' THEN ${x}`
  + ` WHEN jsonb_typeof(${x}) = 'object' THEN coalesce((SELECT jsonb_agg(e.value) FROM jsonb_each(${x}) e), '[]'::jsonb)`
  + ` ELSE jsonb_build_array(${x}) END)`;

/**
 * The value as jsonb that reads back (through sqliteValue) as json_extract's result: booleans as
 * 1/0, JSON null as NULL; arrays and objects stay JSON, which sqliteValue writes out as SQLite does.
 * Equal values group together as in SQLite.
 */
export const typedOf = (x: string) =>
  `(CASE jsonb_typeof(${x}) WHEN 'boolean' THEN to_jsonb(CASE WHEN ${x} = 'true'::jsonb THEN 1 ELSE 0 END) WHEN 'null' THEN NULL ELSE ${x} END)`;

/**
 * ORDER BY terms that sort values as SQLite does: NULL, then numbers by value, then text by bytes
 * (descending: the reverse).
 */
export function sortTerms(x: string, desc: boolean): string[] {
  const dir = desc ? 'DESC' : 'ASC';
  return [
    `(CASE WHEN ${isNumber(x)} THEN 1 WHEN ${isText(x)} THEN 2 ELSE 0 END) ${dir}`,
    `(CASE WHEN ${isNumber(x)} THEN ${numberOf(x)} END) ${dir}`,
    `(CASE WHEN ${isText(x)} THEN ${stringOf(x)} END) COLLATE "C" ${dir}`,
  ];
}

/** A jsonb value read back by the driver (already parsed) as json_extract returns it (see typedOf). */
export function sqliteValue(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

/** ASCII letters lowered, the only case SQLite's LIKE ignores. */
const ASCII_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const asciiLower = (sql: string) => `translate(${sql}, '${ASCII_UPPER}', '${ASCII_UPPER.toLowerCase()}')`;
export const asciiLowerText = (s: string) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
