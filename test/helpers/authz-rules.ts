/**
 * The authorization matrix's table: every route of the HTTP app ("METHOD /path" as Hono lists it)
 * with the rule that decides it, the targets tried (inside and outside each principal's scope) and
 * how to ask for one. The requests are harmless by design: a write carries a stale If-Match (409
 * when allowed), a create clashes on a unique key (409), a change names no role (422), an upload
 * has the wrong type (415) — so an allowed cell answers without changing what later cells see. The
 * only real changes (password reset, lock, unlock) go to accounts no principal logs in with.
 */
import type { Res } from './client.js';
import { closeness, type Account, type Rec, type Who } from './authz-model.js';
import type { World } from './authz-world.js';

/** What a cell is tried on: a record or node, an account, a user's own object, or a variant of the route (kind). */
export interface Target { scope: 'in' | 'out' | '-'; label: string; rec?: Rec; acct?: Account; owner?: string; kind?: string }
export interface Req { method: string; path: string; body?: unknown; headers?: Record<string, string>; fresh?: boolean }
export interface Expect {
  status: number[];
  /** Allowed by the rules (the status is the request's own answer), or refused for permission. */
  allowed: boolean;
  why: string;
  /** A check of the answer's content (a list or lookup must not carry what the user may not read). */
  check?: (res: Res) => string | null;
}
export interface Route {
  rule: string;
  /** Public routes answer anonymous visitors too; every other route answers them 401. */
  public?: boolean;
  targets?: (w: World, who: Who) => Target[];
  request: (w: World, t: Target) => Req;
  decide: (w: World, who: Who, t: Target) => Expect;
}

const allow = (status: number | number[], why: string, check?: Expect['check']): Expect => ({ status: [status].flat(), allowed: true, why, check });
const refuse = (status: number | number[], why: string, check?: Expect['check']): Expect => ({ status: [status].flat(), allowed: false, why, check });
const enc = encodeURIComponent;

// ---- targets ---------------------------------------------------------------------------------

/** One record inside the principal's scope (readable there if any is) and the nearest one outside. */
function inOut(w: World, who: Who, candidates: Rec[]): Target[] {
  if (!candidates.length) return [];
  const label = (r: Rec) => `${r.collection}:${r.title || r.id}`;
  if (who.username === null) return [{ scope: '-', label: label(candidates[0]), rec: candidates[0] }];
  const anchor = w.model.anchor(who) ?? w.root.path;
  const under = candidates.filter((r) => r.path.startsWith(anchor));
  const inside = under.find((r) => w.model.reads(who, r)) ?? under[0];
  const outside = candidates.filter((r) => !w.model.reads(who, r))
    .sort((a, b) => closeness(b.path, anchor) - closeness(a.path, anchor))[0];
  const out: Target[] = [];
  if (inside) out.push({ scope: 'in', label: label(inside), rec: inside });
  if (outside) out.push({ scope: 'out', label: label(outside), rec: outside });
  return out;
}

const treeName = (w: World) => w.root.collection;
const recordsOf = (names: (w: World) => string[]) => (w: World, who: Who) =>
  names(w).flatMap((c) => inOut(w, who, w.records.filter((r) => r.collection === c)));
const allCollections = (w: World) => Object.keys(w.collections);
const nodes = recordsOf((w) => [treeName(w)]);
const withWorkflow = (w: World) => allCollections(w).filter((c) => w.collections[c].workflow);
const directWritable = (op: 'create' | 'delete') => (w: World) => allCollections(w).filter((c) => directAllows(w, c, op));
const directOnly = (op: 'create' | 'delete') => (w: World) => allCollections(w).filter((c) => !directAllows(w, c, op));
/** Collections whose records hold login accounts (a self role names them). */
const selfCollections = (w: World) => [...new Set(Object.values(w.model.roles).map((r) => r.self).filter((c): c is string => !!c))];
const documentOf = (w: World, c: string, format: string) => Object.entries(w.collections[c].documents).find(([, d]) => (d.formats ?? []).includes(format))?.[0];
const withDocument = (format: string) => (w: World) => allCollections(w).filter((c) => documentOf(w, c, format));
const lookupCollections = (w: World) => allCollections(w).filter((c) => w.collections[c].lookup);

function directAllows(w: World, c: string, op: string): boolean {
  const direct = w.collections[c].direct;
  return !direct || direct.includes(op);
}

/** Records with an account bound to them, inside and outside scope. */
function accountRecords(w: World, who: Who): Target[] {
  const bound = new Set([...w.accounts.map((a) => a.self), ...w.principals.map((p) => p.self?.recordId)].filter(Boolean));
  return inOut(w, who, w.records.filter((r) => bound.has(r.id)));
}

/**
 * Accounts: one the principal keeps that is bound to a record and one that holds roles (both from
 * accounts no principal logs in with: the change is real), one it sees but does not keep (its own,
 * a colleague's) and one it does not see (refused: nothing changes).
 */
function accounts(w: World, who: Who): Target[] {
  const t = (scope: Target['scope'], a?: Account): Target[] => (a ? [{ scope, label: `account:${a.username}`, acct: a }] : []);
  if (who.username === null) return t('-', w.accounts[0]);
  const kept = w.accounts.filter((a) => w.model.keeps(who, a));
  const other = w.allAccounts.filter((a) => !w.model.keeps(who, a));
  return [
    ...t('in', kept.find((a) => a.self)), ...t('in', kept.find((a) => !a.self)),
    ...t('out', other.find((a) => w.model.seesAccount(who, a))), ...t('out', other.find((a) => !w.model.seesAccount(who, a))),
  ];
}

/** Objects owned by one user (jobs, previews, imports): the principal's own, and another user's. */
const ownedBy = (who: Who, w: World): Target[] => {
  const mine = who.username ? w.owned.get(who.username) : undefined;
  const other = [...w.owned.keys()].find((u) => u !== who.username);
  return [
    ...(mine ? [{ scope: 'in' as const, label: `owned by ${who.username}`, owner: who.username! }] : []),
    ...(other ? [{ scope: 'out' as const, label: `owned by ${other}`, owner: other }] : []),
  ];
};
const owned = (w: World, t: Target) => w.owned.get(t.owner!)!;

// ---- rules -----------------------------------------------------------------------------------

const publicRoute = (status: number): Pick<Route, 'rule' | 'public' | 'decide'> => ({ rule: 'public', public: true, decide: () => allow(status, 'public') });
const anyUser = (status: number): Pick<Route, 'rule' | 'decide'> => ({ rule: 'anyUser', decide: () => allow(status, 'any logged-in user') });

const readRecord = (status: number): Route['decide'] => (w, who, t) =>
  (w.model.reads(who, t.rec!) ? allow(status, 'reads the record') : refuse(404, 'record outside the read scope'));

const writeRecord = (status: number): Route['decide'] => (w, who, t) => {
  if (!w.model.reads(who, t.rec!)) return refuse(404, 'record outside the read scope');
  if (!w.model.holds(who, 'write', t.rec!.path)) return refuse(403, 'reads but may not write');
  return allow(status, 'writes the record');
};

const onNode = (permission: string, status: number, unreadable = 404): Route['decide'] => (w, who, t) => {
  if (!w.model.reads(who, t.rec!)) return refuse(unreadable, 'node outside the read scope');
  if (!w.model.holds(who, permission, t.rec!.path)) return refuse(403, `reads the node but lacks "${permission}" there`);
  return allow(status, `holds "${permission}" on the node`);
};

const readNode = (status: number): Route['decide'] => (w, who, t) =>
  (w.model.reads(who, t.rec!) ? allow(status, 'reads the node') : refuse(404, 'node outside the read scope'));

const anywhere = (permission: string, status: number): Route['decide'] => (w, who) =>
  (w.model.holdsAnywhere(who, permission) ? allow(status, `holds "${permission}" somewhere`) : refuse(403, `holds no "${permission}"`));
const configAdmin = (status: number | number[]): Route['decide'] => (w, who) =>
  (w.model.holdsAnywhere(who, 'config') ? allow(status, 'config admin') : refuse(403, 'no "config"'));

const keepAccount = (status: number): Route['decide'] => (w, who, t) => {
  if (w.model.keeps(who, t.acct!)) return allow(status, 'keeps the account');
  // Refused either way; existence may be told only to whoever already sees the account.
  return w.model.seesAccount(who, t.acct!) ? refuse([403, 404], 'sees the account but does not keep it') : refuse(404, 'account outside scope');
};

const ownerOnly = (status: number | number[]): Route['decide'] => (_w, who, t) =>
  (t.owner === who.username ? allow(status, 'own object') : refuse(404, "another user's object"));

/** An unreadable record is neither listed by a search nor named by a lookup. */
const notListed = (w: World, who: Who, t: Target) => (res: Res): string | null =>
  (!w.model.reads(who, t.rec!) && (res.body?.items ?? []).some((r: { id: string }) => r.id === t.rec!.id) ? `the search lists ${t.rec!.id}, which the user may not read` : null);
const notFound = (w: World, who: Who, t: Target) => (res: Res): string | null =>
  (!w.model.reads(who, t.rec!) && res.body?.recordId === t.rec!.id ? `the lookup names ${t.rec!.id}, which the user may not read` : null);

/** An event the record's current state does not handle: 409 wrong_state once the record is read. */
function unhandledEvent(w: World, rec: Rec): string {
  const wf = w.workflows[w.collections[rec.collection].workflow!];
  const state = rec.state ?? Object.keys(wf.handled)[0];
  const type = wf.plainEvents.find((e) => !(wf.handled[state] ?? []).includes(e));
  if (!type) throw new Error(`no payload-free event outside state ${state} of ${rec.collection}`);
  return type;
}

/** A version no record or table has reached: a stale If-Match, refused as such (409) once permission is granted. */
const STALE = { 'if-match': '"999999"' };
const NO_ROLE = '__no_such_role__';

// ---- the table -------------------------------------------------------------------------------

export const routeTable: Record<string, Route> = {
  'GET /api/health': { ...publicRoute(200), request: () => ({ method: 'GET', path: '/api/health' }) },
  'GET /api/app': { ...publicRoute(200), request: () => ({ method: 'GET', path: '/api/app' }) },
  'POST /api/login': { ...publicRoute(422), request: () => ({ method: 'POST', path: '/api/login', body: {} }) },
  'POST /api/logout': { ...anyUser(200), request: () => ({ method: 'POST', path: '/api/logout', fresh: true }) },
  'GET /api/me': { ...anyUser(200), request: () => ({ method: 'GET', path: '/api/me' }) },
  'GET /api/openapi.json': { ...anyUser(200), request: () => ({ method: 'GET', path: '/api/openapi.json' }) },
  'POST /api/me/password': { ...anyUser(422), request: () => ({ method: 'POST', path: '/api/me/password', body: {} }) },

  'GET /api/forms/:collection': { ...anyUser(200), targets: (w) => allCollections(w).map((c) => ({ scope: '-', label: c, kind: c })), request: (_w, t) => ({ method: 'GET', path: `/api/forms/${t.kind}` }) },
  'POST /api/forms/:collection/validate': { ...anyUser(200), request: (w) => ({ method: 'POST', path: `/api/forms/${treeName(w)}/validate`, body: { data: {} } }) },
  'GET /api/forms/:collection/validator.js': { ...anyUser(200), request: (w) => ({ method: 'GET', path: `/api/forms/${treeName(w)}/validator.js` }) },
  'GET /api/codes': { ...anyUser(200), request: () => ({ method: 'GET', path: '/api/codes' }) },
  'GET /api/codes/:table': { ...anyUser(200), request: (w) => ({ method: 'GET', path: `/api/codes/${w.codeTable.table}` }) },
  'PUT /api/codes/:table': {
    rule: 'configGlobal', decide: anywhere('config', 409),
    request: (w) => ({ method: 'PUT', path: `/api/codes/${w.codeTable.table}`, body: w.codeTable.body, headers: STALE }),
  },
  'GET /api/codes/:table/usage': { rule: 'configGlobal', decide: anywhere('config', 200), request: (w) => ({ method: 'GET', path: `/api/codes/${w.codeTable.table}/usage` }) },
  'GET /api/config/status': { rule: 'configGlobal', decide: anywhere('config', 200), request: () => ({ method: 'GET', path: '/api/config/status' }) },
  // Config versions (issue 23): config admins only. Every request is harmless: a draft save,
  // discard, proposal or publish carries a stale draft version (409, or 404 without a draft), a
  // rollback names a version that does not exist; only opening the draft changes anything (201,
  // then 409 once it is open), which the draft's reads and its impact job accept either way.
  'GET /api/config/versions': { rule: 'configGlobal', decide: configAdmin(200), request: () => ({ method: 'GET', path: '/api/config/versions' }) },
  'GET /api/config/versions/:a/diff/:b': { rule: 'configGlobal', decide: configAdmin(200), request: () => ({ method: 'GET', path: '/api/config/versions/1/diff/1' }) },
  'POST /api/config/versions/:n/rollback': { rule: 'configGlobal', decide: configAdmin(404), request: () => ({ method: 'POST', path: '/api/config/versions/999999/rollback', body: {} }) },
  'GET /api/config/draft': { rule: 'configGlobal', decide: configAdmin([200, 404]), request: () => ({ method: 'GET', path: '/api/config/draft' }) },
  'POST /api/config/draft': { rule: 'configGlobal', decide: configAdmin([201, 409]), request: () => ({ method: 'POST', path: '/api/config/draft' }) },
  'DELETE /api/config/draft': { rule: 'configGlobal', decide: configAdmin(409), request: () => ({ method: 'DELETE', path: '/api/config/draft', headers: STALE }) },
  'GET /api/config/draft/files/*': { rule: 'configGlobal', decide: configAdmin([200, 404]), request: () => ({ method: 'GET', path: '/api/config/draft/files/forms/app.json' }) },
  'PUT /api/config/draft/files/*': {
    rule: 'configGlobal', decide: configAdmin(409), request: () => ({ method: 'PUT', path: '/api/config/draft/files/forms/app.json', body: { content: '{}' }, headers: STALE }),
  },
  'DELETE /api/config/draft/files/*': { rule: 'configGlobal', decide: configAdmin(409), request: () => ({ method: 'DELETE', path: '/api/config/draft/files/forms/app.json', headers: STALE }) },
  'POST /api/config/draft/propose': { rule: 'configGlobal', decide: configAdmin([404, 409]), request: () => ({ method: 'POST', path: '/api/config/draft/propose', body: { note: '矩阵' }, headers: STALE }) },
  'POST /api/config/draft/publish': { rule: 'configGlobal', decide: configAdmin([404, 409]), request: () => ({ method: 'POST', path: '/api/config/draft/publish', body: {}, headers: STALE }) },
  'GET /api/config/draft/impact': { rule: 'configGlobal', decide: configAdmin([202, 404]), request: () => ({ method: 'GET', path: '/api/config/draft/impact' }) },
  'GET /api/config/draft/documents/:collection/:id/:file': {
    rule: 'configGlobal', decide: configAdmin([200, 404, 422]), request: (w) => ({ method: 'GET', path: `/api/config/draft/documents/${treeName(w)}/${w.root.id}/none.html` }),
  },
  'GET /api/config/draft/documents/:collection/:id/:name/table': {
    rule: 'configGlobal', decide: configAdmin([200, 404, 422]), request: (w) => ({ method: 'GET', path: `/api/config/draft/documents/${treeName(w)}/${w.root.id}/none/table` }),
  },
  // A preview with no body: 415 for a config admin (nothing read, nothing stored).
  'POST /api/config/draft/codes/:table/import-preview': {
    rule: 'configGlobal', decide: configAdmin([404, 415]), request: (w) => ({ method: 'POST', path: `/api/config/draft/codes/${w.codeTable.table}/import-preview` }),
  },
  'GET /api/config/draft/forms/:collection': { rule: 'configGlobal', decide: configAdmin([200, 404]), request: (w) => ({ method: 'GET', path: `/api/config/draft/forms/${w.root.collection}` }) },
  'GET /api/config/draft/forms/:collection/validator.js': { rule: 'configGlobal', decide: configAdmin([200, 404]), request: (w) => ({ method: 'GET', path: `/api/config/draft/forms/${w.root.collection}/validator.js` }) },
  'GET /api/config/history': { rule: 'configGlobal', decide: configAdmin(200), request: () => ({ method: 'GET', path: '/api/config/history' }) },
  'POST /api/codes/:table/replace': {
    rule: 'writeOnNode', targets: nodes, decide: onNode('write', 200),
    request: (w, t) => ({ method: 'POST', path: `/api/codes/${w.replaceable!.table}/replace`, body: { code: w.replaceable!.code, node: t.rec!.id, dryRun: true } }),
  },
  'GET /api/reports/deprecated-codes': { rule: 'readNode', targets: nodes, decide: readNode(200), request: (_w, t) => ({ method: 'GET', path: `/api/reports/deprecated-codes?node=${t.rec!.id}` }) },

  // 系统审核: a subtree's audit log, for whoever holds both read and write on the node (its admins).
  'GET /api/audit': { rule: 'readWriteOnNode', targets: nodes, decide: onNode('write', 200), request: (_w, t) => ({ method: 'GET', path: `/api/audit?node=${t.rec!.id}&limit=5` }) },
  'GET /api/audit/export.xlsx': { rule: 'readWriteOnNode', targets: nodes, decide: onNode('write', 200), request: (_w, t) => ({ method: 'GET', path: `/api/audit/export.xlsx?node=${t.rec!.id}&kind=access` }) },
  // Records: list (by node, and a search by the target's title), create, read, update, delete, history.
  'GET /api/records/:collection': {
    rule: 'readNode (list) / filtered search',
    targets: (w, who) => [
      ...nodes(w, who).map((t) => ({ ...t, label: `list on ${t.label}` })),
      ...recordsOf(allCollections)(w, who).map((t) => ({ ...t, label: `search ${t.label}`, kind: 'search' })),
    ],
    decide: (w, who, t) => (t.kind === 'search' ? allow(200, 'a search lists only readable records', notListed(w, who, t)) : readNode(200)(w, who, t)),
    request: (w, t) => (t.kind === 'search'
      ? { method: 'GET', path: `/api/records/${t.rec!.collection}?q=${enc(t.rec!.title)}&limit=500` }
      : { method: 'GET', path: `/api/records/${selfCollections(w)[0] ?? treeName(w)}?node=${t.rec!.id}` }),
  },
  'POST /api/records/:collection': {
    rule: 'writeOnNode (create) / workflowOnly',
    targets: (w, who) => [
      ...directWritable('create')(w).flatMap((c) => nodes(w, who).map((t) => ({ ...t, label: `${c} on ${t.label}`, kind: c }))),
      ...directOnly('create')(w).map((c) => ({ scope: '-' as const, label: `${c} (workflow only)`, kind: c })),
    ],
    decide: (w, who, t) => (directAllows(w, t.kind!, 'create') ? onNode('write', 409, 422)(w, who, t) : refuse(409, 'created through the workflow only')),
    request: (w, t) => {
      const c = w.collections[t.kind!];
      const body = t.rec && w.validData[t.kind!] ? { ...w.validData[t.kind!], [c.nodeField!]: t.rec.id } : {};
      return { method: 'POST', path: `/api/records/${t.kind}`, body };
    },
  },
  'GET /api/records/:collection/:id': { rule: 'readRecord', targets: recordsOf(allCollections), decide: readRecord(200), request: (_w, t) => ({ method: 'GET', path: `/api/records/${t.rec!.collection}/${t.rec!.id}` }) },
  'PUT /api/records/:collection/:id': {
    rule: 'writeRecord', targets: recordsOf(allCollections), decide: writeRecord(409),
    request: (_w, t) => ({ method: 'PUT', path: `/api/records/${t.rec!.collection}/${t.rec!.id}`, body: t.rec!.data, headers: STALE }),
  },
  'DELETE /api/records/:collection/:id': {
    rule: 'writeRecord / workflowOnly', targets: recordsOf(allCollections),
    decide: (w, who, t) => (directAllows(w, t.rec!.collection, 'delete') ? writeRecord(409)(w, who, t) : refuse(409, 'deleted through the workflow only')),
    request: (_w, t) => ({ method: 'DELETE', path: `/api/records/${t.rec!.collection}/${t.rec!.id}`, headers: STALE }),
  },
  'GET /api/records/:collection/:id/history': { rule: 'readRecord', targets: recordsOf(allCollections), decide: readRecord(200), request: (_w, t) => ({ method: 'GET', path: `/api/records/${t.rec!.collection}/${t.rec!.id}/history` }) },
  'GET /api/records/:collection/:id/events': { rule: 'readRecord', targets: recordsOf(withWorkflow), decide: readRecord(200), request: (_w, t) => ({ method: 'GET', path: `/api/records/${t.rec!.collection}/${t.rec!.id}/events` }) },
  'POST /api/records/:collection/:id/events': {
    // An event the state does not handle: the record is read first, so 409 tells only a reader.
    rule: 'readRecord (event)', targets: recordsOf(withWorkflow), decide: readRecord(409),
    request: (w, t) => ({ method: 'POST', path: `/api/records/${t.rec!.collection}/${t.rec!.id}/events`, body: { type: unhandledEvent(w, t.rec!) } }),
  },
  'POST /api/records/:collection/events': {
    rule: 'readRecord (batch event, per id)', targets: recordsOf(withWorkflow),
    decide: (w, who, t) => {
      const reads = w.model.reads(who, t.rec!);
      const code = reads ? 'wrong_state' : 'not_found';
      const check = (res: Res) => (res.body?.results?.[0]?.error?.code === code ? null : `result ${JSON.stringify(res.body?.results?.[0] ?? res.body).slice(0, 160)}, expected ${code}`);
      return reads ? allow(200, 'reads the record', check) : refuse(200, 'record outside the read scope: its result is not_found', check);
    },
    request: (w, t) => ({ method: 'POST', path: `/api/records/${t.rec!.collection}/events`, body: { ids: [t.rec!.id], type: unhandledEvent(w, t.rec!) } }),
  },
  'GET /api/records/:collection/:id/documents/:file': {
    rule: 'readRecord (document)', targets: recordsOf((w) => allCollections(w).filter((c) => documentOf(w, c, 'html') ?? documentOf(w, c, 'xlsx'))), decide: readRecord(200),
    request: (w, t) => {
      const c = t.rec!.collection;
      const file = documentOf(w, c, 'html') ? `${documentOf(w, c, 'html')}.html` : `${documentOf(w, c, 'xlsx')}.xlsx`;
      return { method: 'GET', path: `/api/records/${c}/${t.rec!.id}/documents/${file}` };
    },
  },
  'POST /api/records/:collection/documents/:file': {
    rule: 'readRecord (batch print)', targets: recordsOf(withDocument('pdf')), decide: readRecord(200),
    request: (w, t) => ({ method: 'POST', path: `/api/records/${t.rec!.collection}/documents/${documentOf(w, t.rec!.collection, 'pdf')}`, body: { ids: [t.rec!.id] } }),
  },

  'GET /api/tree': { ...anyUser(200), request: () => ({ method: 'GET', path: '/api/tree' }) },
  'GET /api/tree/:nodeId': { rule: 'readNode', targets: nodes, decide: readNode(200), request: (_w, t) => ({ method: 'GET', path: `/api/tree/${t.rec!.id}` }) },
  'GET /api/tree/:nodeId/progress.xlsx': { rule: 'readNode', targets: nodes, decide: readNode(200), request: (_w, t) => ({ method: 'GET', path: `/api/tree/${t.rec!.id}/progress.xlsx` }) },
  'GET /api/tree/:nodeId/path': {
    rule: 'readNode or its ancestors', targets: nodes,
    decide: (w, who, t) => (w.model.seesPathOf(who, t.rec!) ? allow(200, 'reads the node or below it') : refuse(404, 'node outside the read scope')),
    request: (_w, t) => ({ method: 'GET', path: `/api/tree/${t.rec!.id}/path` }),
  },

  'GET /api/lookup/:collection': {
    rule: 'anyUser (lookup filtered by read)',
    targets: (w, who) => lookupCollections(w).flatMap((c) => inOut(w, who, w.records.filter((r) => r.collection === c && r.data[w.collections[c].lookup!.keys[0]]))),
    decide: (w, who, t) => allow(200, 'a lookup answers from readable records and the shared directory', notFound(w, who, t)),
    request: (w, t) => {
      const key = w.collections[t.rec!.collection].lookup!.keys[0];
      return { method: 'GET', path: `/api/lookup/${t.rec!.collection}?${key}=${enc(String(t.rec!.data[key]))}` };
    },
  },
  'POST /api/directory/:collection': {
    // The shared directory is loaded only with a power over the whole tree: config, or write at the root.
    rule: 'directoryLoad',
    decide: (w, who) => (w.model.holds(who, 'config', w.root.path) || w.model.holds(who, 'write', w.root.path)
      ? allow(415, 'config or write at the root') : refuse(403, 'no power over the whole tree')),
    request: (w) => ({ method: 'POST', path: `/api/directory/${lookupCollections(w)[0]}`, body: 'x', headers: { 'content-type': 'text/plain' } }),
  },

  'GET /api/grants/overview': { rule: 'grantOnNode', targets: nodes, decide: onNode('grant', 200), request: (_w, t) => ({ method: 'GET', path: `/api/grants/overview?node=${t.rec!.id}` }) },
  'GET /api/grants': { rule: 'grantOnNode', targets: nodes, decide: onNode('grant', 200), request: (_w, t) => ({ method: 'GET', path: `/api/grants?node=${t.rec!.id}` }) },
  'POST /api/grants': {
    rule: 'grantOnNode', targets: nodes, decide: onNode('grant', 422),
    request: (w, t) => ({ method: 'POST', path: '/api/grants', body: { node: t.rec!.id, role: NO_ROLE, username: w.accounts[0].username } }),
  },
  'DELETE /api/grants': {
    rule: 'grantOnNode', targets: nodes, decide: onNode('grant', 422),
    request: (w, t) => ({ method: 'DELETE', path: `/api/grants?node=${t.rec!.id}&role=${NO_ROLE}&username=${enc(w.accounts[0].username)}` }),
  },

  'GET /api/accounts': { rule: 'grantOnRecord', targets: accountRecords, decide: onNode('grant', 200), request: (_w, t) => ({ method: 'GET', path: `/api/accounts?record=${t.rec!.id}` }) },
  // The record already has an account: refused as such (422) once the user may open one there.
  'POST /api/accounts': { rule: 'grantOnRecord', targets: accountRecords, decide: onNode('grant', 422), request: (_w, t) => ({ method: 'POST', path: '/api/accounts', body: { record: t.rec!.id } }) },
  'POST /api/accounts/batch': { rule: 'grantOnRecord', targets: accountRecords, decide: onNode('grant', 200), request: (_w, t) => ({ method: 'POST', path: '/api/accounts/batch', body: { records: [t.rec!.id] } }) },
  'POST /api/accounts/:username/password': { rule: 'keepAccount', targets: accounts, decide: keepAccount(200), request: (_w, t) => ({ method: 'POST', path: `/api/accounts/${enc(t.acct!.username)}/password` }) },
  'POST /api/accounts/:username/lock': { rule: 'keepAccount', targets: accounts, decide: keepAccount(200), request: (_w, t) => ({ method: 'POST', path: `/api/accounts/${enc(t.acct!.username)}/lock` }) },
  'POST /api/accounts/:username/unlock': { rule: 'keepAccount', targets: accounts, decide: keepAccount(200), request: (_w, t) => ({ method: 'POST', path: `/api/accounts/${enc(t.acct!.username)}/unlock` }) },

  'GET /api/self': {
    rule: 'ownRecord', decide: (_w, who) => (who.self ? allow(200, 'bound to a record') : refuse(404, 'no bound record')),
    request: () => ({ method: 'GET', path: '/api/self' }),
  },

  'GET /api/jobs/:id': { rule: 'ownJob', targets: (w, who) => ownedBy(who, w), decide: ownerOnly(200), request: (w, t) => ({ method: 'GET', path: `/api/jobs/${owned(w, t).printJob}` }) },
  'GET /api/jobs/:id/result': { rule: 'ownJob', targets: (w, who) => ownedBy(who, w), decide: ownerOnly(200), request: (w, t) => ({ method: 'GET', path: `/api/jobs/${owned(w, t).printJob}/result` }) },
  'GET /api/import/jobs/:job': { rule: 'ownJob', targets: (w, who) => ownedBy(who, w), decide: ownerOnly(200), request: (w, t) => ({ method: 'GET', path: `/api/import/jobs/${owned(w, t).importJob}` }) },
  'GET /api/import/:collection/template.xlsx': { rule: 'anyWriter', decide: anywhere('write', 200), request: (w) => ({ method: 'GET', path: `/api/import/${selfCollections(w)[0]}/template.xlsx` }) },
  // What the list shows, by the list's read rules (read-only roles export what they read).
  'GET /api/import/:collection/export.xlsx': {
    rule: 'readNode', targets: nodes, decide: readNode(200),
    request: (w, t) => ({ method: 'GET', path: `/api/import/${selfCollections(w)[0]}/export.xlsx?node=${t.rec!.id}&deep=1` }),
  },
  // A file without a header row: refused as such (422) once the user may import at all.
  'POST /api/import/:collection/preview': { rule: 'anyWriter', decide: anywhere('write', 422), request: (w) => ({ method: 'POST', path: `/api/import/${selfCollections(w)[0]}/preview`, body: 'x', headers: { 'content-type': 'text/csv' } }) },
  // The preview has invalid rows: its owner's commit is refused as such (422), nobody else finds it.
  'POST /api/import/:collection/commit': { rule: 'ownPreview', targets: (w, who) => ownedBy(who, w), decide: ownerOnly(422), request: (w, t) => ({ method: 'POST', path: `/api/import/${selfCollections(w)[0]}/commit`, body: { previewId: owned(w, t).preview } }) },
  'GET /api/import/:collection/log': { ...anyUser(200), request: (w) => ({ method: 'GET', path: `/api/import/${selfCollections(w)[0]}/log` }) },
  'GET /api/import/:id/errors.xlsx': { rule: 'ownImport', targets: (w, who) => ownedBy(who, w), decide: ownerOnly(200), request: (w, t) => ({ method: 'GET', path: `/api/import/${owned(w, t).preview}/errors.xlsx` }) },

  // 查询统计: a subtree the user reads (the node first: outside it, 404 before anything is checked).
  'GET /api/query/:collection/fields': { ...anyUser(200), request: (w) => ({ method: 'GET', path: `/api/query/${selfCollections(w)[0] ?? treeName(w)}/fields` }) },
  'POST /api/query/:collection': { rule: 'readNode', targets: nodes, decide: readNode(200), request: (w, t) => ({ method: 'POST', path: `/api/query/${selfCollections(w)[0] ?? treeName(w)}`, body: { node: t.rec!.id } }) },
  'POST /api/query/:collection/count': { rule: 'readNode', targets: nodes, decide: readNode(200), request: (w, t) => ({ method: 'POST', path: `/api/query/${selfCollections(w)[0] ?? treeName(w)}/count`, body: { node: t.rec!.id } }) },
  'GET /api/query/:collection/export.xlsx': {
    rule: 'readNode', targets: nodes, decide: readNode(200),
    request: (w, t) => ({ method: 'GET', path: `/api/query/${selfCollections(w)[0] ?? treeName(w)}/export.xlsx?spec=${enc(JSON.stringify({ node: t.rec!.id }))}` }),
  },
  'GET /api/query/saved/:collection': { ...anyUser(200), request: (w) => ({ method: 'GET', path: `/api/query/saved/${selfCollections(w)[0] ?? treeName(w)}` }) },
  // A nameless query: refused as such (422) once the node it is shared on is readable.
  'POST /api/query/saved/:collection': {
    rule: 'readNode', targets: nodes, decide: readNode(422),
    request: (w, t) => ({ method: 'POST', path: `/api/query/saved/${selfCollections(w)[0] ?? treeName(w)}`, body: { node: t.rec!.id, shared: true, kind: 'query', name: '', spec: {} } }),
  },
  // Only the owner deletes a saved query; any other id is not found, for everyone.
  'DELETE /api/query/saved/:collection/:id': { ...anyUser(404), request: (w) => ({ method: 'DELETE', path: `/api/query/saved/${selfCollections(w)[0] ?? treeName(w)}/no-such-query` }) },
  'POST /api/stats/:collection': { rule: 'readNode', targets: nodes, decide: readNode(200), request: (w, t) => ({ method: 'POST', path: `/api/stats/${selfCollections(w)[0] ?? treeName(w)}`, body: { node: t.rec!.id, rows: { by: 'children' } } }) },
  'GET /api/stats/:collection/export.xlsx': {
    rule: 'readNode', targets: nodes, decide: readNode(200),
    request: (w, t) => ({ method: 'GET', path: `/api/stats/${selfCollections(w)[0] ?? treeName(w)}/export.xlsx?spec=${enc(JSON.stringify({ node: t.rec!.id, rows: { by: 'children' } }))}` }),
  },

  'GET /document-assets/:collection/:document/:asset/*': { ...publicRoute(200), request: (w) => ({ method: 'GET', path: w.assetPath! }) },
  'GET /': { ...publicRoute(200), request: () => ({ method: 'GET', path: '/' }) },
  'GET /favicon.svg': { ...publicRoute(200), request: () => ({ method: 'GET', path: '/favicon.svg' }) },
  'GET /favicon.ico': { ...publicRoute(200), request: () => ({ method: 'GET', path: '/favicon.ico' }) },
  'GET /app.js': { ...publicRoute(200), request: () => ({ method: 'GET', path: '/app.js' }) },
  'GET /app.css': { ...publicRoute(200), request: () => ({ method: 'GET', path: '/app.css' }) },
  'GET /code-editor.js': { ...publicRoute(200), request: () => ({ method: 'GET', path: '/code-editor.js' }) },
};

/**
 * Middleware mounts (Hono lists `app.use` as method ALL): no cells of their own, but listed so
 * that a new `app.all` route, which Hono lists the same way, fails the matrix until it is classified.
 */
export const middleware: Record<string, string> = {
  'ALL /*': 'security headers, engine, config generation',
  'ALL /api/*': 'body limit, session and CSRF, password change first',
  'ALL /api/records/*': 'requireUser',
  'ALL /api/tree/*': 'requireUser',
  'ALL /api/tree': 'requireUser',
  'ALL /api/lookup/*': 'requireUser',
  'ALL /api/directory/*': 'requireUser',
  'ALL /api/grants': 'requireUser',
  'ALL /api/query/*': 'requireUser',
  'ALL /api/stats/*': 'requireUser',
  'ALL /api/grants/*': 'requireUser',
  'ALL /api/accounts': 'requireUser',
  'ALL /api/accounts/*': 'requireUser',
  'ALL /api/self': 'requireUser',
  'ALL /api/jobs/*': 'requireUser',
  'ALL /api/config/*': 'requireUser, then config admins only (routes/config-versions.ts)',
  'ALL /api/import/*': 'requireUser',
  'ALL /api/audit': 'requireUser',
  'ALL /api/audit/*': 'requireUser',
};
