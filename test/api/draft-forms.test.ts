/**
 * The studio's preview routes (issue 19): /api/config/draft/forms/:collection and its validator
 * module serve the open draft's form and compiled validation — not the published ones — to config
 * admins only; a draft whose schemas do not load is told with the problems named.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { DraftApi } from '../helpers/draft-api.js';

const SCHEMA = 'forms/member.schema.json';

describe('draft forms: the draft\'s schema and validator for the studio preview', () => {
  let s: TestServer;
  let cfg: Client;
  let admin: Client;
  let draft: DraftApi;
  beforeAll(async () => {
    s = await startTestServer();
    cfg = await s.login('config_admin');
    draft = new DraftApi(cfg);
    admin = await s.login('bj_admin');
  }, 60_000);
  afterAll(() => s?.stop());

  const save = (path: string, content: string) => draft.save(path, content);

  it('without a draft: 404; someone without the config permission: 403', async () => {
    expect((await cfg.get('/api/config/draft/forms/member')).status).toBe(404);
    expect((await cfg.get('/api/config/draft/forms/member/validator.js')).status).toBe(404);
    const refused = await admin.get('/api/config/draft/forms/member');
    expect(refused.status).toBe(403);
    expect((await admin.get('/api/config/draft/forms/member/validator.js')).status).toBe(403);
  });

  it('serves the draft\'s schema (codes expanded) and a validator module that enforces the draft\'s rules', async () => {
    const opened = await draft.open();
    expect(opened.status).toBe(201);
    const schema = JSON.parse((await cfg.get(`/api/config/draft/files/${SCHEMA}`)).body.content);
    schema.properties.weixin = { type: 'string', title: '工作微信', pattern: '^[a-z]{3}$', 'x-messages': { pattern: '应为三个小写字母' }, 'x-group': '联系方式', 'x-order': 30 };
    schema.allOf.push({ if: { properties: { floating: { const: true } }, required: ['floating'] }, then: { required: ['weixin'] } });
    await save(SCHEMA, `${JSON.stringify(schema, null, 2)}\n`);

    const form = await cfg.get('/api/config/draft/forms/member');
    expect(form.status).toBe(200);
    expect(form.body.draftVersion).toBe(draft.version);
    expect(form.body.schema.properties.weixin.title).toBe('工作微信');
    expect(Array.isArray(form.body.schema.properties.gender['x-codes'])).toBe(true);
    // The config in force is untouched.
    expect((await cfg.get('/api/forms/member')).body.schema.properties.weixin).toBeUndefined();

    const mod = await cfg.get('/api/config/draft/forms/member/validator.js');
    expect(mod.status).toBe(200);
    expect(mod.headers.get('content-type')).toMatch(/javascript/);
    const v = (await import(`data:text/javascript,${encodeURIComponent(mod.body)}`)).default;
    const base = { orgId: 'x', name: '预览' };
    expect(v.validate({ ...base, weixin: 'ABC' })).toEqual([{ path: '/weixin', message: '「工作微信」应为三个小写字母' }]);
    expect(v.validate({ ...base, floating: true, floatDestination: '外地' }).map((e: { path: string }) => e.path)).toContain('/weixin');
    expect(v.validate({ ...base, floating: true, floatDestination: '外地', weixin: 'abc' })).toEqual([]);
    // The published module knows nothing of it: the field is not one of its form's.
    const published = await cfg.get('/api/forms/member/validator.js');
    const pv = (await import(`data:text/javascript,${encodeURIComponent(published.body)}`)).default;
    expect(pv.validate({ ...base, weixin: 'abc' })[0].message).toMatch(/不是本表单的字段/);
  });

  it('follows the draft: the next save is served at once', async () => {
    const schema = JSON.parse((await cfg.get(`/api/config/draft/files/${SCHEMA}`)).body.content);
    schema.properties.weixin.title = '工作微信号';
    await save(SCHEMA, `${JSON.stringify(schema, null, 2)}\n`);
    expect((await cfg.get('/api/config/draft/forms/member')).body.schema.properties.weixin.title).toBe('工作微信号');
  });

  it('an unknown collection is 404; a draft whose schema does not load is 422 naming the document', async () => {
    expect((await cfg.get('/api/config/draft/forms/nothing-here')).status).toBe(404);
    await save(SCHEMA, '{ "type": "object", "properties": ');
    const broken = await cfg.get('/api/config/draft/forms/member');
    expect(broken.status).toBe(422);
    expect(broken.body.error.message).toMatch(/草稿/);
    expect(broken.body.error.details.some((d: { path: string }) => d.path.startsWith(SCHEMA))).toBe(true);
  });
});
