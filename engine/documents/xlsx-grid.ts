import { loadExcel } from '../lazy-modules.js';

/** One cell of a workbook as a table shows it: its text and the columns and rows it covers. */
export interface GridCell {
  text: string;
  col: number;
  span: number;
  rowSpan: number;
  bold?: boolean;
  fill?: string;
  align?: string;
  bordered?: boolean;
}

export interface GridSheet {
  name: string;
  /** Column widths in characters. */
  columns: number[];
  rows: { height?: number; cells: GridCell[] }[];
}

/**
 * A produced workbook read back as tables (one per sheet): what an HTML preview of the xlsx shows.
 * Reading the real file rather than walking the layout again means the preview cannot disagree
 * with the download.
 */
export async function workbookGrid(xlsx: Buffer): Promise<GridSheet[]> {
  const wb = new (await loadExcel()).Workbook();
  await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
  return wb.worksheets.map((ws) => {
    const spans = new Map<string, { span: number; rowSpan: number }>();
    for (const range of (ws.model as { merges?: string[] }).merges ?? []) {
      const [a, b] = range.split(':').map((ref) => ws.getCell(ref));
      spans.set(a.address, { span: Number(b.col) - Number(a.col) + 1, rowSpan: Number(b.row) - Number(a.row) + 1 });
    }
    const width = ws.columnCount;
    const columns = Array.from({ length: width }, (_, i) => ws.getColumn(i + 1).width ?? 9);
    const rows: GridSheet['rows'] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: GridCell[] = [];
      for (let c = 1; c <= width; c++) {
        const cell = row.getCell(c);
        if (cell.isMerged && cell.master.address !== cell.address) continue;
        const fill = cell.fill?.type === 'pattern' ? (cell.fill.fgColor?.argb ?? '').slice(2) : '';
        cells.push({
          text: cell.value === null || cell.value === undefined ? '' : cell.text, col: c, ...(spans.get(cell.address) ?? { span: 1, rowSpan: 1 }),
          ...(cell.font?.bold ? { bold: true } : {}), ...(fill ? { fill } : {}),
          ...(cell.alignment?.horizontal ? { align: cell.alignment.horizontal } : {}),
          ...(cell.border && Object.values(cell.border).some((s) => s?.style) ? { bordered: true } : {}),
        });
      }
      rows.push({ ...(row.height ? { height: row.height } : {}), cells });
    }
    return { name: ws.name, columns, rows };
  });
}
