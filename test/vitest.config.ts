import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Browser and PDF tests share one machine with two cores: keep files from piling up.
    maxWorkers: 2,
    // The JSON report is what .ci/run counts for its closing line.
    reporters: ['default', ['json', { outputFile: 'test/output/vitest.json' }]],
  },
});
