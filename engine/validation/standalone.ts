import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { build, type Plugin } from 'esbuild';
import type { JsonSchema } from '../config/types.js';
import { createAjv, STANDALONE_RUNTIME } from './ajv.js';
import { withTextRule } from './text-rule.js';

const standaloneCode = ((standaloneModule as any).default ?? standaloneModule) as typeof standaloneModule.default;
const here = dirname(fileURLToPath(import.meta.url));

/** ajv's standalone ESM source for one schema; it imports the engine's runtime functions. */
export function standaloneSource(schema: JsonSchema): string {
  const ajv = createAjv({ standalone: true });
  const check = ajv.compile(withTextRule(schema));
  const runtime = JSON.stringify(join(here, 'standalone-runtime.ts'));
  return `import * as ${STANDALONE_RUNTIME} from ${runtime};\n${standaloneCode(ajv, check)}`;
}

/**
 * The browser module of one collection's validation: the schema compiled ahead of time by ajv
 * (no eval, so it runs under a strict CSP), bundled with the engine's formats, cross-field rules
 * and Chinese messages. Its default export is a BrowserValidator (browser-validator.ts).
 */
export async function validatorModule(schema: JsonSchema): Promise<string> {
  const entry = [
    `import check from 'caiji:check';`,
    `import { browserValidator } from ${JSON.stringify(join(here, 'browser-validator.ts'))};`,
    `export default browserValidator(check, ${JSON.stringify(schema)});`,
  ].join('\n');
  const virtual: Plugin = {
    name: 'caiji-validator',
    setup(b) {
      b.onResolve({ filter: /^caiji:/ }, (a) => ({ path: a.path, namespace: 'caiji' }));
      b.onLoad({ filter: /.*/, namespace: 'caiji' }, () => ({ contents: standaloneSource(schema), loader: 'js', resolveDir: here }));
    },
  };
  const out = await build({
    stdin: { contents: entry, resolveDir: here, loader: 'js', sourcefile: 'validator.js' },
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true, write: false,
    plugins: [virtual], logLevel: 'silent', legalComments: 'none',
  });
  return out.outputFiles[0].text;
}

const cache = new WeakMap<object, Promise<string>>();

/** validatorModule, built once per schema object (a config reload brings new schema objects). */
export function cachedValidatorModule(schema: JsonSchema): Promise<string> {
  let hit = cache.get(schema);
  if (!hit) {
    hit = validatorModule(schema);
    hit.catch(() => cache.delete(schema));
    cache.set(schema, hit);
  }
  return hit;
}
