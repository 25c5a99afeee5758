/**
 * The matrix's cells (principal × route × target) built from the route table, sent through the
 * real server, and judged against the rules; and the compact report a failure prints.
 */
import type { Res } from './client.js';
import type { Who } from './authz-model.js';
import type { World } from './authz-world.js';
import { routeTable, type Expect, type Req, type Target } from './authz-rules.js';

export interface Cell { route: string; rule: string; who: Who; target: Target; req: Req; expect: Expect }
export interface Outcome { cell: Cell; status: number; problem: string | null }

const name = (who: Who) => who.username ?? 'anonymous';

export function buildCells(w: World): Cell[] {
  const cells: Cell[] = [];
  for (const [route, r] of Object.entries(routeTable)) {
    for (const who of w.principals) {
      const targets = r.targets ? r.targets(w, who) : [{ scope: '-' as const, label: '' }];
      for (const target of targets) {
        const expect = who.username === null && !r.public ? { status: [401], allowed: false, why: 'anonymous' } : r.decide(w, who, target);
        cells.push({ route, rule: r.rule, who, target, req: r.request(w, target), expect });
      }
    }
  }
  return cells;
}

/** Sends one cell's request (a logout on a session of its own) and judges the answer. */
export async function runCell(w: World, cell: Cell): Promise<Outcome> {
  const { req, who, expect, target } = cell;
  const client = req.fresh && who.username ? await w.server.login(who.username) : who.client;
  const res: Res = await client.request(req.method, req.path, req.body, req.headers ?? {});
  let problem: string | null = null;
  if (!expect.status.includes(res.status)) problem = `answered ${res.status}, expected ${expect.status.join('|')}`;
  else if (expect.check) problem = expect.check(res);
  // A refusal for a record out of scope says nothing about it: not even its name.
  if (!problem && res.status === 404 && target.rec?.title && JSON.stringify(res.body ?? '').includes(target.rec.title)) {
    problem = `404 names ${target.rec.title}`;
  }
  if (problem) problem += ` — ${expect.allowed ? 'allowed' : 'refused'}: ${expect.why}; body ${JSON.stringify(res.body ?? '').slice(0, 160)}`;
  return { cell, status: res.status, problem };
}

/** Each principal's cells in order, the principals side by side (the server serves them all at once). */
export async function runAll(w: World, cells: Cell[]): Promise<Outcome[]> {
  const byWho = new Map<Who, Cell[]>();
  for (const c of cells) byWho.set(c.who, [...(byWho.get(c.who) ?? []), c]);
  const results = await Promise.all([...byWho.values()].map(async (mine) => {
    const out: Outcome[] = [];
    for (const c of mine) out.push(await runCell(w, c));
    return out;
  }));
  return results.flat();
}

export function describeCell(c: Cell): string {
  const where = c.target.label ? ` [${c.target.scope} ${c.target.label}]` : '';
  return `${name(c.who)} × ${c.route}${where} (${c.rule})`;
}

/** "N cells, A allowed, R refused, F failed" and every failing cell on a line. */
export function report(outcomes: Outcome[]): string {
  const failed = outcomes.filter((o) => o.problem);
  const allowed = outcomes.filter((o) => o.cell.expect.allowed).length;
  const head = `${outcomes.length} cells: ${allowed} allowed, ${outcomes.length - allowed} refused, ${failed.length} failed`;
  return [head, ...failed.map((o) => `  ${describeCell(o.cell)}: ${o.problem}`)].join('\n');
}
