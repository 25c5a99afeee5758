import { describe, it, expect } from 'vitest';
import { chunkSize, printInParallel } from '../../engine/documents/batch.js';
import { PAGES } from '../../engine/documents/page-pool.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How a batch is cut into prints and put back together (no browser: the print is a stand-in). */
describe('batch chunks', () => {
  it('cuts a batch into the same number of prints per page, none tiny nor huge', () => {
    expect(chunkSize(1)).toBe(10);
    expect(chunkSize(10)).toBe(10);
    for (const total of [30, 50, 100, 333, 1000, 5000]) {
      const size = chunkSize(total);
      const prints = Math.ceil(total / size);
      expect(size, `${total}`).toBeGreaterThanOrEqual(10);
      expect(size, `${total}`).toBeLessThanOrEqual(250);
      if (total <= 1000) expect(prints % PAGES, `${total}`).toBe(0);
    }
    if (PAGES === 2) expect(Math.ceil(1000 / chunkSize(1000))).toBe(6);
  });

  it('gives the parts back in sheet order however the prints finish, with growing progress', async () => {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    const parts = printInParallel(1000, async (from, to) => {
      started.push(from);
      most = Math.max(most, ++running);
      await sleep(from % 2 ? 5 : 30 - (from % 7)); // later chunks may finish first
      running--;
      return Buffer.from(`${from}-${to}`);
    }, (done) => seen.push(done));
    const got = (await Promise.all(parts)).map(String);
    const size = chunkSize(1000);
    expect(got).toEqual(Array.from({ length: got.length }, (_, i) => `${i * size}-${Math.min(1000, (i + 1) * size)}`));
    expect(started).toEqual([...started].sort((a, b) => a - b));
    expect(most).toBe(PAGES);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.at(-1)).toBe(1000);
  });

  it('stops starting prints after a failure, and every later part fails with it', async () => {
    let calls = 0;
    const parts = printInParallel(2000, async (from) => {
      calls++;
      await sleep(5);
      if (from === chunkSize(2000)) throw new Error('打印失败');
      return Buffer.from('ok');
    }, () => undefined);
    await expect(parts[0]).resolves.toBeInstanceOf(Buffer);
    await expect(parts[1]).rejects.toThrow('打印失败');
    await expect(parts.at(-1)!).rejects.toThrow('打印失败');
    expect(calls).toBeLessThanOrEqual(PAGES + 1);
  });
});
