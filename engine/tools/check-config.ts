import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkApp } from '../config/checks/index.js';

/**
 * `npm run check [app folder]`: loads and checks all config together, exactly as the server's
 * live reload does — manifest, schemas against the meta-schema, code tables and their
 * references, rules, workflows, templates and layouts (compiled and rendered against a sample
 * record), demo data — and names each problem with its file and place. Warnings are printed
 * but pass. Exit code 1 when anything is wrong.
 */
const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');
const root = resolve(process.argv[2] ?? process.env.CAIJI_APP ?? repoRoot);
const { runtime, problems, warnings } = await checkApp(root);
for (const w of warnings) console.warn(`  提示：${w}`);
if (problems.length) {
  console.error(`配置检查未通过（${root}），共 ${problems.length} 个问题：`);
  for (const p of problems) console.error(`  - ${p}`);
  process.exit(1);
}
const c = runtime!.config;
console.log(`配置检查通过：${c.manifest.title}（${c.collections.size} 个集合，${c.codes.size} 个代码表）${warnings.length ? `，${warnings.length} 个提示` : ''}`);
