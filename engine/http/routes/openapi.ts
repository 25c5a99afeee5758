import { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import { requireUser, SESSION_COOKIE } from '../middleware/session.js';
import { routeDocs, type RouteDoc, type Shape } from '../route-docs.js';

type Json = Record<string, any>;
/** What Hono lists for a route (app.routes). */
export interface ListedRoute { method: string; path: string }

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const componentName = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

/** "/api/records/:collection/:id" → "/api/records/{collection}/{id}"; a trailing * → {rest}. */
export const openapiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/\*$/, '/{rest}');
const pathParams = (path: string) => [...openapiPath(path).matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

/** The JSON Schema of a named shape, resolved against the collections and workflows in force. */
function schemaOf(shape: Exclude<Shape, { media: string }>, names: { collections: string[]; events: string[] }): Json {
  if (typeof shape === 'object') return shape.schema;
  const anyRecord = { oneOf: names.collections.map((c) => ref(`${c}.data`)) };
  switch (shape) {
    case 'record': return anyRecord;
    case 'storedRecord': return ref('StoredRecord');
    case 'recordPage': return { type: 'object', properties: { items: { type: 'array', items: ref('StoredRecord') }, nextCursor: { type: ['string', 'null'] } } };
    case 'history': return { type: 'object', properties: { items: { type: 'array', items: { type: 'object' } } }, additionalProperties: true };
    case 'validate': return { type: 'object', properties: { data: anyRecord, previous: { type: 'object' } }, required: ['data'] };
    case 'event': return names.events.length ? { oneOf: names.events.map((e) => ref(e)) } : ref('Event');
    case 'batch': return { allOf: [schemaOf('event', names), { type: 'object', properties: { ids: { type: 'array', items: { type: 'string' }, minItems: 1 } }, required: ['ids'] }] };
    case 'error': return ref('Error');
  }
}

function content(shape: Shape, names: { collections: string[]; events: string[] }): Json {
  if (typeof shape === 'object' && 'media' in shape) return { [shape.media]: { schema: { type: 'string', contentMediaType: shape.media } } };
  return { 'application/json': { schema: schemaOf(shape, names) } };
}

/** The components: each collection's schema (as the config has it, code tables expanded), each event's body, the common shapes. */
function components(engine: Engine): { schemas: Json; collections: string[]; events: string[] } {
  const rt = engine.runtime;
  const schemas: Json = {
    FieldError: { type: 'object', properties: { path: { type: 'string', description: 'JSON pointer of the field' }, message: { type: 'string' } }, required: ['path', 'message'] },
    Error: {
      type: 'object', required: ['error'],
      properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array', items: ref('FieldError') } } } },
    },
    StoredRecord: {
      type: 'object',
      properties: {
        id: { type: 'string' }, collection: { type: 'string' }, version: { type: 'integer' }, state: { type: ['string', 'null'] },
        workflow: { type: ['string', 'null'] }, workflowContext: { type: ['object', 'null'] }, complete: { type: 'boolean' }, node: { type: ['string', 'null'] },
        data: { type: 'object', description: 'the record\'s fields: see <collection>.data' }, createdAt: { type: 'string' }, createdBy: { type: 'string' },
        updatedAt: { type: 'string' }, updatedBy: { type: 'string' }, codeVersions: { type: 'object' },
      },
    },
    Event: { type: 'object', properties: { type: { type: 'string' } }, required: ['type'], additionalProperties: true },
  };
  const collections: string[] = [];
  const events: string[] = [];
  for (const [name, c] of rt.config.collections) {
    const key = componentName(name);
    collections.push(key);
    const { $schema: _s, ...schema } = c.schema as Json;
    schemas[`${key}.data`] = { ...schema, description: `${c.title}${schema.description ? `：${schema.description}` : ''}` };
    const wf = rt.workflowOf(c);
    for (const e of wf?.events.values() ?? []) {
      if (e.internal) continue;
      const id = componentName(`${wf!.id}.${e.type}`);
      if (schemas[id]) continue;
      const body: Json = { type: 'object', properties: { type: { const: e.type, description: e.title } }, required: ['type'] };
      // The payload's fields sit beside `type`; an event with a form carries that collection's fields.
      const payload = e.payload ?? (e.form ? ref(`${componentName(e.form)}.data`) : undefined);
      schemas[id] = payload ? { allOf: [body, payload], description: e.title } : { ...body, description: e.title };
      events.push(id);
    }
  }
  return { schemas, collections, events };
}

function operation(key: string, doc: RouteDoc, names: { collections: string[]; events: string[] }): Json {
  const [, path] = key.split(' ');
  const parameters: Json[] = [
    ...pathParams(path).map((p) => ({ name: p, in: 'path', required: true, schema: { type: 'string' } })),
    ...Object.entries(doc.query ?? {}).map(([name, description]) => ({ name, in: 'query', required: false, description, schema: { type: 'string' } })),
    ...Object.entries(doc.headers ?? {}).map(([name, description]) => ({ name, in: 'header', required: true, description, schema: { type: 'string' } })),
  ];
  const status = String(doc.status ?? 200);
  const errorAnswer = { description: 'an error: {error: {code, message, details: [{path, message}]}}', content: { 'application/json': { schema: ref('Error') } } };
  return {
    operationId: key.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, ''),
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: [doc.tag],
    ...(doc.public ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(doc.body ? { requestBody: { required: true, content: content(doc.body, names) } } : {}),
    responses: {
      [status]: { description: doc.summary, ...(doc.answer ? { content: content(doc.answer, names) } : {}) },
      ...(doc.public ? {} : { 401: { ...errorAnswer, description: 'not logged in' } }),
      default: errorAnswer,
    },
  };
}

/**
 * The OpenAPI 3.1 description of the running server: every route Hono lists, described by
 * route-docs.ts, with the collections' schemas and workflow events of the config in force (so a
 * config change shows at once). A listed route without a description appears with its path only.
 */
export function openapiDocument(engine: Engine, routes: ListedRoute[]): Json {
  const { schemas, collections, events } = components(engine);
  const names = { collections, events };
  const paths: Json = {};
  for (const r of routes) {
    if (r.method === 'ALL') continue; // middleware
    const key = `${r.method} ${r.path}`;
    const doc = routeDocs[key] ?? { tag: 'other', summary: key };
    (paths[openapiPath(r.path)] ??= {})[r.method.toLowerCase()] = operation(key, doc, names);
  }
  const manifest = engine.runtime.config.manifest as Json;
  return {
    openapi: '3.1.0',
    info: {
      title: `${manifest.title ?? manifest.name ?? 'caiji'} API`, version: String(engine.config.status.generation),
      description: 'Generated from the server\'s routes (engine/http/route-docs.ts) and the config in force. Log in with POST /api/login; send the session cookie and, on POST/PUT/DELETE, the X-CSRF-Token from the login answer.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    security: [{ session: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'the session cookie set by POST /api/login' } },
    },
  };
}

/** GET /api/openapi.json — for logged-in users (the collections' schemas are config). */
export function openapiRoutes(listRoutes: () => ListedRoute[]) {
  const app = new Hono();
  app.get('/openapi.json', requireUser, (c) => c.json(openapiDocument(c.get('engine'), listRoutes())));
  return app;
}
