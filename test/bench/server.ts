/** The real server for benchmarks, in its own process, plus a constant route as the baseline. */
import { startServer } from '../../engine/server.js';
import { repoRoot } from '../helpers/paths.js';

const server = await startServer({
  appRoot: repoRoot, database: process.env.CAIJI_DB!, port: Number(process.env.PORT ?? 0), demo: false,
  mounts: [(app) => {
    app.get('/bench/constant', (c) => c.json({ ok: true }));
    // Where the server's memory is (V8 heap, buffers, the rest), for looking into the RSS figure;
    // ?gc=1 collects first when the server runs with --expose-gc (what is kept, not garbage).
    app.get('/bench/memory', (c) => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (c.req.query('gc') && gc) gc();
      return c.json(process.memoryUsage());
    });
    app.post('/bench/json', async (c) => c.json({ n: Object.keys(await c.req.json()).length }));
  }],
});
process.send?.({ url: server.url });
console.log(`LISTENING ${server.url}`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
