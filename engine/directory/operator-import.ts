/**
 * `npm run admin -- directory import <file> [collection]`: the machine's operator loads the shared
 * lookup directory at setup, before anybody can log in (a fresh installation otherwise finds no
 * unit by its code). Same file format and checks as POST /api/directory/:collection; the rows are
 * loaded by 「命令行」 at the tree's root, above every subtree, so they replace any earlier row.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { AppRuntime } from '../runtime/runtime.js';
import { domainBadRequest } from '../errors.js';
import { importDirectory, type DirectoryImportContext, type ImportResult } from './import.js';
import { readTable } from './read-table.js';

/** The collection named, or the only one with a lookup. */
function directoryCollection(rt: AppRuntime, named: string | undefined): string {
  const withLookup = [...rt.config.collections.values()].filter((c) => c.lookup).map((c) => c.name);
  if (named) {
    if (!withLookup.includes(named)) throw domainBadRequest(`“${named}”没有可导入的查找目录（可选：${withLookup.join('、') || '无'}）`);
    return named;
  }
  if (withLookup.length !== 1) throw domainBadRequest(`请在文件名后指明导入哪个集合的目录（可选：${withLookup.join('、') || '无'}）`);
  return withLookup[0];
}

export async function importDirectoryFile(ctx: DirectoryImportContext, file: string, named?: string): Promise<{ collection: string; result: ImportResult }> {
  const collection = directoryCollection(ctx.runtime, named);
  const ext = extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.xlsx') throw domainBadRequest(`「文件」须为 .csv 或 .xlsx：${file}`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw domainBadRequest(`「文件」“${file}”无法读取`);
  }
  const table = await readTable(bytes, ext === '.csv' ? 'csv' : 'xlsx');
  const [root] = await ctx.storage.directory.treeRootPaths(ctx.storage.db, ctx.runtime.config.tree.collection);
  return { collection, result: await importDirectory(ctx, { by: null, path: root ?? null, ownPaths: null }, collection, table) };
}

/** The outcome as the operator reads it: counts, then every refused row with its reasons. */
export function describeImport(title: string, r: ImportResult): string {
  const lines = [`${title}目录：共 ${r.rows} 行，导入 ${r.imported} 行${r.rejected ? `，有误 ${r.rejected} 行（未导入）` : ''}`];
  for (const e of r.errors) lines.push(`  第 ${e.row} 行：${e.errors.map((x) => x.message).join('；')}`);
  for (const s of r.skipped) lines.push(`  第 ${s.row} 行：${s.message}`);
  return lines.join('\n');
}
