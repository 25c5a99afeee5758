import { loadExcel } from '../lazy-modules.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { SubtreeStats } from './stats.js';
import { xlsxBuffer } from '../spreadsheet-formulas.js';

/** A node with its subtree's figures, as the tree answer gives them. */
export interface NodeFigures { label: unknown; stats: SubtreeStats[] }

/**
 * 进度统计 as a workbook to send on: for each completeness-tracked collection a sheet whose first
 * row is the node's total and the others its children, least complete first (as the page shows
 * them), with the count in each workflow state and the completeness as a percentage.
 */
export async function progressWorkbook(rt: AppRuntime, node: NodeFigures, children: NodeFigures[]): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'caiji';
  const treeTitle = rt.tree.title;
  for (const c of [...rt.config.collections.values()].filter((x) => x.completeness)) {
    const states = [...(rt.workflowOf(c)?.stateTitles ?? [])];
    const of = (n: NodeFigures) => n.stats.find((s) => s.collection === c.name);
    const sheet = wb.addWorksheet(`${c.title}进度`, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = [
      { header: treeTitle, width: 40 },
      { header: `${c.title}人数`, width: 10 },
      ...states.map(([, title]) => ({ header: title, width: 10 })),
      { header: '完整度', width: 10, style: { numFmt: '0%' } },
    ];
    const row = (n: NodeFigures, label: string) => {
      const s = of(n);
      return [label, s?.total ?? 0, ...states.map(([id]) => s?.byState[id] ?? 0), s?.completeness ?? null];
    };
    sheet.addRow(row(node, `${String(node.label ?? '')}（合计）`)).font = { bold: true };
    const sorted = [...children].sort((a, b) => (of(a)?.completeness ?? 2) - (of(b)?.completeness ?? 2));
    for (const n of sorted) sheet.addRow(row(n, String(n.label ?? '')));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
  }
  return xlsxBuffer(wb);
}
