import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One page as grey levels (0 black … 255 white), row by row. */
export interface Raster { width: number; height: number; grey: Uint8Array }

/** Reads a binary PGM (P5, 8 bit) as pdftoppm -gray writes it. */
function readPgm(data: Buffer): Raster {
  const fields: string[] = [];
  let at = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(data[at]))) at++;
    const start = at;
    while (!/\s/.test(String.fromCharCode(data[at]))) at++;
    fields.push(data.toString('latin1', start, at));
  }
  const [magic, width, height] = [fields[0], Number(fields[1]), Number(fields[2])];
  if (magic !== 'P5' || fields[3] !== '255') throw new Error(`not an 8-bit PGM: ${fields.join(' ')}`);
  return { width, height, grey: data.subarray(at + 1, at + 1 + width * height) };
}

/**
 * The pages of a PDF rasterised at `dpi` by pdftoppm, in grey. With `keep` the pages are also
 * left as PNGs (`keep`-1.png …) for people to look at.
 */
export function rasterise(pdf: Buffer, dpi = 100, keep?: string): Raster[] {
  const dir = mkdtempSync(join(tmpdir(), 'caiji-raster-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-gray', join(dir, 'doc.pdf'), join(dir, 'p')]);
    if (keep) {
      mkdirSync(join(keep, '..'), { recursive: true });
      execFileSync('pdftoppm', ['-r', String(dpi), '-png', join(dir, 'doc.pdf'), keep]);
    }
    return readdirSync(dir).filter((f) => f.endsWith('.pgm')).sort().map((f) => readPgm(readFileSync(join(dir, f))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How two pages differ: pixels whose grey differs by more than `tolerance` (anti-aliasing moves
 * edges by a level or two; a shifted or missing glyph by far more), and where the first is.
 */
export function pixelDiff(a: Raster, b: Raster, tolerance = 64): { differing: number; first: string | null } {
  if (a.width !== b.width || a.height !== b.height) return { differing: a.width * a.height, first: 'size' };
  let differing = 0;
  let first: string | null = null;
  for (let i = 0; i < a.grey.length; i++) {
    if (Math.abs(a.grey[i] - b.grey[i]) > tolerance) {
      differing++;
      first ??= `x ${i % a.width}, y ${Math.floor(i / a.width)}`;
    }
  }
  return { differing, first };
}
