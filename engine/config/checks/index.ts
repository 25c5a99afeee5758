import { loadApp, ConfigError } from '../load-app.js';
import { readConfigFolder, type ConfigSource } from '../source.js';
import { AppRuntime } from '../../runtime/runtime.js';
import type { ConfigCheck } from './types.js';
import { codeTablesCheck } from './code-tables.js';
import { schemaRulesCheck } from './schema-rules.js';
import { childTablesCheck } from './child-tables.js';
import { templatesCheck } from './templates.js';
import { guardPermissionsCheck } from './guard-permissions.js';
import { demoDataCheck } from './demo-data.js';
import { dateBandsCheck } from './date-bands.js';
import { documentAssetsCheck } from '../../documents/assets.js';

/**
 * The registry of config checks. Loading itself checks the manifest's shape, the schemas against
 * the JSON Schema meta-schema (ajv compiles them strictly), code-table references, workflows and
 * every template and layout (compiled, helpers and partials known); these add the rest.
 */
export const configChecks: ConfigCheck[] = [codeTablesCheck, schemaRulesCheck, childTablesCheck, dateBandsCheck, templatesCheck, guardPermissionsCheck, demoDataCheck, documentAssetsCheck];

export interface CheckResult {
  runtime?: AppRuntime;
  problems: string[];
  /** Reported but not refusing (e.g. a template naming a field the schema does not have). */
  warnings: string[];
}

/**
 * Loads and checks an application — a folder (read once into a snapshot) or a snapshot; a
 * runtime is returned only when nothing is wrong. The server's live reload and `npm run check`
 * both run exactly this.
 */
export async function checkApp(from: string | ConfigSource): Promise<CheckResult> {
  const source = typeof from === 'string' ? readConfigFolder(from) : from;
  let runtime: AppRuntime;
  try {
    runtime = new AppRuntime(loadApp(source));
  } catch (err) {
    return { problems: err instanceof ConfigError ? err.problems : [(err as Error).message], warnings: [] };
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const check of configChecks) {
    try {
      const found = await check(runtime.config, runtime);
      if (Array.isArray(found)) problems.push(...found);
      else {
        problems.push(...found.problems);
        warnings.push(...found.warnings);
      }
    } catch (err) {
      problems.push(`检查出错：${(err as Error).message}`);
    }
  }
  return problems.length ? { problems, warnings } : { runtime, problems, warnings };
}
