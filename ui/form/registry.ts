import type { TemplateResult } from 'lit';
import type { JsonSchema } from '../api/types.js';
import type { RowHints } from '../../engine/validation/form-hints.js';

/** What a widget gets to render one field's control. */
export interface WidgetProps {
  name: string;
  prop: JsonSchema;
  value: unknown;
  /** id of the focusable control; the field's label points at it. */
  id: string;
  /** ids of the help text and error message (aria-describedby). */
  describedBy: string;
  labelId: string;
  required: boolean;
  invalid: boolean;
  disabled: boolean;
  /** New value (undefined clears the field). */
  set(value: unknown): void;
  /** Text as the field keeps it (the schema's x-transform, e.g. upper case): shown as typed. */
  normalize?(text: string): string;
  /** The user has finished with the field (blur): show its error from now on. */
  touch(): void;
  /** Errors inside the value (a child table's rows and cells, e.g. /family/2/birthDate); the form passes them. */
  innerErrors?: InnerError[];
  /** A child table's rows: which columns each row's conditions ask for (from the form's validator). */
  rowHints?: RowHints;
}

/** An error below a field's own path, as the form evaluated it. */
export interface InnerError {
  /** JSON pointer from the record, e.g. /family/2/birthDate. */
  path: string;
  message: string;
  /** Stops a save (otherwise it only keeps the record incomplete). */
  blocking: boolean;
  /** Shown now whatever the user touched: the form shows every error, or the server reported it. */
  forced: boolean;
}

/**
 * A widget: the tester ranks how well it fits a property (0 = not at all, highest wins), so a
 * new widget or a better default is added by registering a higher-ranked tester.
 */
export interface WidgetEntry {
  name: string;
  tester(prop: JsonSchema): number;
  render(p: WidgetProps): TemplateResult;
  /** The control is a group (radio buttons): labelled by the field label, not `for`. */
  group?: boolean;
}

const entries: WidgetEntry[] = [];

export function registerWidget(entry: WidgetEntry) {
  entries.push(entry);
}

/** The highest-ranked widget for a property. */
export function widgetFor(prop: JsonSchema): WidgetEntry {
  let best: WidgetEntry | undefined;
  let rank = 0;
  for (const e of entries) {
    const r = e.tester(prop);
    if (r > rank) { rank = r; best = e; }
  }
  if (!best) throw new Error('no widget registered');
  return best;
}

/** Tester helpers. */
export const is = {
  string: (p: JsonSchema) => p.type === 'string' || (Array.isArray(p.type) && p.type.includes('string')),
  widget: (name: string) => (p: JsonSchema) => p['x-widget'] === name,
  codes: (p: JsonSchema) => Array.isArray(p['x-codes']),
  /** A child table: an array whose items are an object with properties (its columns). */
  table: (p: JsonSchema) => p.type === 'array' && p.items?.type === 'object' && !!p.items.properties,
};
