/**
 * Import with a child table (issue 21): 10 000 members with 5 rows each of 家庭主要成员及社会关系
 * on the child sheet, against the flat import of 10 000 members in the same run. Both files are
 * xlsx made from the same kind of members (the child sheet is what differs), imported in two
 * halves each, alternating, so both see the same machine load. Run by bench.ts.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { createEngine } from '../../engine/engine.js';
import { runPreview, runCommit } from '../../engine/import/index.js';
import { childTables, parentKey } from '../../engine/import/columns.js';
import type { Principal } from '../../engine/auth/principal.js';
import { repoRoot } from '../helpers/paths.js';
import { memberDoc } from './generate.js';
import { seedLarge } from './seed-large.js';
import { sqliteOf } from '../helpers/sqlite-of.js';

type Add = (figure: string, value: string, baseline: string, ratio: string, target: string, ok: boolean | null) => void;

const RELATIONS = ['配偶（10）', '子（20）', '女（30）', '31', '20'];
const PER_MEMBER = 5;

/** Five relatives of member `seq`: every column filled, codes as a person picks them. */
function relatives(seq: number): string[][] {
  return RELATIONS.map((relation, i) => [
    `亲属${seq}-${i + 1}`, relation, '群众（13）', `19${50 + ((seq + i) % 40)}-0${1 + (i % 9)}-1${i}`,
    `第${1 + (seq % 50)}工厂 职工`, `北京市工厂路${1 + i}号`, `北京市家园路${1 + (seq % 300)}号`,
  ]);
}

export async function benchChildImport(tmp: string, rows: number, add: Add, log: (s: string) => void) {
  const engine = await createEngine({ appRoot: repoRoot, database: join(tmp, 'child-import.db') });
  const seeded = await seedLarge(engine, 0);
  const root = (await sqliteOf(engine).get<{ id: string; path: string }>('SELECT id, path FROM records WHERE id = ?', [seeded.root]))!;
  const user: Principal = { userId: 'bench', username: 'bench', displayName: 'bench', grants: [{ role: 'admin', nodeId: root.id, path: root.path }], sessionId: '', csrf: '' };
  const c = engine.runtime.collection('member');
  const key = parentKey(c)!;
  const table = childTables(c)[0];
  if (!table) throw new Error('the member form has no child table');
  const props = c.schema.properties;
  const cell = (f: string, v: unknown) => (typeof v === 'boolean' ? (v ? '是' : '否') : v === undefined ? null : String(v));

  /** An xlsx of members [from, to): the main sheet, and with `children` their relatives' sheet. */
  async function file(from: number, to: number, children: boolean): Promise<Buffer> {
    const docs = Array.from({ length: to - from }, (_, i) => memberDoc(seeded.branches[(from + i) % seeded.branches.length], from + i));
    const fields = Object.keys(docs[0]);
    const wb = new ExcelJS.Workbook();
    const main = wb.addWorksheet(c.title);
    main.addRow(fields.map((f) => props[f].title));
    for (const d of docs) main.addRow(fields.map((f) => cell(f, d[f])));
    if (children) {
      const ws = wb.addWorksheet(table.sheet);
      ws.addRow([key.title, ...table.columns.map((col) => col.title)]);
      docs.forEach((d, i) => { for (const r of relatives(from + i)) ws.addRow([d[key.property], ...r]); });
    }
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  const half = Math.ceil(rows / 2);
  let tFlat = 0, tChild = 0;
  // The process's CPU time too (main thread and SQLite's): on a machine other work shares, the
  // wall-clock ratio swings with their load, the CPU time much less.
  let cFlat = 0, cChild = 0;
  for (const [i, from] of [0, half].entries()) {
    const to = Math.min(rows, from + half);
    for (const children of i % 2 ? [true, false] : [false, true]) {
      const base = (children ? 7_000_000 : 6_000_000) + from;
      const buf = await file(base, base + (to - from), children);
      const t = performance.now();
      const cpu = process.cpuUsage();
      const preview = await runPreview(engine, user, 'member', buf, { filename: 'bench.xlsx' });
      if (preview.counts.new !== to - from) throw new Error(`child import preview: ${JSON.stringify(preview.counts)} ${JSON.stringify(preview.rows.slice(0, 2))}`);
      await runCommit(engine, user, preview.id);
      const ms = performance.now() - t;
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000;
      if (children) { tChild += ms; cChild += cpuMs; } else { tFlat += ms; cFlat += cpuMs; }
      log(`import ${to - from} members ${children ? `with ${PER_MEMBER} rows each` : 'flat'}: ${ms.toFixed(0)} ms (CPU ${cpuMs.toFixed(0)} ms)`);
    }
  }
  const stored = await sqliteOf(engine).get<{ n: number }>(`SELECT count(*) AS n FROM records WHERE collection = 'member' AND json_array_length(data, '$.${table.property}') = ${PER_MEMBER}`);
  if (stored?.n !== rows) throw new Error(`child import stored ${stored?.n} members with ${PER_MEMBER} rows, not ${rows}`);
  await engine.close();
  const rFlat = rows / (tFlat / 1000), rChild = rows / (tChild / 1000);
  add(`import ${rows} members with ${PER_MEMBER} child rows each (xlsx, members/s)`, rChild.toFixed(0), `${rFlat.toFixed(0)} flat xlsx import`, (rChild / rFlat).toFixed(2), '≥ 0.5', rChild / rFlat >= 0.5);
  add('  the same by CPU time per 1 000 members', `${(cChild / rows * 1000).toFixed(0)} ms`, `${(cFlat / rows * 1000).toFixed(0)} ms flat`, (cFlat / cChild).toFixed(2), '–', null);
}
