import Ajv2020Module from 'ajv/dist/2020.js';
import { expandCodeTables } from './expand-schema.js';
import { configErrors } from './ajv-messages.js';
import { manifestSchema } from './manifest-schema.js';
import { configJson, readConfigFolder, type ConfigSource } from './source.js';
import { roleProblems } from './role-checks.js';
import type { AppConfig, AppManifest, CodeTable, Collection } from './types.js';

/** Every problem found in a config, each naming its file and place. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误:\n- ${problems.join('\n- ')}`);
  }
}

const Ajv2020 = ((Ajv2020Module as any).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
const checkManifestShape = new Ajv2020({ allErrors: true, strict: false }).compile(manifestSchema);

/** Reads forms/codes/*.json of the snapshot into a map by table name. */
export function loadCodeTables(source: ConfigSource, problems: string[]): Map<string, CodeTable> {
  const codes = new Map<string, CodeTable>();
  const files = [...source.files.keys()].filter((f) => /^forms\/codes\/[^/]+\.json$/.test(f)).sort();
  for (const path of files) {
    const table = configJson<CodeTable>(source, path, problems);
    if (!table) continue;
    const name = path.slice('forms/codes/'.length).replace(/\.json$/, '');
    if (!table || typeof table !== 'object' || Array.isArray(table)) {
      problems.push(`${path}: /: 应为对象 {...}`);
      continue;
    }
    if (table.table !== name) problems.push(`${path}: /table: 应为 "${name}"`);
    if (!Array.isArray(table.codes)) {
      problems.push(`${path}: /codes: 缺少 codes 数组`);
      continue;
    }
    table.version ??= 1;
    codes.set(name, table);
  }
  return codes;
}

/**
 * Loads an application (forms/app.json, its schemas and code tables) from a config snapshot (or
 * an application folder, read into one). Throws ConfigError listing every problem; a file that
 * is not valid JSON is reported alone, with its line and column, not with what follows from it.
 */
export function loadApp(from: string | ConfigSource): AppConfig {
  const source = typeof from === 'string' ? readConfigFolder(from) : from;
  const problems: string[] = [];
  const manifest = configJson<AppManifest>(source, 'forms/app.json', problems);
  if (!manifest) throw new ConfigError(problems);
  if (!checkManifestShape(manifest)) throw new ConfigError(configErrors('forms/app.json', checkManifestShape.errors));
  const codes = loadCodeTables(source, problems);
  const schemas = new Map<string, Record<string, any>>();
  for (const [name, cfg] of Object.entries(manifest.collections)) {
    const raw = configJson<Record<string, any>>(source, `forms/${cfg.schema}`, problems);
    if (raw && (typeof raw !== 'object' || Array.isArray(raw))) problems.push(`forms/${cfg.schema}: /: 应为对象 {...}`);
    else if (raw) schemas.set(name, raw);
  }
  // What follows would only repeat that a file could not be read.
  if (problems.length) throw new ConfigError(problems);
  const collections = new Map<string, Collection>();
  for (const [name, cfg] of Object.entries(manifest.collections)) {
    const rawSchema = schemas.get(name)!;
    const file = `forms/${cfg.schema}`;
    let schema = rawSchema;
    try {
      schema = expandCodeTables(rawSchema, codes, file + '#');
    } catch (err) {
      problems.push((err as Error).message);
    }
    const props = rawSchema.properties ?? {};
    const isTree = manifest.tree.collection === name;
    const nodeField = isTree ? manifest.tree.parentField : cfg.nodeField;
    for (const field of [nodeField, cfg.titleField, ...(cfg.listColumns ?? []), ...(cfg.search ?? []), ...(cfg.uniqueKeys ?? []).flatMap((k) => k.fields)]) {
      if (field && !props[field]) problems.push(`forms/app.json: collections.${name} 引用的字段 "${field}" 不在 ${cfg.schema} 中`);
    }
    collections.set(name, { ...cfg, schemaFile: cfg.schema, nodeField, name, rawSchema, schema, isTree });
  }
  if (!collections.has(manifest.tree.collection)) problems.push(`forms/app.json: /tree/collection: "${manifest.tree.collection}" 不是已声明的集合`);
  for (const [name, role] of Object.entries(manifest.roles)) {
    problems.push(...roleProblems(name, role, manifest.tree, collections));
    if (role.self && !collections.has(role.self)) problems.push(`forms/app.json: roles.${name}.self 引用了不存在的集合 "${role.self}"`);
    if (role.username && (!role.self || !collections.get(role.self)?.schema.properties?.[role.username])) {
      problems.push(`forms/app.json: roles.${name}.username 须为 self 集合的字段，"${role.username}" 不是`);
    }
  }
  for (const [i, file] of (manifest.demo ?? []).entries()) {
    if (!source.files.has(`forms/${file}`)) problems.push(`forms/app.json: /demo/${i}: 演示数据文件 forms/${file} 不存在`);
  }
  if (problems.length) throw new ConfigError(problems);
  return { root: source.root, source, manifest, collections, codes, tree: manifest.tree };
}
