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
