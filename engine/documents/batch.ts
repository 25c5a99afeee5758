import { PAGES } from './page-pool.js';

/**
 * Sheets per print in a batch of `total`: about four prints per page, so the progress bar
 * moves, but no print under 20 sheets (each print pays ~0.1 s to start its PDF process and embed
 * the fonts, and every part costs time again when merged) nor over 200 (memory, long silent steps).
 */
export function chunkSize(total: number): number {
  return Math.min(200, Math.max(20, Math.ceil(total / (PAGES * 4))));
}

/**
 * Prints sheets [0, total) in chunks, as many chunks at once as there are warm pages, and
 * returns the parts in sheet order. `progress` hears the number of sheets printed after every
 * part (it only grows). The first failure stops the other lanes and is thrown.
 */
export async function printInParallel(
  total: number, print: (from: number, to: number) => Promise<Buffer>, progress: (done: number) => void,
): Promise<Buffer[]> {
  const size = chunkSize(total);
  const parts: Buffer[] = new Array(Math.ceil(total / size));
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < parts.length) {
      const i = next++;
      const from = i * size;
      const to = Math.min(total, from + size);
      try {
        parts[i] = await print(from, to);
      } catch (err) {
        next = parts.length;
        throw err;
      }
      done += to - from;
      progress(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PAGES, parts.length) }, lane));
  return parts;
}
