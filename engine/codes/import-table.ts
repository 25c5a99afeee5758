import type { CodeEntry, CodeTable } from '../config/types.js';
import type { FieldError } from '../validation/messages.js';
import { checkCodeTable } from './check-table.js';
import { domainInvalid } from '../errors.js';

/** The columns a central notice's table comes with, by their header titles (synonyms accepted). */
const columns = {
  code: ['代码'],
  label: ['名称', '代码名称'],
  deprecated: ['停用日期'],
  replacedBy: ['替代代码'],
  parent: ['上级代码'],
} as const;
type Column = keyof typeof columns;

/** One change an import makes to the draft's table, code by code. */
export interface CodeImportDiff {
  added: CodeEntry[];
  relabelled: { code: string; from: string; to: string }[];
  deprecated: { code: string; label: string; deprecated: string; replacedBy: string[] }[];
  /** Codes the file no longer lists; `count` records hold them (> 0: refused, kept in the table). */
  removed: { code: string; label: string; count: number }[];
}

/** What the file would make of the table: the table, its diff, and the removals refused. */
export interface CodeImportPreview {
  table: CodeTable;
  diff: CodeImportDiff;
  refused: FieldError[];
}

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s));
/** 2024/3/1, 2024.03.01 and 20240301 as spreadsheets write dates, to 2024-03-01. */
function normalDate(s: string): string {
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(s.trim());
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : s.trim();
}

/** The header's column index per known column; 代码 and 名称 are required. */
function headerOf(header: string[]): Record<Column, number> {
  const at = (c: Column) => header.findIndex((h) => (columns[c] as readonly string[]).includes(h.trim()));
  const index = Object.fromEntries((Object.keys(columns) as Column[]).map((c) => [c, at(c)])) as Record<Column, number>;
  const missing = (['code', 'label'] as const).filter((c) => index[c] < 0).map((c) => columns[c][0]);
  if (missing.length) {
    throw domainInvalid(missing.map((m) => ({ path: '/header', message: `第1行（表头）缺少「${m}」列` })),
      `文件的表头应含「代码」「名称」两列（可选「停用日期」「替代代码」「上级代码」），缺少：${missing.join('、')}`);
  }
  return index;
}

/**
 * Reads a code table's rows (the header first) as the draft's table `current` would become:
 * the file is the table as the notice gives it — codes it adds, names it changes, codes it
 * deprecates (停用日期, 替代代码 separated by 、，; or spaces). A code of `current` the file omits is
 * removed, unless `inUse` says records hold it: that removal is refused (the code stays, to be
 * deprecated instead). Row errors name the file's row; the result passes the table check.
 */
export function previewCodeImport(current: CodeTable, rows: string[][], inUse: Map<string, number>): CodeImportPreview {
  if (rows.length < 2) throw domainInvalid([{ path: '/rows', message: '文件中没有代码行' }], '文件中没有代码行（第1行为表头）');
  const col = headerOf(rows[0]);
  const cell = (r: string[], c: Column) => (col[c] >= 0 ? (r[col[c]] ?? '').trim() : '');
  const before = new Map(current.codes.map((c) => [c.code, c]));
  const errors: FieldError[] = [];
  const seen = new Map<string, number>();
  const codes: CodeEntry[] = [];
  rows.slice(1).forEach((r, i) => {
    const line = i + 2;
    const at = (c: Column) => `/rows/${line}/${columns[c][0]}`;
    const code = cell(r, 'code');
    const label = cell(r, 'label');
    if (!code) { errors.push({ path: at('code'), message: `第${line}行「代码」未填写` }); return; }
    if (seen.has(code)) { errors.push({ path: at('code'), message: `第${line}行「代码」“${code}”与第${seen.get(code)}行重复` }); return; }
    seen.set(code, line);
    if (!label) errors.push({ path: at('label'), message: `第${line}行「名称」未填写` });
    const old = before.get(code);
    // The file says what it knows; what only the draft holds (notes, 待核实 marks) is kept.
    const entry: CodeEntry = { ...(old ?? {}), code, label: label || old?.label || '' };
    if (entry.labelPending && label && label !== old?.label) delete entry.labelPending;
    const parent = cell(r, 'parent');
    if (col.parent >= 0) { if (parent) entry.parent = parent; else delete entry.parent; }
    const date = normalDate(cell(r, 'deprecated'));
    if (date) {
      if (!isDate(date)) errors.push({ path: at('deprecated'), message: `第${line}行「停用日期」“${cell(r, 'deprecated')}”应为日期，如 2024-03-01` });
      entry.deprecated = date;
      const replacedBy = cell(r, 'replacedBy').split(/[、，,;；\s]+/).filter(Boolean);
      if (replacedBy.length) entry.replacedBy = replacedBy; else delete entry.replacedBy;
    } else if (col.deprecated >= 0) {
      if (cell(r, 'replacedBy')) errors.push({ path: at('replacedBy'), message: `第${line}行填写了「替代代码」但没有「停用日期」` });
      delete entry.deprecated;
      delete entry.replacedBy;
    }
    codes.push(entry);
  });
  if (errors.length) throw domainInvalid(errors, `文件有 ${errors.length} 处错误，未生成代码表`);

  const refused: FieldError[] = [];
  const removed: CodeImportDiff['removed'] = [];
  for (const old of current.codes) {
    if (seen.has(old.code)) continue;
    const count = inUse.get(old.code) ?? 0;
    removed.push({ code: old.code, label: old.label, count });
    if (count) {
      refused.push({ path: `/codes/${old.code}`, message: `代码“${old.code}”（${old.label}）仍有 ${count} 条记录使用，不能删除：已保留，请在文件中填写其停用日期和替代代码将其停用` });
      codes.push(old);
    }
  }
  const table: CodeTable = { ...current, codes };
  const problems = checkCodeTable(table, current.table);
  if (problems.length) {
    // Row numbers of the check are the table's; name the code instead, which the file also shows.
    throw domainInvalid(problems.map((p) => {
      const i = /^\/codes\/(\d+)/.exec(p.path);
      const code = i ? codes[Number(i[1])]?.code : undefined;
      return code ? { path: p.path, message: `代码“${code}”：${p.message.replace(/^第\d+行/, '')}` } : p;
    }), '文件导入后的代码表有误');
  }
  const diff: CodeImportDiff = { added: [], relabelled: [], deprecated: [], removed };
  for (const c of codes) {
    const old = before.get(c.code);
    if (!old) { diff.added.push(c); continue; }
    if (old.label !== c.label) diff.relabelled.push({ code: c.code, from: old.label, to: c.label });
    if (c.deprecated && (old.deprecated !== c.deprecated || JSON.stringify(old.replacedBy ?? []) !== JSON.stringify(c.replacedBy ?? []))) {
      diff.deprecated.push({ code: c.code, label: c.label, deprecated: c.deprecated, replacedBy: c.replacedBy ?? [] });
    }
  }
  return { table, diff, refused };
}
