import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { findChromium } from '../../engine/documents/chromium.js';
import type { Client } from '../helpers/client.js';

/**
 * Fails (never skips) when a tool the document tests need is missing: Chromium for PDFs,
 * poppler-utils (pdftotext, pdfinfo, pdftoppm, pdffonts) to read them back.
 */
export function requireTools(): void {
  findChromium(); // throws the 503 error naming what is missing
  for (const tool of ['pdftotext', 'pdfinfo', 'pdftoppm', 'pdffonts']) {
    try {
      execFileSync(tool, ['-v'], { stdio: 'pipe' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${tool} is not installed (apt-get install poppler-utils)`);
    }
  }
}

export interface BinaryResponse { status: number; headers: Headers; body: Buffer; json(): any }

/** A request through the logged-in client whose answer is kept as bytes (PDF, xlsx). */
export async function fetchBinary(client: Client, method: string, path: string, body?: unknown): Promise<BinaryResponse> {
  const headers: Record<string, string> = { cookie: client.cookie };
  if (method !== 'GET') headers['x-csrf-token'] = client.csrf;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(client.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body: buf, json: () => JSON.parse(buf.toString('utf8')) };
}

function withFile<T>(data: Buffer, ext: string, fn: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'caiji-doc-'));
  const file = join(dir, `doc.${ext}`);
  writeFileSync(file, data);
  try {
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The PDF's text as pdftotext reads it, lines kept in their visual order (-layout). */
export const pdfText = (pdf: Buffer): string =>
  withFile(pdf, 'pdf', (f) => execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', f, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));

/** The text with every kind of white space removed, for checks that must not depend on layout. */
export const squash = (s: string) => s.replace(/\s+/g, '');

/** Page count and page size as pdfinfo reports them. */
export function pdfInfo(pdf: Buffer): { pages: number; size: string } {
  const out = withFile(pdf, 'pdf', (f) => execFileSync('pdfinfo', [f], { encoding: 'utf8' }));
  return { pages: Number(/^Pages:\s+(\d+)/m.exec(out)?.[1]), size: /^Page size:\s+(.*)$/m.exec(out)?.[1] ?? '' };
}

export interface PdfFont { name: string; type: string; embedded: boolean; subset: boolean }

/** The fonts of a PDF as pdffonts lists them. */
export function pdfFonts(pdf: Buffer): PdfFont[] {
  const out = withFile(pdf, 'pdf', (f) => execFileSync('pdffonts', [f], { encoding: 'utf8' }));
  // Columns: name, type (may hold spaces), encoding, emb, sub, uni, object, ID — read from the right.
  return out.split('\n').slice(2).filter((l) => l.trim()).map((line) => {
    const cols = line.trim().split(/\s+/);
    const [emb, sub] = cols.slice(-5, -3);
    const name = cols[0];
    const type = line.slice(line.indexOf(name) + name.length).trim().split(/\s{2,}/)[0];
    return { name, type, embedded: emb === 'yes', subset: sub === 'yes' };
  });
}

/** Where pictures of produced documents are left for people to look at. */
export const SHOTS = process.env.CAIJI_SHOTS ?? join(tmpdir(), 'caiji-shots');

/** Renders the first pages of a PDF as PNGs in SHOTS (pdftoppm); returns nothing, never fails a test. */
export function snapshot(pdf: Buffer, name: string, lastPage = 2): void {
  try {
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(join(SHOTS, `${name}.pdf`), pdf);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-l', String(lastPage), join(SHOTS, `${name}.pdf`), join(SHOTS, name)]);
  } catch {
    // pictures are for people; the assertions are elsewhere
  }
}

/** Reads an xlsx back with exceljs. */
export async function readWorkbook(data: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as any);
  return wb;
}

/** Text of a cell (merged cells answer with their master's value). */
export const cellText = (ws: ExcelJS.Worksheet, ref: string): string => {
  const v = ws.getCell(ref).value;
  return v === null || v === undefined ? '' : String(v);
};

/** The row whose column-B (or given column) text starts with `label`. */
export function rowOf(ws: ExcelJS.Worksheet, label: string, col = 'B'): number {
  for (let r = 1; r <= ws.rowCount; r++) if (cellText(ws, `${col}${r}`).startsWith(label)) return r;
  throw new Error(`no row labelled ${label} in ${ws.name}`);
}
