import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { createHttpApp } from '../../engine/http/app.js';
import { openapiPath } from '../../engine/http/routes/openapi.js';
import { routeDocs } from '../../engine/http/route-docs.js';
import { fixtureApp } from '../helpers/paths.js';

/** GET /api/openapi.json (issue 20, 12): a valid OpenAPI 3.1 document holding every route the server answers. */
describe('the OpenAPI description', () => {
  let s: TestServer;
  let admin: Client;
  let doc: any;

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login('tnl_admin');
    const res = await admin.get('/api/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(async () => { await s.stop(); });

  it('validates against the OpenAPI 3.1 schema', async () => {
    const v = new Validator();
    const res = await v.validate(doc);
    expect(res.errors ?? [], JSON.stringify(res.errors)?.slice(0, 2000)).toEqual([]);
    expect(res.valid).toBe(true);
    expect(v.version).toBe('3.1');
  });

  it('describes every route Hono lists for the app, each from route-docs.ts, and none that is gone', () => {
    const listed = [...new Set(createHttpApp(s.engine).routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
    const undocumented = listed.filter((k) => !Object.hasOwn(routeDocs, k));
    const gone = Object.keys(routeDocs).filter((k) => !listed.includes(k));
    expect({ undocumented, gone }, `routes without a line in engine/http/route-docs.ts: ${undocumented.join(', ') || 'none'}; lines for routes that are gone: ${gone.join(', ') || 'none'}`)
      .toEqual({ undocumented: [], gone: [] });
    for (const k of listed) {
      const [method, path] = k.split(' ');
      const op = doc.paths[openapiPath(path)]?.[method.toLowerCase()];
      expect(op?.summary, k).toBe(routeDocs[k].summary);
    }
    expect(doc.paths['/api/openapi.json'].get).toBeTruthy();
  });

  it('carries the collections\' schemas from the config and each workflow event\'s body (type beside the payload)', () => {
    const app = s.engine.runtime.config;
    for (const [name, c] of app.collections) {
      expect(doc.components.schemas[`${name}.data`].properties).toEqual(JSON.parse(JSON.stringify(c.schema.properties)));
    }
    const events = doc.paths['/api/records/{collection}/{id}/events'].post.requestBody.content['application/json'].schema.oneOf.map((r: any) => r.$ref.split('/').at(-1));
    expect(events.length).toBeGreaterThan(0);
    const withPayload = events.map((e: string) => doc.components.schemas[e]).find((e: any) => e.allOf);
    expect(withPayload.allOf[0]).toMatchObject({ properties: { type: { const: expect.any(String) } }, required: ['type'] });
    const batch = doc.paths['/api/records/{collection}/events'].post.requestBody.content['application/json'].schema;
    expect(batch.allOf[1]).toMatchObject({ required: ['ids'] });
    const validate = doc.paths['/api/forms/{collection}/validate'].post.requestBody.content['application/json'].schema;
    expect(validate.required).toEqual(['data']);
    expect(doc.paths['/api/accounts'].post.responses['201'].content['application/json'].schema.required).toEqual(['account', 'password']);
  });

  it('needs a login', async () => {
    const res = await s.anonymous().get('/api/openapi.json');
    expect(res.status).toBe(401);
  });

  it('follows the application: the fixture app\'s collections, no others', async () => {
    const leave = await startTestServer(fixtureApp);
    try {
      const user = leave.demoLogins[0].username;
      const c = await leave.login(user);
      const d = (await c.get('/api/openapi.json')).body;
      const names = Object.keys(d.components.schemas).filter((k) => k.endsWith('.data')).sort();
      expect(names).toEqual([...leave.engine.runtime.config.collections.keys()].map((n) => `${n}.data`).sort());
      expect((await new Validator().validate(d)).valid).toBe(true);
    } finally {
      await leave.stop();
    }
  });
});
