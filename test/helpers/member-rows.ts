import { expect } from 'vitest';
import type { Client } from './client.js';

/** A member as the records list answers it. */
export type ListedMember = { id: string; version: number; complete: boolean; data: Record<string, any> };

/** Every member under a node, with its data (the demo has far fewer than one page of 500). */
export async function membersUnder(c: Client, node: string): Promise<ListedMember[]> {
  const res = await c.get(`/api/records/member?node=${node}&deep=1&limit=500`);
  expect(res.status).toBe(200);
  expect(res.body.nextCursor).toBeNull();
  return res.body.items;
}

/** The rows of a member's 家庭主要成员及社会关系 (none when the table is absent). */
export const familyRows = (m: ListedMember): Record<string, unknown>[] => (Array.isArray(m.data.family) ? m.data.family : []);
