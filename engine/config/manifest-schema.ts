import type { JsonSchema } from './types.js';

const text = { type: 'string', minLength: 1 };
const texts = { type: 'array', items: text };

/**
 * The shape of forms/app.json (see forms/README.md), checked before anything is read from it,
 * so a wrong type is named at its place rather than failing somewhere later. Unknown keys are
 * allowed inside collections (modules read their own: lookup, derivedFromGrants …).
 */
export const manifestSchema: JsonSchema = {
  type: 'object',
  required: ['name', 'title', 'tree', 'collections', 'roles'],
  properties: {
    name: text, title: text, essentialLabel: { type: 'string' }, loginNote: { type: 'string' },
    tree: {
      type: 'object', required: ['collection', 'parentField', 'labelField'],
      properties: { collection: text, parentField: text, labelField: text, fullNameField: text },
    },
    collections: {
      type: 'object',
      additionalProperties: {
        type: 'object', required: ['title', 'schema'],
        properties: {
          title: text, schema: text, nodeField: text, titleField: text, listColumns: texts, search: texts,
          uniqueKeys: { type: 'array', items: { type: 'object', required: ['fields'], properties: { fields: { ...texts, minItems: 1 } } } },
          completeness: { type: 'boolean' }, workflow: text, documents: { type: 'object', additionalProperties: { type: 'object' } },
          direct: { type: 'array', items: { enum: ['create', 'update', 'delete'] } }, directHint: { type: 'string' },
        },
      },
    },
    roles: {
      type: 'object',
      additionalProperties: {
        type: 'object', required: ['title', 'permissions'],
        properties: { title: text, permissions: texts, self: text, username: text },
      },
    },
    demo: texts,
    publishNeedsSecondAdmin: { type: 'boolean' },
  },
};
