import Ajv2020Module from 'ajv/dist/2020.js';
import { configErrors } from '../config/ajv-messages.js';
import type { JsonSchema } from '../config/types.js';
import type { XlsxLayout } from './xlsx-layout.js';

/**
 * The shape of an xlsx layout (templates/*.xlsx.json; every key is documented in
 * templates/README.md), checked when the config is loaded: a layout that would fail while
 * writing a workbook is refused with the JSON pointer of the mistake instead.
 */
const text = { type: 'string' };
const comment = { '^\\$': {} };
const strictObject = (properties: JsonSchema, required: string[] = []): JsonSchema =>
  ({ type: 'object', properties, required, patternProperties: comment, additionalProperties: false });
const positive = { type: 'number', exclusiveMinimum: 0 };
const count = { type: 'integer', minimum: 0 };
const side = { enum: ['thin', 'medium', 'thick', 'dotted', 'dashed', 'double', 'hair', 'none'] };
const style = {
  font: { type: 'object' },
  alignment: { type: 'object' },
  border: { anyOf: [side, strictObject({ top: side, left: side, bottom: side, right: side })] },
  fill: { type: 'string', pattern: '^#?[0-9A-Fa-f]{6}$' },
};

export const layoutSchema: JsonSchema = strictObject({
  styles: { type: 'object', additionalProperties: strictObject(style) },
  font: { type: 'object' },
  sheets: {
    type: 'array', minItems: 1,
    items: strictObject({
      name: text, when: text, let: { type: 'object', additionalProperties: text },
      columns: { type: 'array', minItems: 1, items: positive },
      font: { type: 'object' }, page: { type: 'object' },
      rows: {
        type: 'array',
        items: strictObject({
          height: positive, when: text,
          repeat: strictObject({ each: { type: 'string', minLength: 1 }, from: count, as: { type: 'string', pattern: '^[A-Za-z_]\\w*$' }, minRows: count }, ['each']),
          cells: {
            type: 'array',
            items: strictObject({
              ...style, value: text, when: text, span: { type: 'integer', minimum: 1 }, rowSpan: { type: 'integer', minimum: 1 },
              style: { anyOf: [text, { type: 'array', items: text }] },
            }),
          },
        }, ['cells']),
      },
    }, ['name', 'columns', 'rows']),
  },
}, ['sheets']);

const Ajv2020 = ((Ajv2020Module as any).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
const validateShape = new Ajv2020({ allErrors: true, strict: false }).compile(layoutSchema);

/** Every problem of a parsed layout, as "templates/<file>: /pointer: …"; [] when it can be written. */
export function layoutProblems(layout: unknown, file: string): string[] {
  const where = `templates/${file}`;
  if (!validateShape(layout)) return configErrors(where, validateShape.errors);
  const l = layout as XlsxLayout;
  const out: string[] = [];
  l.sheets.forEach((s, i) => s.rows.forEach((r, j) => r.cells.forEach((c, k) => {
    const names = c.style === undefined ? [] : Array.isArray(c.style) ? c.style : [c.style];
    for (const name of names) {
      if (!l.styles?.[name]) out.push(`${where}: /sheets/${i}/rows/${j}/cells/${k}/style: 样式 "${name}" 未在 styles 中定义`);
    }
  })));
  return out;
}

/** Every Handlebars text of a layout with its JSON pointer: cell values and `when`s, sheet names. */
export function layoutTexts(l: XlsxLayout): { at: string; source: string }[] {
  const out: { at: string; source: string }[] = [];
  const expr = (at: string, when: string | undefined) => { if (when !== undefined) out.push({ at, source: `{{#if ${when}}}1{{/if}}` }); };
  l.sheets.forEach((s, i) => {
    out.push({ at: `/sheets/${i}/name`, source: s.name });
    expr(`/sheets/${i}/when`, s.when);
    s.rows.forEach((r, j) => {
      expr(`/sheets/${i}/rows/${j}/when`, r.when);
      r.cells.forEach((c, k) => {
        if (c.value !== undefined) out.push({ at: `/sheets/${i}/rows/${j}/cells/${k}/value`, source: c.value });
        expr(`/sheets/${i}/rows/${j}/cells/${k}/when`, c.when);
      });
    });
  });
  return out;
}
