import type { JsonSchema } from '../config/types.js';
import { own } from '../own.js';

/** The schema node a JSON pointer into the data leads to (properties and items only). */
export function schemaAt(schema: JsonSchema, pointer: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = schema;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node) return undefined;
    const prop: JsonSchema | undefined = own<JsonSchema>(node.properties, part);
    if (prop) node = prop;
    else if (node.items && /^\d+$/.test(part)) node = node.items;
    else return undefined;
  }
  return node;
}

/** The Chinese title of the field at a pointer, falling back to its property name. */
export function fieldTitle(schema: JsonSchema, pointer: string): string {
  const node = schemaAt(schema, pointer);
  return node?.title ?? pointer.split('/').pop() ?? '记录';
}

/** Whether a property is a child table: an array whose rows are objects (its columns). */
export const isChildTable = (prop: JsonSchema | undefined): boolean =>
  !!prop && prop.type === 'array' && !!prop.items && typeof prop.items === 'object' && prop.items.type === 'object';

/**
 * How a message names the place a pointer leads to, quotes included: 「姓名」 for a field, and for
 * a child table's cell the table, the row (counted from 1 in words, from 0 in pointers) and the
 * column: /family/2/birthDate → 「家庭主要成员及社会关系」第3行「出生日期」; /family/2 → the row.
 */
export function fieldLabel(schema: JsonSchema, pointer: string): string {
  const parts = pointer.split('/').slice(1);
  const table = parts[0] !== undefined ? schemaAt(schema, `/${parts[0]}`) : undefined;
  if (parts.length >= 2 && isChildTable(table) && /^\d+$/.test(parts[1])) {
    const row = `「${table!.title ?? parts[0]}」第${Number(parts[1]) + 1}行`;
    return parts.length === 2 ? row : `${row}「${fieldTitle(schema, pointer)}」`;
  }
  return `「${fieldTitle(schema, pointer)}」`;
}
