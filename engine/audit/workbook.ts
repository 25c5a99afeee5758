import { loadExcel } from '../lazy-modules.js';
import { xlsxBuffer } from '../spreadsheet-formulas.js';
import type { AuditItem } from './describe.js';
import { AUDIT_KINDS } from './kinds.js';

/** An instant as people read it, in the server's time zone: 2024-01-31 08:05:09. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** What an entry says beyond who, when and which record: its note, payload and field changes, one per line. */
export function contentLines(i: AuditItem): string[] {
  return [
    ...(i.note && !i.payload.some((l) => l.value === i.note) ? [`说明：${i.note}`] : []),
    ...i.payload.filter((l) => l.value).map((l) => `${l.title}：${l.value}`),
    ...i.changes.map((c) => `${c.title}：${c.from || '空'} → ${c.to || '空'}`),
  ];
}

/**
 * The entries as a workbook, one row each, newest first, as the page shows them. Every text cell
 * goes out through xlsxBuffer: a name or value starting with = + - @ stays text when edited.
 */
export async function auditWorkbook(items: AuditItem[], scopeLabel: string): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'caiji';
  const sheet = wb.addWorksheet('系统审核', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '时间', width: 20 }, { header: '操作人', width: 16 }, { header: '用户名', width: 20 },
    { header: '数据类别', width: 10 }, { header: '记录', width: 30 }, { header: '变更类型', width: 10 },
    { header: '操作', width: 14 }, { header: '状态', width: 20 }, { header: '内容', width: 60 }, { header: '范围', width: 20 },
  ];
  for (const i of items) {
    const state = i.toState && i.fromState !== i.toState ? `${i.fromStateTitle ?? '—'} → ${i.toStateTitle}` : '';
    const row = sheet.addRow([
      localTime(i.at), i.actorName ?? i.actor ?? '系统', i.actor ?? '', i.collectionTitle,
      `${i.recordTitle ?? i.recordId}${i.recordLive ? '' : '（已删除）'}`,
      AUDIT_KINDS.find((k) => k.id === i.kind)?.title ?? i.kind, i.actionTitle, state, contentLines(i).join('\n'), scopeLabel,
    ]);
    row.alignment = { vertical: 'top', wrapText: true };
  }
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
  return xlsxBuffer(wb);
}
