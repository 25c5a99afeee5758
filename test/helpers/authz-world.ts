/**
 * What the authorization matrix tries its cells on, discovered through the API as the root admin
 * (no hard-coded ids): the tree and every record with its path, the roles of the manifest, every
 * login account with the roles it holds, the principals' grants (GET /api/me), and a few objects
 * that belong to one user (a finished print job, an import preview with its error workbook).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestServer } from './server.js';
import type { Client } from './client.js';
import { repoRoot } from './paths.js';
import { memberData } from './demo.js';
import { AuthzModel, type Account, type Held, type Rec, type RoleDef, type Who } from './authz-model.js';

export interface CollectionInfo {
  title: string;
  titleField: string | null;
  nodeField: string | null;
  workflow: string | null;
  /** The direct operations the collection allows (others go through its workflow); null: all. */
  direct: string[] | null;
  isTree: boolean;
  documents: Record<string, { formats?: string[] }>;
  lookup: { keys: string[] } | null;
}

/** What one user owns: objects nobody else may see (404), whatever their grants. */
/** A preview's id also names its entry in the import log (and so its error workbook). */
export interface Owned { printJob: string; importJob: string; preview: string }

export interface World {
  server: TestServer;
  model: AuthzModel;
  root: Rec;
  records: Rec[];
  byId: Map<string, Rec>;
  collections: Record<string, CollectionInfo>;
  /** The logins of the matrix, anonymous last. */
  principals: Who[];
  /** Accounts the matrix may reset and lock: none of them is a principal's. */
  accounts: Account[];
  /** Every account, the principals' too: targets only where the rules refuse the change. */
  allAccounts: Account[];
  /** Per username of a principal that owns some: its print job, import job and preview. */
  owned: Map<string, Owned>;
  /** Per collection, a stored record's data that passes validation (a create with it clashes on a unique key). */
  validData: Record<string, Record<string, unknown>>;
  codeTable: { table: string; version: number; body: unknown };
  /** A deprecated code with exactly one replacement, for the bulk replacement's dry run. */
  replaceable: { table: string; code: string } | null;
  /** A file a document declares as an asset (public like the UI bundle). */
  assetPath: string | null;
  /** Per workflow: state → the events it handles; events with no payload. */
  workflows: Record<string, { handled: Record<string, string[]>; plainEvents: string[] }>;
}

async function ok<T = any>(p: Promise<{ status: number; body: T }>, what: string): Promise<T> {
  const res = await p;
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body;
}

/** Every record of a collection the root admin reads, with its path computed from the tree. */
async function listAll(root: Client, collection: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await ok(root.get(`/api/records/${collection}?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), `list ${collection}`);
    out.push(...page.items);
    cursor = page.nextCursor ?? null;
  } while (cursor);
  return out;
}

/** Waits for a job to finish (a print or a preview run in the background). */
async function settled(client: Client, path: string) {
  for (let i = 0; i < 200; i++) {
    const res = await client.get(path);
    if (res.body?.status !== 'running') return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${path} did not finish`);
}

/**
 * Logs the principals in and looks around as `rootAdmin`; `branchAdmin` (an admin of a lowest
 * node) owns the jobs and keeps the account made for the matrix.
 */
export async function discover(server: TestServer, rootAdmin: string, logins: string[], branchAdmin: string): Promise<World> {
  const root = await server.login(rootAdmin);
  const app = await ok(root.get('/api/app'), 'GET /api/app');
  const roles = app.roles as Record<string, RoleDef>;
  const collections: Record<string, CollectionInfo> = {};
  for (const [name, c] of Object.entries<any>(app.collections)) {
    collections[name] = { title: c.title, titleField: c.titleField ?? null, nodeField: c.nodeField ?? null, workflow: c.workflow ?? null, direct: c.direct ?? null, isTree: !!c.isTree, documents: c.documents ?? {}, lookup: c.lookup ?? null };
  }
  const treeName = app.tree.collection as string;

  // The tree first (paths are chains of node ids), then every other collection hangs on it.
  const nodes = await listAll(root, treeName);
  const parent = new Map(nodes.map((n) => [n.id, n.node as string | null]));
  const pathOf = (id: string): string => {
    const up = parent.get(id);
    return `${up ? pathOf(up) : '/'}${id}/`;
  };
  const records: Rec[] = [];
  const toRec = (r: any, path: string): Rec => {
    const field = collections[r.collection].titleField;
    return { id: r.id, collection: r.collection, node: r.node, path, title: String(field ? r.data[field] ?? '' : ''), state: r.state, version: r.version, data: r.data };
  };
  for (const n of nodes) records.push(toRec(n, pathOf(n.id)));
  for (const name of Object.keys(collections)) {
    if (name === treeName) continue;
    for (const r of await listAll(root, name)) records.push(toRec(r, r.node ? pathOf(r.node) : '/'));
  }
  const byId = new Map(records.map((r) => [r.id, r]));
  const rootRec = records.find((r) => r.collection === treeName && r.node === null)!;
  const model = new AuthzModel(roles, rootRec.path, byId);
  const held = (g: { role: string; node: string }): Held => ({ role: g.role, node: g.node, path: byId.get(g.node)?.path ?? `/?${g.node}/` });

  const selfCollection = Object.values(roles).find((r) => r.self)?.self;

  const principals: Who[] = [];
  for (const username of logins) {
    const client = await server.login(username);
    const me = await ok(client.get('/api/me'), `GET /api/me as ${username}`);
    principals.push({ username, client, grants: me.grants.map(held), self: me.self });
  }
  principals.push({ username: null, client: server.anonymous(), grants: [], self: null });

  // A person of the lowest admin's branch with an account nobody logs in with: an account that
  // admin keeps and the matrix may reset and lock without ending a principal's session.
  const lowest = principals.find((p) => p.username === branchAdmin);
  if (selfCollection && lowest) {
    const nodeId = model.paths(lowest, 'grant')[0].split('/').at(-2);
    if (nodeId) {
      const made = await ok(root.post(`/api/records/${selfCollection}`, memberData(nodeId)), 'a person for the matrix');
      await ok(root.post('/api/accounts', { record: made.id }), 'an account for the matrix');
      records.push(toRec(made, byId.get(nodeId)!.path));
      byId.set(made.id, records.at(-1)!);
    }
  }

  // Accounts: those bound to records (asked per record), and those holding roles (the root's overview).
  const accounts = new Map<string, Account>();
  const selfRecords = records.filter((r) => r.collection === selfCollection);
  for (const r of selfRecords) {
    const res = await ok(root.get(`/api/accounts?record=${r.id}`), 'GET /api/accounts');
    if (res.account) accounts.set(res.account.username, { username: res.account.username, self: r.id, roles: [] });
  }
  const overview = await ok(root.get(`/api/grants/overview?node=${rootRec.id}`), 'GET /api/grants/overview');
  for (const g of overview.items) {
    const a: Account = accounts.get(g.username) ?? { username: g.username, self: g.record?.id ?? null, roles: [] };
    a.roles.push(held(g));
    accounts.set(g.username, a);
  }
  const logged = new Set<string>([rootAdmin, ...logins]);
  const pool = [...accounts.values()].filter((a) => !logged.has(a.username));

  // Objects owned by one user: a finished print job, a finished import preview job, and the
  // preview's error workbook — for the root admin and for the lowest admin.
  const owned = new Map<string, Owned>();
  const selfCol = selfCollection ? collections[selfCollection] : undefined;
  const printable = selfCol && Object.entries(selfCol.documents).find(([, d]) => (d.formats ?? []).includes('pdf'));
  const form = selfCollection ? await ok(root.get(`/api/forms/${selfCollection}`), 'GET /api/forms') : null;
  const titles = form ? Object.values<any>(form.schema.properties).map((p) => p.title).filter(Boolean).slice(0, 2) : [];
  const owners = principals.filter((p) => p.username === rootAdmin || p === lowest);
  for (const p of selfCollection && printable ? owners : []) {
    const target = records.find((r) => r.collection === selfCollection && model.holds(p, 'write', r.path));
    if (!target) continue;
    const job = await ok(p.client.post(`/api/records/${selfCollection}/documents/${printable![0]}?async=1`, { ids: [target.id] }), 'a print job');
    await settled(p.client, `/api/jobs/${job.jobId}`);
    const csv = `${titles.join(',')}\n${titles.map(() => '?').join(',')}\n`;
    const pre = await ok(p.client.request('POST', `/api/import/${selfCollection}/preview?async=1`, csv, { 'content-type': 'text/csv' }), 'an import preview');
    const done = await settled(p.client, `/api/import/jobs/${pre.id}`);
    if (!done.result?.errorsFile) throw new Error(`the matrix's import preview has no error workbook: ${JSON.stringify(done).slice(0, 300)}`);
    owned.set(p.username!, { printJob: job.jobId, importJob: pre.id, preview: done.result.id });
  }

  // Per collection, stored data that validates: a create with it is refused on its unique key (409).
  const validData: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(collections)) {
    for (const r of records.filter((x) => x.collection === name && x.node)) {
      const v = await ok(root.post(`/api/forms/${name}/validate`, { data: r.data }), 'validate');
      if (v.valid) { validData[name] = r.data; break; }
    }
  }

  const tables = (await ok(root.get('/api/codes'), 'GET /api/codes')).items as { table: string }[];
  let replaceable: World['replaceable'] = null;
  let codeTable: World['codeTable'] | undefined;
  for (const { table } of tables) {
    const t = await ok(root.get(`/api/codes/${table}`), `GET /api/codes/${table}`);
    codeTable ??= { table, version: t.version, body: t };
    const c = t.codes.find((x: any) => x.deprecated && x.replacedBy?.length === 1);
    if (c && !replaceable) replaceable = { table, code: c.code };
  }

  // An asset URL as a document's preview links it.
  let assetPath: string | null = null;
  for (const r of records) {
    const docs = Object.entries(collections[r.collection].documents).filter(([, d]) => (d.formats ?? []).includes('html'));
    if (!docs.length) continue;
    const html = await root.get(`/api/records/${r.collection}/${r.id}/documents/${docs[0][0]}.html`);
    assetPath = String(html.body).match(/\/document-assets\/[^"')\s]+/)?.[0] ?? null;
    break;
  }

  const workflows: World['workflows'] = {};
  for (const c of Object.values(collections)) {
    if (!c.workflow || workflows[c.workflow]) continue;
    const wf = JSON.parse(readFileSync(join(repoRoot, 'workflows', `${c.workflow}.json`), 'utf8'));
    const internal = new Set<string>(wf.meta?.internalEvents ?? []);
    const handled = Object.fromEntries(Object.entries<any>(wf.states).map(([s, d]) => [s, Object.keys(d.on ?? {})]));
    const plainEvents = Object.entries<any>(wf.meta?.events ?? {}).filter(([type, e]) => !internal.has(type) && !e.payload && !e.form).map(([type]) => type);
    workflows[c.workflow] = { handled, plainEvents };
  }

  return {
    server, model, root: rootRec, records, byId, collections, principals, accounts: pool, allAccounts: [...accounts.values()], owned, validData,
    codeTable: codeTable!, replaceable, assetPath, workflows,
  };
}
