/**
 * What an edit asks of PostgreSQL: a member's edit that writes only the member is the auth epoch,
 * the record and one `record_write` — three round trips, no BEGIN/COMMIT, no look at the grants of
 * an account bound to it — while an edit of a field an organization derives from (the secretary's
 * 姓名) runs in a transaction and updates the organization in the same request. A real server over
 * a throwaway cluster.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoServerOn, useTestCluster } from '../helpers/pg-test-cluster.js';
import { pgStatements } from '../helpers/pg-statements.js';
import type { RunningServer } from '../../engine/server.js';
import type { Client } from '../helpers/client.js';
import { nodeId } from '../helpers/demo.js';

const cluster = useTestCluster();
let server: RunningServer;
let login: (username: string) => Promise<Client>;
beforeAll(async () => {
  ({ server, login } = await demoServerOn(cluster()));
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('an edit on PostgreSQL', () => {
  it('of the member alone is three round trips; of a field its organization derives from, one transaction that updates both', async () => {
    const ft = await login('ft_admin');
    const branch = await nodeId(ft, '彩虹北社区第二支部');
    const secretary = (await ft.get(`/api/records/member?node=${branch}&q=${encodeURIComponent('赵国明')}`)).body.items[0];
    await ft.get(`/api/records/member/${secretary.id}`); // the session's principal and statements warm

    const [plain, edited] = await pgStatements(() => ft.put(`/api/records/member/${secretary.id}`, { ...secretary.data, address: '北京市丰台区新址1号' }, secretary.version));
    expect(edited.status).toBe(200);
    expect(plain.map((s) => /^\[(\w+)\]/.exec(s)?.[1] ?? s)).toEqual(['auth_epoch_read', 'record_get', 'record_write']);

    const [derived, renamed] = await pgStatements(() => ft.put(`/api/records/member/${secretary.id}`, { ...edited.body.data, name: '赵国民' }, edited.body.version));
    expect(renamed.status).toBe(200);
    // Read once outside to learn that, then the edit again inside a transaction.
    expect(derived).toContain('BEGIN');
    expect(derived.at(-1)).toBe('COMMIT');
    expect((await ft.get(`/api/records/organization/${branch}`)).body.data.secretary).toBe('赵国民');
  });
});
