import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createEngine, type EngineOptions, type Engine } from './engine.js';
import { createHttpApp, type Mount } from './http/app.js';
import { closeBrowser } from './documents/pdf.js';
import { loadDemo, isEmpty, type DemoLogin } from './seed/demo.js';

export interface ServerOptions extends EngineOptions {
  port: number;
  host?: string;
  /** Load the manifest's demo data when the database is empty. */
  demo?: boolean;
  mounts?: Mount[];
}

export interface RunningServer {
  engine: Engine;
  url: string;
  demoLogins: DemoLogin[];
  close(): Promise<void>;
}

/** Starts engine and HTTP server; port 0 picks a free port (tests). */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const engine = await createEngine(options);
  const demoLogins = options.demo && (await isEmpty(engine)) ? await loadDemo(engine) : [];
  const app = createHttpApp(engine, options.mounts);
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port, hostname: options.host ?? '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    engine,
    url: `http://${options.host === '0.0.0.0' ? 'localhost' : options.host ?? '127.0.0.1'}:${port}`,
    demoLogins,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeBrowser();
      await engine.close();
    },
  };
}
