import { Hono } from 'hono';
import { documentConfig } from '../../documents/config.js';
import { ASSET_ROUTE, readAsset } from '../../documents/assets.js';

/**
 * GET /document-assets/:collection/:document/:asset/<file> — the files a document's `assets`
 * declare (web fonts, their stylesheets), for the HTML preview. Public like the UI bundle: they
 * are config, not records. The PDF printer reads the same files without HTTP (documents/assets.ts).
 */
export function documentAssetsRoutes() {
  const app = new Hono();
  app.get(`${ASSET_ROUTE}/:collection/:document/:asset/*`, async (c) => {
    const engine = c.get('engine');
    const doc = documentConfig(engine.runtime.collection(c.req.param('collection')), c.req.param('document'));
    const file = c.req.path.split('/').slice(5).join('/'); // Hono has decoded the path
    const asset = await readAsset(engine.runtime.config.source, doc, c.req.param('asset'), file);
    c.header('Content-Type', asset.type);
    // Package fonts are large (a CJK face comes in ~100 slices) and change only with an update;
    // an asset of the config's templates/ changes with a published version, so it is asked again.
    c.header('Cache-Control', asset.fromPackage ? 'public, max-age=86400' : 'no-cache');
    return c.body(new Uint8Array(asset.body));
  });
  return app;
}
