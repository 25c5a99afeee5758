/** The real server for benchmarks, in its own process, plus a constant route as the baseline. */
import { startServer } from '../../engine/server.js';
import { repoRoot } from '../helpers/paths.js';

const server = await startServer({
  appRoot: repoRoot, dbFile: process.env.CAIJI_DB!, port: Number(process.env.PORT ?? 0), demo: false,
  mounts: [(app) => {
    app.get('/bench/constant', (c) => c.json({ ok: true }));
    app.post('/bench/json', async (c) => c.json({ n: Object.keys(await c.req.json()).length }));
  }],
});
process.send?.({ url: server.url });
console.log(`LISTENING ${server.url}`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
