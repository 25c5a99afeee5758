/**
 * Importing a lookup directory for a collection from a table: columns named by the schema's
 * Chinese titles or property names, code-table columns by code or label. Every row is
 * validated like a record of the collection (except the tree-node field) and needs at least
 * one lookup key; valid rows are stored in one transaction, invalid ones reported per row.
 * Each stored row carries who loaded it, when, and the path their authority lay on; a row
 * whose key is held by a row loaded outside the uploader's paths is skipped and reported.
 */
import type { Collection } from '../config/types.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { Storage } from '../ports.js';
import type { FieldError } from '../validation/messages.js';
import { domainBadRequest } from '../errors.js';
import { applyDerive, lookupConfig, normalizeKey } from './lookup.js';
import { own } from '../own.js';
import { loaderName, mayReplace, type LoadAuthority } from './owners.js';

/** What a directory import uses: the directory's store in one transaction, the collection's config. */
export interface DirectoryImportContext {
  readonly storage: Pick<Storage, 'db' | 'unitOfWork' | 'directory'>;
  readonly runtime: AppRuntime;
}

export interface ImportResult {
  rows: number;
  imported: number;
  rejected: number;
  errors: { row: number; errors: FieldError[] }[];
  /** Valid rows left as they were: their key is held by a row loaded outside the uploader's paths. */
  skipped: { row: number; path: string; message: string }[];
}

/** Header cell → property name (by property name or title). */
function columnMap(c: Collection, header: string[]): (string | null)[] {
  const props = c.schema.properties ?? {};
  return header.map((h) => {
    const t = h.trim().replace(/^\*/, '');
    if (own(props, t)) return t;
    return Object.keys(props).find((k) => props[k].title === t) ?? null;
  });
}

/** A cell's text as the property's value: booleans, numbers, code-table labels → codes. */
function toValue(prop: Record<string, any>, text: string): unknown {
  if (prop.type === 'boolean') return ['是', 'true', '1', '√', 'Y', 'y'].includes(text) ? true : ['否', 'false', '0', 'N', 'n'].includes(text) ? false : text;
  if (prop.type === 'integer' || prop.type === 'number') return Number.isNaN(Number(text)) ? text : Number(text);
  const codes: { code: string; label: string }[] | undefined = prop['x-codes'];
  if (codes && !codes.some((x) => x.code === text)) return codes.find((x) => x.label === text)?.code ?? text;
  return text;
}

export async function importDirectory(ctx: DirectoryImportContext, authority: LoadAuthority, collection: string, table: string[][]): Promise<ImportResult> {
  const { storage, runtime } = ctx;
  const c = runtime.collection(collection);
  if (!c.lookup) throw domainBadRequest(`${c.title}没有可导入的查找目录`);
  const cfg = lookupConfig(runtime, collection, c.lookup.keys[0]);
  const [header, ...rows] = table;
  if (!header) throw domainBadRequest('文件为空');
  const cols = columnMap(c, header);
  if (!cols.some((k) => k && cfg.keys.includes(k))) {
    throw domainBadRequest(`表头中没有查找列（${cfg.keys.map((k) => c.schema.properties[k]?.title ?? k).join('、')}）`);
  }
  const validator = runtime.validator(c.name);
  const result: ImportResult = { rows: rows.length, imported: 0, rejected: 0, errors: [], skipped: [] };
  const good: { row: number; keys: [string, string][]; data: Record<string, unknown> }[] = [];
  rows.forEach((cells, i) => {
    let data: Record<string, unknown> = {};
    cols.forEach((k, j) => {
      const text = (cells[j] ?? '').trim();
      if (k && k !== c.nodeField && text !== '') data[k] = cfg.keys.includes(k) ? normalizeKey(text) : toValue(c.schema.properties[k], text);
    });
    data = applyDerive(cfg, data);
    const errors = validator.validate(data).filter((e) => e.path !== `/${c.nodeField}`);
    const keys = cfg.keys.filter((k) => typeof data[k] === 'string').map((k) => [k, data[k] as string] as [string, string]);
    if (!keys.length) errors.push({ path: `/${cfg.keys[0]}`, message: `缺少${cfg.keys.map((k) => `「${c.schema.properties[k]?.title ?? k}」`).join('或')}` });
    if (errors.length) result.errors.push({ row: i + 2, errors });
    else good.push({ row: i + 2, keys, data });
  });
  const loader = { by: authority.by, at: new Date().toISOString(), path: authority.path };
  await storage.unitOfWork.transaction(storage.db, async (tx) => {
    for (const g of good) {
      const held = await storage.directory.put(tx, c.name, g.keys, g.data, loader, (stored) => mayReplace(authority.ownPaths, stored));
      if (held) {
        const title = c.schema.properties[held.key]?.title ?? held.key;
        result.skipped.push({
          row: g.row, path: `/${held.key}`,
          message: `「${title}」${held.value} 已由${loaderName(held.loader)}于 ${held.loader.at.slice(0, 10)} 导入，不在您的管理范围内，未覆盖`,
        });
      }
    }
  });
  result.imported = good.length - result.skipped.length;
  result.rejected = result.errors.length;
  return result;
}
