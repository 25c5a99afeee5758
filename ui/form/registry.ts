import type { TemplateResult } from 'lit';
import type { JsonSchema } from '../api/types.js';

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
};
