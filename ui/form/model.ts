import type { JsonSchema, FieldError } from '../api/types.js';
import type { BrowserValidator } from '../api/session.js';

/** One property of a collection's schema as the form lays it out. */
export interface FieldModel {
  name: string;
  prop: JsonSchema;
  title: string;
  group: string;
  order: number;
  essential: boolean;
  readOnly: boolean;
}

/** Top-level properties in display order (x-order, then schema order), hidden widgets left out. */
export function fieldsOf(schema: JsonSchema): FieldModel[] {
  return Object.entries<JsonSchema>(schema.properties ?? {})
    .map(([name, prop], i) => ({
      name, prop, title: prop.title ?? name, group: prop['x-group'] ?? '', order: prop['x-order'] ?? 1000 + i,
      essential: !!prop['x-essential'], readOnly: !!prop['x-readOnly'] || !!prop.readOnly,
    }))
    .filter((f) => f.prop['x-widget'] !== 'hidden')
    .sort((a, b) => a.order - b.order);
}

/** Fields grouped by x-group, groups in order of their first field. */
export function groupsOf(fields: FieldModel[]): { title: string; fields: FieldModel[] }[] {
  const out: { title: string; fields: FieldModel[] }[] = [];
  for (const f of fields) {
    let g = out.find((x) => x.title === f.group);
    if (!g) out.push((g = { title: f.group, fields: [] }));
    g.fields.push(f);
  }
  return out;
}

export const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

/** What the form shows for one field right now. */
export interface FieldState {
  visible: boolean;
  /** Required to save or by an active condition (the * mark). */
  required: boolean;
  /** An essential item that applies to this data (shown in red). */
  essential: boolean;
  error?: string;
  /** The error stops a save (otherwise it only keeps the record incomplete). */
  blocking: boolean;
}

export interface Evaluation {
  fields: Map<string, FieldState>;
  /** Errors that stop a save (schema, formats, rules, newly entered deprecated codes). */
  blocking: FieldError[];
  /** What keeps the record from being complete (missing essentials, stale codes). */
  incomplete: FieldError[];
}

/**
 * Rules as data, evaluated in one place: the collection's own validator (the server's compiled
 * schema) decides errors, which fields are required now, and which must stay empty; visibility
 * and marks follow from that one evaluation.
 */
export function evaluate(v: BrowserValidator, fields: FieldModel[], data: Record<string, unknown>, previous?: Record<string, unknown>, serverErrors: FieldError[] = []): Evaluation {
  const blocking = [...v.validate(data, previous), ...serverErrors];
  const blockingPaths = new Set(blocking.map((e) => e.path));
  const incomplete = v.completenessErrors(data).filter((e) => !blockingPaths.has(e.path));
  const requiredNow = v.requiredNow(data);
  const absent = v.absentNow(data);
  const out = new Map<string, FieldState>();
  for (const f of fields) {
    const empty = isEmpty(data[f.name]);
    const hiddenByCondition = v.conditional.has(f.name) && !requiredNow.has(f.name) && empty;
    const b = blocking.find((e) => e.path === `/${f.name}`);
    const i = incomplete.find((e) => e.path === `/${f.name}`);
    out.set(f.name, {
      visible: !(hiddenByCondition || (absent.has(f.name) && empty)),
      required: requiredNow.has(f.name),
      essential: f.essential && !absent.has(f.name),
      error: b?.message ?? i?.message,
      blocking: !!b,
    });
  }
  return { fields: out, blocking, incomplete };
}
