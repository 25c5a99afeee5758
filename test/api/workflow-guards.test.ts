import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import type { Client } from '../helpers/client.js';
import { memberData, nodeId } from '../helpers/demo.js';
import { copyApp } from '../helpers/app-copy.js';

/**
 * "Only a higher level may approve", said in config: a copy of the demo app whose members go
 * through an added 上级审核 state. `above` asks for a grant strictly above the record's node
 * (optionally at least N levels, on a node of a kind); `notSender` is four-eyes.
 */
describe('guards above and notSender (上级审核)', () => {
  let s: TestServer;
  let branch: Client; // meiyu_admin: the branch itself
  let district: Client; // ft_admin: 丰台区委, two levels above the branch
  let city: Client; // bj_admin: 北京市委, three levels above
  let community: Client; // tnl_admin: 太南里社区党委, one level above its grid branches
  let meiyu: string;
  let grid1: string;

  beforeAll(async () => {
    const dir = copyApp();
    const file = join(dir, 'workflows/member-confirmation.json');
    const wf = JSON.parse(readFileSync(file, 'utf8'));
    Object.assign(wf.meta.events, {
      SEND_REVIEW: { title: '报上级审核' },
      REVIEW_PASS: { title: '审核通过' },
      REVIEW_PASS_STRICT: { title: '双人审核通过' },
      REVIEW_PASS_FAR: { title: '区级审核通过' },
    });
    wf.states.draft.on.SEND_REVIEW = { target: 'review', guard: { type: 'permission', params: { permission: 'write' } } };
    wf.states.review = {
      meta: { title: '上级审核' },
      on: {
        REVIEW_PASS: { target: 'pending', guard: { type: 'above', params: { permission: 'write' } } },
        REVIEW_PASS_STRICT: { target: 'pending', guard: { type: 'all', params: { guards: [
          { type: 'above', params: { permission: 'write' } },
          { type: 'notSender', params: { event: 'SEND_REVIEW' } },
        ] } } },
        REVIEW_PASS_FAR: { target: 'pending', guard: { type: 'above', params: { permission: 'write', levels: 2, node: { field: 'category', in: ['9003'] } } } },
      },
    };
    writeFileSync(file, JSON.stringify(wf, null, 2));
    s = await startTestServer(dir);
    branch = await s.login('meiyu_admin');
    district = await s.login('ft_admin');
    city = await s.login('bj_admin');
    community = await s.login('tnl_admin');
    meiyu = await nodeId(branch, '美域家园社区第二支部');
    grid1 = await nodeId(community, '丰台区太平桥街道太南里社区第一网格党支部');
  });
  afterAll(async () => { await s.stop(); });

  /** A new complete member on a node, sent to 上级审核 by `sender`. */
  const inReview = async (creator: Client, node: string, sender: Client) => {
    const created = await creator.post('/api/records/member', memberData(node));
    expect(created.status).toBe(201);
    const sent = await sender.post(`/api/records/member/${created.body.id}/events`, { type: 'SEND_REVIEW' });
    expect(sent.body.stateTitle ?? sent.body.state).toBeTruthy();
    expect(sent.body.state).toBe('review');
    return created.body.id as string;
  };
  const send = (c: Client, id: string, type: string) => c.post(`/api/records/member/${id}/events`, { type });

  it('the branch admin who submitted cannot pass 上级审核; the district admin can', async () => {
    const id = await inReview(branch, meiyu, branch);
    const own = await send(branch, id, 'REVIEW_PASS');
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe('不能执行「审核通过」：只能由上级党组织的有权人员执行此操作');
    // Not offered to the branch either; offered to the district.
    expect((await branch.get(`/api/records/member/${id}/events`)).body.events.map((e: any) => e.type)).not.toContain('REVIEW_PASS');
    expect((await district.get(`/api/records/member/${id}/events`)).body.events.map((e: any) => e.type)).toContain('REVIEW_PASS');
    const passed = await send(district, id, 'REVIEW_PASS');
    expect(passed.status).toBe(200);
    expect(passed.body.state).toBe('pending');
  });

  it('four-eyes: the district admin who sent it cannot pass it, another higher admin can', async () => {
    const id = await inReview(branch, meiyu, district);
    const own = await send(district, id, 'REVIEW_PASS_STRICT');
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe('不能执行「双人审核通过」：「报上级审核」是您本人办理的，此操作须由另一人执行');
    const other = await send(city, id, 'REVIEW_PASS_STRICT');
    expect(other.status).toBe(200);
    expect(other.body.state).toBe('pending');
  });

  it('at least N levels above, on a node of a given kind', async () => {
    const near = await inReview(community, grid1, community);
    const tooNear = await send(community, near, 'REVIEW_PASS_FAR');
    expect(tooNear.status).toBe(403);
    expect(tooNear.body.error.message).toBe('不能执行「区级审核通过」：只能由上级党组织（至少高2级，「组织类别」为「县（市、区、旗）委员会」）的有权人员执行此操作');
    const id = await inReview(branch, meiyu, branch);
    expect((await send(city, id, 'REVIEW_PASS_FAR')).status).toBe(403); // far enough, but 北京市委 is not of that kind
    expect((await send(district, id, 'REVIEW_PASS_FAR')).body.state).toBe('pending');
  });
});
