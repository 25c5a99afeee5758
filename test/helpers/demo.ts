import type { Client } from './client.js';

/** The id of a demo tree node, found by its label through the API as the client sees it. */
export async function nodeId(client: Client, label: string): Promise<string> {
  const res = await client.get(`/api/records/organization?q=${encodeURIComponent(label)}&limit=50`);
  const hit = res.body.items?.find((r: any) => r.data.shortName === label || r.data.fullName === label);
  if (!hit) throw new Error(`demo node ${label} not visible: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
  return hit.id;
}

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** A valid GB 11643 number for a birth date and sex (region 110105), distinct per seq. */
export function makeId(birthDate: string, male: boolean, seq: number): string {
  let s = seq % 500;
  const order = String(s * 2 + (male ? 1 : 0)).padStart(3, '0').slice(-3);
  const body = `110105${birthDate.replaceAll('-', '')}${order}`;
  const sum = [...body].reduce((a, ch, i) => a + Number(ch) * W[i], 0);
  return body + '10X98765432'[sum % 11];
}

let counter = 1;
/** A complete, valid member document on a node; overrides replace fields (undefined deletes). */
export function memberData(orgId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = counter++;
  const birthDate = `19${60 + (n % 30)}-0${1 + (n % 9)}-1${n % 9}`;
  const base: Record<string, unknown> = {
    orgId, name: `测试${n}`, gender: '1', nation: '01', birthDate, idNumber: makeId(birthDate, true, n),
    memberType: '1', joinDate: '2010-07-01', regularDate: '2011-07-01', jobPosition: '0111', education: '21',
    mobile: '13800138000', membershipStatus: '9001', address: '北京市东城区测试路1号', lost: false, floating: false,
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  if (('birthDate' in overrides || 'gender' in overrides) && !('idNumber' in overrides)) base.idNumber = makeId(String(base.birthDate), base.gender === '1', n);
  return base;
}
