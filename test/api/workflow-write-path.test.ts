/**
 * One write path for a record (issue 18): a workflow event that changes a record's fields
 * (setField) is written like an edit, so what hangs on the record follows in the same
 * transaction — here a person's mobile number that the tree node shows as its contact's phone.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { nodeId } from '../helpers/demo.js';
import { copyApp } from '../helpers/app-copy.js';

describe('a workflow event that sets fields', () => {
  let s: TestServer;
  beforeAll(async () => {
    const app = copyApp();
    // An event any state takes: the admin records a new mobile number through the workflow.
    const file = join(app, 'workflows/member-confirmation.json');
    const wf = JSON.parse(readFileSync(file, 'utf8'));
    wf.meta.events.NEW_MOBILE = {
      title: '登记新手机号',
      payload: { type: 'object', properties: { mobile: { type: 'string', title: '新手机号', pattern: '^1\\d{10}$' } }, required: ['mobile'], additionalProperties: false },
    };
    wf.on = {
      NEW_MOBILE: {
        guard: { type: 'permission', params: { permission: 'write' } },
        actions: [{ type: 'setField', params: { values: { mobile: '$payload.mobile' } } }],
      },
    };
    writeFileSync(file, JSON.stringify(wf, null, 2));
    s = await startTestServer(app);
  }, 60_000);
  afterAll(() => s?.stop());

  it('refreshes the fields other records derive from it (the node\'s contact phone) in the same transaction', async () => {
    const ft = await s.login('ft_admin');
    const branch = await nodeId(ft, '彩虹北社区第二支部');
    expect((await ft.get(`/api/records/organization/${branch}`)).body.data).toMatchObject({ contact: '张鹏', contactPhone: '13911112222' });
    const zhang = (await ft.get(`/api/records/member?node=${branch}&q=${encodeURIComponent('张鹏')}`)).body.items[0];
    const res = await ft.post(`/api/records/member/${zhang.id}/events`, { type: 'NEW_MOBILE', mobile: '13900001111' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.data.mobile).toBe('13900001111');
    expect((await ft.get(`/api/records/organization/${branch}`)).body.data.contactPhone).toBe('13900001111');
  });
});
