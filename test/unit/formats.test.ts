import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkGb11643, gb11643Parts } from '../../engine/validation/formats/gb11643.js';
import { checkGb32100, gb32100OrgCode } from '../../engine/validation/formats/gb32100.js';
import { checkGb11714 } from '../../engine/validation/formats/gb11714.js';
import { checkMobile, checkPhone } from '../../engine/validation/formats/phone.js';
import { checkDate, isFutureDate, yearsBetween } from '../../engine/validation/formats/date.js';
import { formatChecks } from '../../engine/validation/formats/index.js';

// The identifier examples the repository carries, with their provenance in the folder's README.
const VECTORS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/vectors');
if (!existsSync(VECTORS)) throw new Error(`test vectors not found at ${VECTORS}`);

interface Entry { value: string; [k: string]: unknown }
interface Vectors { valid: Entry[]; invalid: Entry[]; edge_cases: Entry[] }
const load = (name: string): Vectors => JSON.parse(readFileSync(path.join(VECTORS, name), 'utf8')) as Vectors;
const ric = load('ric.json');
const uscc = load('uscc.json');
const orgcode = load('orgcode.json');

/** Every edge case of a file must have a decision here, and every decision an edge case. */
function expectDecisionsCoverEdges(file: Vectors, decisions: Record<string, string | null>): void {
  expect(Object.keys(decisions).sort()).toEqual(file.edge_cases.map((e) => e.value).sort());
}

describe('gb11643 vectors (ric.json)', () => {
  it.each(ric.valid.map((e) => [e.value, e] as const))('valid %s', (v, e) => {
    expect(checkGb11643(v)).toBeNull();
    expect(gb11643Parts(v)).toEqual({ birthDate: e.birth_date, male: e.sex === '男' });
  });

  it.each(ric.invalid.map((e) => [e.value, e.why] as const))('invalid %s (%s)', (v) => {
    expect(checkGb11643(v)).not.toBeNull();
    expect(gb11643Parts(v)).toBeNull();
  });

  // Decision table: value → expected result (null = accepted). One line of why each.
  const decisions: Record<string, string | null> = {
    '440524188001010014': null, // the standard's own example; 1880 is the earliest year we accept
    '210102196001010011': null, // county codes are not checked against the birth year (assigned at registration)
    '110111198012010078': null, // county not yet in use in the birth year: only a historical table could tell
    '110201199312010077': null, // county deregistered before the birth year: same, province 11 is enough
    '210228195208260020': null, // unknown county 210228 under province 21: only the province is checked
    '123321198805059996': null, // unknown county 123321 under province 12: only the province is checked
    '44011320141005001x': '末位X须大写', // stored form is upper-case; own reason so the UI can upper-case and retry
    '810000199001010019': null, // 81 (Hong Kong) is a GB/T 2260 province code; residence permits use it
    '830000199001010020': null, // 83: Taiwan residents' residence permit prefix (2018); a legitimately issued number
  };
  it('has a decision for every edge case', () => expectDecisionsCoverEdges(ric, decisions));
  it.each(Object.entries(decisions))('edge %s → %s', (v, expected) => {
    expect(checkGb11643(v)).toBe(expected);
  });

  it('gives specific reasons', () => {
    expect(checkGb11643('36042619910101007')).toBe('应为18位');
    expect(checkGb11643('36042619910102009X')).toBe('校验码错误');
    expect(checkGb11643('360426199113010079')).toBe('出生日期无效');
    expect(checkGb11643('200101199001010033')).toBe('地区码无效');
    expect(checkGb11643('36042619910101007 ')).toBe('不得含空格');
    expect(checkGb11643('T60426199101010078')).toBe('前17位须为数字');
    expect(checkGb11643('36042619910101007Y')).toBe('末位须为数字或X');
    // lower-case x on a number that would fail anyway reports the real fault, not the case
    expect(checkGb11643('36042619910102009x')).toBe('校验码错误');
  });

  it('refuses births before 1880 and in the future', () => {
    expect(checkGb11643('110105187912310016')).toBe('出生日期无效'); // 1879-12-31, checksum right
    expect(checkGb11643('110105209901010012')).toBe('出生日期不能晚于今天'); // 2099-01-01, checksum right
  });

  it('reads sex from digit 17', () => {
    expect(gb11643Parts('11010519491231002X')?.male).toBe(false);
    expect(gb11643Parts('110102199101010078')?.male).toBe(true);
  });
});

describe('gb32100 vectors (uscc.json)', () => {
  it.each(uscc.valid.map((e) => [e.value, e] as const))('valid %s', (v, e) => {
    expect(checkGb32100(v)).toBeNull();
    expect(gb32100OrgCode(v)).toBe(e.org_code);
    expect(checkGb11714(gb32100OrgCode(v))).toBeNull();
  });

  it.each(uscc.invalid.map((e) => [e.value, e.why] as const))('invalid %s (%s)', (v) => {
    expect(checkGb32100(v)).not.toBeNull();
  });

  const decisions: Record<string, string | null> = {
    '91 110000 600037341L': '不得含空格或连字符', // stored without separators; the UI may strip them before checking
    '04110000600037341L': '登记管理部门代码无效', // 0 is no registration authority of GB 32100 (1–9, A, N, Y)
    '91000000600037341R': '行政区划码无效', // region 000000: neither a province nor central level (10xxxx)
    '91110000600037342P': '第9至17位组织机构代码无效', // embedded GB 11714 code fails its own check
  };
  it('has a decision for every edge case', () => expectDecisionsCoverEdges(uscc, decisions));
  it.each(Object.entries(decisions))('edge %s → %s', (v, expected) => {
    expect(checkGb32100(v)).toBe(expected);
  });

  it('gives specific reasons', () => {
    expect(checkGb32100('')).toBe('应为18位');
    expect(checkGb32100('91310115ma1k3btp2b')).toBe('字母须大写');
    expect(checkGb32100('9111000060003IOZSV')).toMatch(/^含无效字符/);
    expect(checkGb32100('91310115MA1K3BTP2G')).toBe('校验码错误');
  });
});

describe('gb11714 vectors (orgcode.json)', () => {
  it.each(orgcode.valid.map((e) => [e.value] as const))('valid %s', (v) => {
    expect(checkGb11714(v)).toBeNull();
  });

  it.each(orgcode.invalid.map((e) => [e.value, e.why] as const))('invalid %s (%s)', (v) => {
    expect(checkGb11714(v)).not.toBeNull();
  });

  const decisions: Record<string, string | null> = {
    // GB 11714 bodies may use any upper-case letter; I is only impossible inside a GB 32100 code,
    // which checkGb32100 refuses through its own alphabet.
    I00000001: null,
  };
  it('has a decision for every edge case', () => expectDecisionsCoverEdges(orgcode, decisions));
  it.each(Object.entries(decisions))('edge %s → %s', (v, expected) => {
    expect(checkGb11714(v)).toBe(expected);
  });

  it('refuses the printed hyphen form and lower case', () => {
    expect(checkGb11714('59467239-9')).toBe('不得含空格或连字符'); // stored without the hyphen
    expect(checkGb11714('71526726x')).toBe('字母须大写');
    expect(checkGb11714('090043238')).toBe('校验码错误');
  });
});

describe('mobile and phone', () => {
  it.each(['13800138000', '19912345678', '15012345678'])('mobile %s valid', (v) => {
    expect(checkMobile(v)).toBeNull();
  });
  it.each(['12800138000', '1380013800', '138001380001', '+8613800138000', '138 0013 8000', '010-12345678'])(
    'mobile %s invalid', (v) => expect(checkMobile(v)).not.toBeNull());

  it.each(['010-12345678', '0755-1234567', '02112345678', '0755-12345678-801', '010-12345678-1234'])(
    'phone %s valid', (v) => expect(checkPhone(v)).toBeNull());
  it.each(['12345678', '010-123456', '010-123456789', '0010-12345678', '010-1234567a', '13800138000', '010 12345678', '010-12345678-'])(
    'phone %s invalid', (v) => expect(checkPhone(v)).not.toBeNull());
});

describe('date', () => {
  it.each(['2024-02-29', '2000-02-29', '1999-12-31', '1880-01-01'])('%s valid', (v) => {
    expect(checkDate(v)).toBeNull();
  });
  it.each(['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '0000-01-01', '2024-1-5', '2024/01/05', ''])(
    '%s invalid', (v) => expect(checkDate(v)).not.toBeNull());

  it('isFutureDate compares with the UTC+8 calendar date', () => {
    // 2024-03-01 17:00 UTC is already 2024-03-02 01:00 in Shanghai
    const t = new Date('2024-03-01T17:00:00Z');
    expect(isFutureDate('2024-03-02', t)).toBe(false);
    expect(isFutureDate('2024-03-03', t)).toBe(true);
    // 2024-03-01 15:59 UTC is still 2024-03-01 23:59 in Shanghai
    const u = new Date('2024-03-01T15:59:00Z');
    expect(isFutureDate('2024-03-01', u)).toBe(false);
    expect(isFutureDate('2024-03-02', u)).toBe(true);
    expect(isFutureDate('2024-02-30', u)).toBe(false); // invalid dates are checkDate's business
  });

  it('yearsBetween counts full years, Feb 29 birthdays reached on Mar 1 in common years', () => {
    expect(yearsBetween('2000-05-10', '2018-05-09')).toBe(17);
    expect(yearsBetween('2000-05-10', '2018-05-10')).toBe(18);
    expect(yearsBetween('2000-02-29', '2018-02-28')).toBe(17);
    expect(yearsBetween('2000-02-29', '2018-03-01')).toBe(18);
    expect(yearsBetween('2000-02-29', '2020-02-29')).toBe(20);
    expect(yearsBetween('2000-01-01', new Date('2017-12-31T16:00:00Z'))).toBe(18); // 2018-01-01 in UTC+8
    expect(yearsBetween('2000-02-30', '2018-01-01')).toBeNull();
  });
});

describe('formatChecks registry', () => {
  it('maps every format name to its check', () => {
    expect(Object.keys(formatChecks).sort()).toEqual(['date', 'gb11643', 'gb11714', 'gb32100', 'mobile', 'phone']);
    expect(formatChecks.gb11643('11010519491231002X')).toBeNull();
    expect(formatChecks.gb32100('91110106700109904W')).toBeNull();
    expect(formatChecks.gb11714('594672399')).toBeNull();
    expect(formatChecks.date('2024-02-29')).toBeNull();
    expect(formatChecks.mobile('13800138000')).toBeNull();
    expect(formatChecks.phone('010-12345678')).toBeNull();
  });
});

describe('today in UTC+8', () => {
  it('changes at 16:00 UTC, whatever day was asked for before', async () => {
    const { shanghaiDate } = await import('../../engine/validation/formats/date.js');
    expect(shanghaiDate(new Date('2026-12-06T15:59:59.999Z'))).toBe('2026-12-06');
    expect(shanghaiDate(new Date('2026-12-06T16:00:00.000Z'))).toBe('2026-12-07');
    expect(shanghaiDate(new Date('2026-12-06T15:59:59.999Z'))).toBe('2026-12-06');
    expect(shanghaiDate(new Date('2020-02-28T16:00:00.000Z'))).toBe('2020-02-29');
    expect(shanghaiDate(new Date('2026-12-07T15:59:59.999Z'))).toBe('2026-12-07');
  });
});
