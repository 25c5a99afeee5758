import { PAGES } from './page-pool.js';

/**
 * Sheets per print in a batch of `total`: the same number of prints for every page (so both
 * finish together), up to three each so the progress bar moves, but no print under 10 sheets
 * nor one under 25 where fewer prints will do (each print pays ~0.15 s of its own: a PDF
 * document, the fonts embedded again, one more part to merge), nor over 250 (memory).
 */
export function chunkSize(total: number): number {
  const perPage = Math.max(1, Math.min(3, Math.floor(total / (PAGES * 25))));
  return Math.max(10, Math.min(250, Math.ceil(total / (PAGES * perPage))));
}

/**
 * Prints sheets [0, total) in chunks, as many at once as there are warm pages, started in
 * order. Returns at once one promise per chunk, in sheet order, so the caller can merge each
 * part while later ones print. `progress` hears the number of sheets printed after each part
 * (it only grows). After a failure no further chunk starts; every later part fails with it.
 */
export function printInParallel<T>(
  total: number, print: (from: number, to: number) => Promise<T>, progress: (done: number) => void,
): Promise<T>[] {
  const size = chunkSize(total);
  let free = PAGES;
  const queue: (() => void)[] = [];
  const turn = () => (free > 0 ? (free--, Promise.resolve()) : new Promise<void>((resolve) => queue.push(resolve)));
  const release = () => { const next = queue.shift(); if (next) next(); else free++; };
  let failure: unknown;
  let done = 0;
  const parts: Promise<T>[] = [];
  for (let from = 0; from < total; from += size) {
    const to = Math.min(total, from + size);
    parts.push(turn().then(async () => {
      try {
        if (failure) throw failure;
        const pdf = await print(from, to);
        progress((done += to - from));
        return pdf;
      } catch (err) {
        failure ??= err;
        throw err;
      } finally {
        release();
      }
    }));
  }
  // The merge awaits them in order and reports the first failure; later ones must not go unhandled.
  for (const part of parts) part.catch(() => undefined);
  return parts;
}
