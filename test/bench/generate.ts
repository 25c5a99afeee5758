/**
 * Synthetic but realistic data for benchmarks: a province's organization tree (province →
 * districts → streets → communities → branches) and members with valid GB 11643 identifiers,
 * consistent birth dates, sexes and membership dates. Deterministic: the same seq gives the same row.
 */
import { gb11643CheckChar } from '../../engine/validation/formats/gb11643.js';
import { gb11714CheckChar } from '../../engine/validation/formats/gb11714.js';
import { gb32100CheckChar } from '../../engine/validation/formats/gb32100.js';

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强文辉红梅海燕晓东小红丹凤玉兰春梅德明立新永军国庆';
const DAY = 86400000;
const BIRTH_FROM = Date.UTC(1940, 0, 1);
const BIRTH_DAYS = 18262; // 1940–1989

export interface TreeShape { districts: number; streets: number; communities: number; branches: number }

/** A tree with about `members / 30` branches (each level's fan-out fixed but the streets). */
export function treeShape(members: number): TreeShape {
  const branches = Math.max(1, Math.ceil(members / 30));
  return { districts: 16, streets: Math.max(1, Math.ceil(branches / (16 * 64))), communities: 8, branches: 8 };
}

let orgSeq = 0;
/** An organization node's document under a parent (orgCode unique per call). */
export function orgDoc(parentId: string | undefined, level: 'province' | 'district' | 'street' | 'community' | 'branch', name: string) {
  const category = { province: '9001', district: '9003', street: '261', community: '611', branch: '631' }[level];
  const code = `01${pad(++orgSeq, 10)}`;
  return {
    ...(parentId ? { parentId } : {}), fullName: name, shortName: name.replace(/^中共/, '').slice(0, 50), orgCode: code, category,
  };
}

/** Member number `seq` (0-based) on a node: valid identifiers, dates and codes; most are complete. */
export function memberDoc(orgId: string, seq: number): Record<string, unknown> {
  const birth = new Date(BIRTH_FROM + (seq % BIRTH_DAYS) * DAY);
  const y = birth.getUTCFullYear();
  const birthDate = `${y}-${pad(birth.getUTCMonth() + 1, 2)}-${pad(birth.getUTCDate(), 2)}`;
  const order = Math.floor(seq / BIRTH_DAYS) % 1000;
  const region = `1101${pad(1 + (Math.floor(seq / (BIRTH_DAYS * 1000)) % 17), 2)}`;
  const male = order % 2 === 1;
  const body = `${region}${birthDate.replaceAll('-', '')}${pad(order, 3)}`;
  const idNumber = body + gb11643CheckChar(body);
  const join = `${y + 22}-07-01`;
  const doc: Record<string, unknown> = {
    orgId, name: SURNAMES[seq % SURNAMES.length] + GIVEN[(seq * 7) % GIVEN.length] + (seq % 3 ? GIVEN[(seq * 13) % GIVEN.length] : ''),
    gender: male ? '1' : '2', nation: '01', birthDate, idNumber, education: '21', jobPosition: '0111',
    memberType: '1', joinDate: join, regularDate: `${y + 23}-07-01`, membershipStatus: '9001', lost: false, floating: false,
    mobile: `138${pad(seq % 100000000, 8)}`, address: `北京市第${1 + (seq % 300)}街${1 + (seq % 97)}号`,
  };
  if (seq % 10 === 0) delete doc.address; // one in ten still incomplete
  return doc;
}

/** A unit (employer) with a valid 统一社会信用代码 whose characters 9–17 are its 组织机构代码. */
export function unitDoc(orgId: string, seq: number): Record<string, unknown> {
  const body8 = pad(70000000 + seq, 8);
  const orgCode = body8 + gb11714CheckChar(body8);
  const body17 = `91110106${orgCode}`;
  return { orgId, fullName: `北京市测试科技有限公司第${seq + 1}分公司`, shortName: `测试${seq + 1}`, creditCode: body17 + gb32100CheckChar(body17), orgCode, category: '2' };
}
