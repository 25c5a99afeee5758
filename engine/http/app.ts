import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { HTTPException } from 'hono/http-exception';
import './context.js';
import type { Engine } from '../engine.js';
import { HttpError, fromDomain } from './errors.js';
import { DomainError } from '../errors.js';
import { session, requireUser, passwordChangeFirst } from './middleware/session.js';
import { bodyLimit } from './middleware/body-limit.js';
import { noStore } from './middleware/no-store.js';
import { authRoutes } from './routes/auth.js';
import { passwordRoutes } from './routes/password.js';
import { accountsRoutes } from './routes/accounts.js';
import { configRoutes } from './routes/config.js';
import { recordRoutes } from './routes/records.js';
import { treeRoutes } from './routes/tree.js';
import { eventsRoutes } from './routes/events.js';
import { documentsRoutes } from './routes/documents.js';
import { uiRoutes } from './routes/ui.js';
import { lookupRoutes } from './routes/lookup.js';
import { grantsRoutes } from './routes/grants.js';
import { selfRoutes } from './routes/self.js';
import { codesAdminRoutes } from './routes/codes-admin.js';
import { openapiRoutes } from './routes/openapi.js';
import { jobsRoutes } from './routes/jobs.js';
import { importRoutes } from './routes/import.js';
import { documentAssetsRoutes } from './routes/document-assets.js';
import { queryRoutes } from './routes/query.js';
import { statsRoutes } from './routes/stats.js';
import { auditRoutes } from './routes/audit.js';
import { configVersionRoutes } from './routes/config-versions.js';
import { draftFormRoutes } from './routes/draft-forms.js';
import { draftCodesRoutes } from './routes/draft-codes.js';
import { draftDocumentRoutes } from './routes/draft-documents.js';

/** Extra route groups (workflow events, documents, UI) mounted by other modules. */
export type Mount = (app: Hono) => void;

/** The HTTP application: middleware, the API (README: HTTP API), and JSON errors for everything. */
export function createHttpApp(engine: Engine, mounts: Mount[] = []): Hono {
  const app = new Hono();
  app.use('*', secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'], connectSrc: ["'self'"], frameAncestors: ["'none'"], objectSrc: ["'none'"],
    },
  }));
  app.use('*', async (c, next) => {
    c.set('engine', engine);
    // Clients compare it between answers: a change means forms and validators must be refetched.
    // Set before the answer exists, it costs nothing; a header added to a finished answer makes
    // the adapter rebuild it (a tenth of a small request's CPU), so that happens only when this
    // very request changed the config.
    const api = c.req.path.startsWith('/api/');
    const generation = engine.config.status.generation;
    if (api) c.header('X-Config-Generation', String(generation));
    await next();
    if (api && engine.config.status.generation !== generation) c.header('X-Config-Generation', String(engine.config.status.generation));
  });
  app.use('/api/*', noStore);
  app.use('/api/*', bodyLimit(20 * 1024 * 1024));
  app.use('/api/*', session);
  app.use('/api/*', passwordChangeFirst);

  app.get('/api/health', async (c) => {
    await engine.storage.maintenance.health(engine.storage.db);
    return c.json({ status: 'ok', app: engine.runtime.config.manifest.name });
  });
  app.route('/api', authRoutes());
  app.route('/api', passwordRoutes());
  app.route('/api', configRoutes());
  app.route('/api', codesAdminRoutes());
  // Config versions, drafts, publish, history: config admins only (the sub-app checks the permission).
  app.use('/api/config/*', requireUser);
  app.route('/api/config', configVersionRoutes());
  // The draft's forms for the studio's preview (config admins only, checked per route).
  app.route('/api/config/draft/forms', draftFormRoutes());
  app.route('/api/config', draftCodesRoutes());
  // The draft's documents for the studio's print preview (config admins only, checked per route).
  app.route('/api/config/draft/documents', draftDocumentRoutes());
  app.route('/api', openapiRoutes(() => app.routes));
  app.use('/api/records/*', requireUser);
  app.use('/api/tree/*', requireUser);
  app.use('/api/tree', requireUser);
  // Workflow events and documents live under /api/records too; their more specific paths go first.
  app.route('/api/records', eventsRoutes());
  app.route('/api/records', documentsRoutes());
  app.route('/api/records', recordRoutes());
  app.route('/api/tree', treeRoutes());
  for (const p of ['/api/lookup/*', '/api/directory/*', '/api/grants', '/api/grants/*', '/api/accounts', '/api/accounts/*', '/api/self']) app.use(p, requireUser);
  app.route('/api', lookupRoutes());
  app.route('/api/grants', grantsRoutes());
  app.route('/api/accounts', accountsRoutes());
  app.route('/api/self', selfRoutes());
  app.use('/api/jobs/*', requireUser);
  app.route('/api/jobs', jobsRoutes());
  app.route('/api/import', importRoutes());
  for (const p of ['/api/query/*', '/api/stats/*']) app.use(p, requireUser);
  app.route('/api/query', queryRoutes());
  app.route('/api/stats', statsRoutes());
  for (const p of ['/api/audit', '/api/audit/*']) app.use(p, requireUser);
  app.route('/api/audit', auditRoutes());
  app.route('/', documentAssetsRoutes());
  for (const mount of mounts) mount(app);
  app.route('/', uiRoutes());

  app.notFound((c) => c.json(new HttpError(404, 'not_found', '请求的地址不存在').toJSON(), 404));
  app.onError((err, c) => {
    if (err instanceof DomainError) {
      const http = fromDomain(err);
      return c.json(http.toJSON(), http.status);
    }
    if (err instanceof HTTPException) return c.json(new HttpError(err.status as 400, 'http_error', err.message || '请求有误').toJSON(), err.status);
    console.error(err);
    return c.json(new HttpError(500, 'internal', '服务器内部错误，请稍后重试').toJSON(), 500);
  });
  return app;
}
