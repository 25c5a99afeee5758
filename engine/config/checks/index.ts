import { loadApp, ConfigError } from '../load-app.js';
import { AppRuntime } from '../../runtime/runtime.js';
import type { ConfigCheck } from './types.js';
import { codeTablesCheck } from './code-tables.js';
import { schemaRulesCheck } from './schema-rules.js';
import { templatesCheck } from './templates.js';
import { documentAssetsCheck } from '../../documents/assets.js';

/**
 * The registry of config checks. Loading itself checks the manifest, the schemas against the
 * JSON Schema meta-schema (ajv compiles them strictly) and code-table references; these add the
 * rest. Other modules (workflows, documents) register theirs here.
 */
export const configChecks: ConfigCheck[] = [codeTablesCheck, schemaRulesCheck, templatesCheck, documentAssetsCheck];

export interface CheckResult {
  runtime?: AppRuntime;
  problems: string[];
}

/** Loads and checks an application folder; a runtime is returned only when nothing is wrong. */
export async function checkApp(root: string): Promise<CheckResult> {
  let runtime: AppRuntime;
  try {
    runtime = new AppRuntime(loadApp(root));
  } catch (err) {
    return { problems: err instanceof ConfigError ? err.problems : [(err as Error).message] };
  }
  const problems: string[] = [];
  for (const check of configChecks) {
    try {
      problems.push(...(await check(runtime.config)));
    } catch (err) {
      problems.push(`检查出错：${(err as Error).message}`);
    }
  }
  return problems.length ? { problems } : { runtime, problems };
}
