import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { expandCodeTables } from './expand-schema.js';
import type { AppConfig, AppManifest, CodeTable, Collection } from './types.js';

/** Every problem found in a config, each naming its file and place. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误:\n- ${problems.join('\n- ')}`);
  }
}

function readJson<T>(file: string, problems: string[]): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    problems.push(`${file}: ${(err as Error).message}`);
    return undefined;
  }
}

/** Reads forms/codes/*.json into a map by table name. */
export function loadCodeTables(formsDir: string, problems: string[]): Map<string, CodeTable> {
  const codes = new Map<string, CodeTable>();
  const dir = join(formsDir, 'codes');
  if (!existsSync(dir)) return codes;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const table = readJson<CodeTable>(join(dir, file), problems);
    if (!table) continue;
    const name = file.replace(/\.json$/, '');
    if (table.table !== name) problems.push(`codes/${file}: table 应为 "${name}"`);
    if (!Array.isArray(table.codes)) {
      problems.push(`codes/${file}: 缺少 codes 数组`);
      continue;
    }
    table.version ??= 1;
    codes.set(name, table);
  }
  return codes;
}

/**
 * Loads an application (forms/app.json, its schemas and code tables) from a root folder that
 * holds forms/, workflows/ and templates/. Throws ConfigError listing every problem.
 */
export function loadApp(root: string): AppConfig {
  const problems: string[] = [];
  const formsDir = join(root, 'forms');
  const manifest = readJson<AppManifest>(join(formsDir, 'app.json'), problems);
  if (!manifest) throw new ConfigError(problems);
  const codes = loadCodeTables(formsDir, problems);
  const collections = new Map<string, Collection>();
  for (const [name, cfg] of Object.entries(manifest.collections ?? {})) {
    const rawSchema = readJson<Record<string, any>>(join(formsDir, cfg.schema), problems);
    if (!rawSchema) continue;
    let schema = rawSchema;
    try {
      schema = expandCodeTables(rawSchema, codes, cfg.schema + '#');
    } catch (err) {
      problems.push((err as Error).message);
    }
    const props = rawSchema.properties ?? {};
    const isTree = manifest.tree?.collection === name;
    const nodeField = isTree ? manifest.tree.parentField : cfg.nodeField;
    for (const field of [nodeField, cfg.titleField, ...(cfg.listColumns ?? []), ...(cfg.search ?? []), ...(cfg.uniqueKeys ?? []).flatMap((k) => k.fields)]) {
      if (field && !props[field]) problems.push(`app.json: collections.${name} 引用的字段 "${field}" 不在 ${cfg.schema} 中`);
    }
    collections.set(name, { ...cfg, schemaFile: cfg.schema, nodeField, name, rawSchema, schema, isTree });
  }
  if (manifest.loginNote !== undefined && typeof manifest.loginNote !== 'string') problems.push('app.json: loginNote 须为文字');
  if (!manifest.tree || !collections.has(manifest.tree.collection)) problems.push('app.json: tree.collection 必须是一个已声明的集合');
  for (const [name, role] of Object.entries(manifest.roles ?? {})) {
    if (role.self && !collections.has(role.self)) problems.push(`app.json: roles.${name}.self 引用了不存在的集合 "${role.self}"`);
    if (role.username && (!role.self || !collections.get(role.self)?.schema.properties?.[role.username])) {
      problems.push(`app.json: roles.${name}.username 须为 self 集合的字段，"${role.username}" 不是`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return { root, manifest, collections, codes, tree: manifest.tree };
}
