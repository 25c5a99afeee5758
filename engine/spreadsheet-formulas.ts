import type ExcelJS from 'exceljs';
import JSZip from 'jszip';

/**
 * Spreadsheet formula injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a CR
 * is harmless as written, but once someone edits it in Excel (F2, Enter) and saves, it becomes a
 * live formula (`=HYPERLINK(…)`, DDE) in a file that then travels on. Every workbook the engine
 * produces goes out through `xlsxBuffer`, which gives such cells the quote prefix — Excel's own
 * "this is text" mark (the apostrophe a person types before `=`): shown without the apostrophe,
 * kept as text when edited, and read back by any reader (the import too) as exactly the value
 * written. Numbers stay numbers: only string cells are touched.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Whether a value would be taken for a formula when its cell is edited. */
export const looksLikeFormula = (v: unknown): v is string => typeof v === 'string' && FORMULA_START.test(v);

// exceljs has no quotePrefix: the cells are marked with a number format of their own, and the
// written styles.xml turns that format into text (@, id 49) with quotePrefix="1".
const MARK = '"quotePrefix"@';
const MARK_XML = /<numFmt numFmtId="(\d+)" formatCode="&quot;quotePrefix&quot;@"\s*\/>/;

/** Marks every string cell of the workbook that looks like a formula; how many. */
function markCells(wb: ExcelJS.Workbook): number {
  let marked = 0;
  for (const sheet of wb.worksheets) {
    sheet.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (cell) => {
      if (looksLikeFormula(cell.value)) { cell.numFmt = MARK; marked++; }
    }));
  }
  return marked;
}

/** styles.xml with the marked cells' style as text with the quote prefix, the mark format removed. */
export function quotePrefixStyles(xml: string): string {
  const found = MARK_XML.exec(xml);
  if (!found) return xml;
  const id = found[1];
  let out = xml.replace(found[0], '').replace(/<numFmts count="(\d+)">/, (_, n) => `<numFmts count="${Number(n) - 1}">`).replace(/<numFmts count="0">\s*<\/numFmts>/, '');
  out = out.replace(/<cellXfs\b[\s\S]*?<\/cellXfs>/, (xfs) => xfs.replaceAll(`<xf numFmtId="${id}" `, '<xf numFmtId="49" quotePrefix="1" '));
  return out;
}

/** The workbook as an xlsx file, every formula-looking text cell quote-prefixed. */
export async function xlsxBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  const marked = markCells(wb);
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  if (!marked) return buf;
  const zip = await JSZip.loadAsync(buf);
  const styles = zip.file('xl/styles.xml');
  if (!styles) return buf;
  zip.file('xl/styles.xml', quotePrefixStyles(await styles.async('string')));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
