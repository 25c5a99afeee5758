/**
 * The one description of the HTTP API: for every route the app answers ("METHOD /path" as Hono
 * lists it), what it does, its query parameters and the shape of its body and answer. Generic —
 * collection, workflow and table names come from the config at run time (routes/openapi.ts turns
 * these into an OpenAPI 3.1 document with the collections' schemas). A route without a line here
 * fails test/api/openapi.test.ts by name.
 */

/** A body or answer: a named shape (resolved by openapi.ts against the config) or a JSON Schema. */
export type Shape =
  | 'record' | 'recordPage' | 'storedRecord' | 'event' | 'batch' | 'validate' | 'history' | 'error'
  | { schema: Record<string, unknown> }
  | { media: string };

export interface RouteDoc {
  summary: string;
  description?: string;
  tag: string;
  /** Answers without a session (everything else answers 401 to anonymous callers). */
  public?: boolean;
  query?: Record<string, string>;
  /** Request headers that matter (e.g. If-Match). */
  headers?: Record<string, string>;
  body?: Shape;
  /** The answer of success (200 unless `status` says otherwise). */
  answer?: Shape;
  status?: number;
}

const obj = (properties: Record<string, unknown>, required: string[] = [], extra: Record<string, unknown> = {}) =>
  ({ schema: { type: 'object', properties, ...(required.length ? { required } : {}), ...extra } });
const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const anyObj = { type: 'object' };
const XLSX = { media: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
const ok = obj({ ok: bool });
const listQuery = {
  node: 'tree node id: records on this node', deep: '1: the node\'s whole subtree', state: 'workflow state',
  q: 'search text', limit: 'page size', cursor: 'the previous page\'s nextCursor',
};
const IF_MATCH = { 'If-Match': '"<version>" of the record as read (428 without it, 409 when stale)' };

export const routeDocs: Record<string, RouteDoc> = {
  // ——— session ———
  'GET /api/health': { tag: 'session', public: true, summary: 'Liveness: the database answers', answer: obj({ status: str, app: str }) },
  'POST /api/login': {
    tag: 'session', public: true, summary: 'Log in', description: 'Sets the HttpOnly session cookie; the answer carries the csrfToken every later POST/PUT/DELETE sends as X-CSRF-Token. 429 with Retry-After while throttled.',
    body: obj({ username: str, password: str }, ['username', 'password']), answer: obj({ username: str, csrfToken: str }, [], { additionalProperties: true }),
  },
  'POST /api/logout': { tag: 'session', summary: 'End the session', answer: ok },
  'GET /api/me': { tag: 'session', summary: 'The logged-in user, their grants (each with inForce) and the csrfToken', answer: { schema: anyObj } },
  'POST /api/me/password': { tag: 'session', summary: 'Change one\'s own password', body: obj({ currentPassword: str, newPassword: str }, ['currentPassword', 'newPassword']), answer: ok },
  'GET /api/app': { tag: 'config', public: true, summary: 'The application manifest as the UI needs it (collections, tree, roles)', answer: { schema: anyObj } },
  'GET /api/openapi.json': { tag: 'config', summary: 'This description (OpenAPI 3.1), with the collections\' schemas of the config in force' },

  // ——— forms and code tables ———
  'GET /api/forms/:collection': { tag: 'config', summary: 'A collection\'s schema, code tables expanded (x-codes), with its list columns', answer: { schema: anyObj } },
  'POST /api/forms/:collection/validate': {
    tag: 'config', summary: 'Check a document without storing it',
    description: 'Body {data, previous?}: data is the record as it would be saved; previous the stored data it was edited from (lets kept deprecated codes through). The answer lists the errors that stop a save and, when there are none, what keeps the record incomplete.',
    body: 'validate',
    answer: obj({ valid: bool, errors: { type: 'array', items: { $ref: '#/components/schemas/FieldError' } }, complete: bool, incomplete: { type: 'array', items: { $ref: '#/components/schemas/FieldError' } } }),
  },
  'GET /api/forms/:collection/validator.js': { tag: 'config', summary: 'The collection\'s validation as an ES module (what the browser form runs)', answer: { media: 'text/javascript' } },
  'GET /api/codes': { tag: 'config', summary: 'Every code table with its size and counts of deprecated and provisional codes', answer: { schema: anyObj } },
  'GET /api/codes/:table': { tag: 'config', summary: 'One code table as stored', answer: { schema: anyObj } },
  'PUT /api/codes/:table': { tag: 'config', summary: 'Save a code table (config permission)', headers: { 'If-Match': '"<version>" of the table as read' }, body: { schema: anyObj }, answer: { schema: anyObj } },
  'GET /api/codes/:table/usage': { tag: 'config', summary: 'How many records hold each code, per field or child-table column (items) and per code, each record once (totals); config permission', answer: { schema: anyObj } },
  'POST /api/codes/:table/replace': {
    tag: 'config', summary: 'Replace a deprecated code by its one replacement in a subtree',
    body: obj({ code: str, node: str, dryRun: { type: 'boolean', default: true } }, ['code', 'node']), answer: { schema: anyObj },
  },
  'GET /api/reports/deprecated-codes': { tag: 'config', summary: 'Records of a subtree holding deprecated codes', query: { node: 'tree node id' }, answer: { schema: anyObj } },
  'GET /api/config/status': { tag: 'config', summary: 'The config in force: generation, load time, problems of a refused change', answer: { schema: anyObj } },

  // ——— records ———
  'GET /api/records/:collection': { tag: 'records', summary: 'List records the user may read', query: listQuery, answer: 'recordPage' },
  'POST /api/records/:collection': { tag: 'records', summary: 'Create a record', body: 'record', answer: 'storedRecord', status: 201 },
  'GET /api/records/:collection/:id': { tag: 'records', summary: 'One record (ETag: its version)', answer: 'storedRecord' },
  'PUT /api/records/:collection/:id': { tag: 'records', summary: 'Replace a record\'s data', headers: IF_MATCH, body: 'record', answer: 'storedRecord' },
  'DELETE /api/records/:collection/:id': { tag: 'records', summary: 'Delete a record', answer: ok },
  'GET /api/records/:collection/:id/history': { tag: 'records', summary: 'The record\'s changes and workflow transitions', query: { limit: 'entries per page', before: 'older than this entry' }, answer: 'history' },
  'GET /api/records/:collection/:id/events': { tag: 'workflow', summary: 'The workflow state and the events this user may send now (and those blocked, with the reason)', answer: { schema: anyObj } },
  'POST /api/records/:collection/:id/events': {
    tag: 'workflow', summary: 'Send one workflow event to a record',
    description: 'Body {type, …payload}: the event\'s type and, beside it, the fields of the event\'s payload schema (e.g. a reason). An event with a form (x-form) carries that collection\'s fields. 409 when the state has no such transition or a guard refuses, 422 for a bad payload.',
    body: 'event', answer: 'storedRecord',
  },
  'POST /api/records/:collection/events': {
    tag: 'workflow', summary: 'Send one event to many records (one transaction, a result per id)',
    description: 'Body {type, ids, …payload}. Records the event does not fit are answered with their reason; the others are sent.',
    body: 'batch',
    answer: obj({ results: { type: 'array', items: obj({ id: str, ok: bool, state: str, stateTitle: str, version: int, error: anyObj }, ['id', 'ok']).schema } }, ['results']),
  },
  'GET /api/records/:collection/:id/documents/:file': { tag: 'documents', summary: 'A document of the record: <name>.html, .pdf or .xlsx', answer: { media: 'application/octet-stream' } },
  'POST /api/records/:collection/documents/:file': {
    tag: 'documents', summary: 'Many records\' documents as one PDF (?async=1: a job)', query: { async: '1: answer 202 with a job id' },
    body: obj({ ids: { type: 'array', items: str } }, ['ids']), answer: { media: 'application/pdf' },
  },

  // ——— tree ———
  'GET /api/tree': { tag: 'tree', summary: 'The roots of the user\'s grants', answer: { schema: anyObj } },
  'GET /api/tree/:nodeId': { tag: 'tree', summary: 'A node: breadcrumb, children, per-subtree completeness and counts by state', answer: { schema: anyObj } },
  'GET /api/tree/:nodeId/path': { tag: 'tree', summary: 'A node\'s breadcrumb', answer: { schema: anyObj } },
  'GET /api/tree/:nodeId/progress.xlsx': { tag: 'tree', summary: 'The subtree\'s progress figures as a workbook', answer: XLSX },

  // ——— lookup, grants, accounts, self ———
  'GET /api/lookup/:collection': { tag: 'lookup', summary: 'A record found by one lookup key (?<key>=<value>) among readable records, then the shared directory', answer: { schema: anyObj } },
  'POST /api/directory/:collection': { tag: 'lookup', summary: 'Load the shared lookup directory (CSV or xlsx; config admin or root admin)', body: { media: 'text/csv' }, answer: { schema: anyObj } },
  'GET /api/grants': { tag: 'grants', summary: 'Roles held on a node', query: { node: 'tree node id' }, answer: { schema: anyObj } },
  'POST /api/grants': {
    tag: 'grants', summary: 'Grant a role on a node',
    description: 'With openAccount: true a person without an account gets one in the same transaction and the answer carries its first password; without it such a grant answers 422 account_required.',
    body: obj({ node: str, role: str, record: str, username: str, openAccount: bool }, ['node', 'role']), answer: { schema: anyObj }, status: 201,
  },
  'DELETE /api/grants': { tag: 'grants', summary: 'Revoke a role', body: obj({ node: str, role: str, username: str }, ['node', 'role', 'username']), answer: ok },
  'GET /api/grants/overview': { tag: 'grants', summary: 'Every role held below a node', query: { node: 'tree node id' }, answer: { schema: anyObj } },
  'GET /api/accounts': { tag: 'accounts', summary: 'The account bound to a record, or the accounts the user keeps', query: { record: 'record id' }, answer: { schema: anyObj } },
  'POST /api/accounts': {
    tag: 'accounts', summary: 'Open the login account of a person\'s record',
    description: 'The answer (201) is {account, password}: the account as GET /api/accounts describes it (username, record, state …) and its first password, shown this once — the first login opens nothing but the password change.',
    body: obj({ record: str, username: str }, ['record']), answer: obj({ account: anyObj, password: str }, ['account', 'password']), status: 201,
  },
  'POST /api/accounts/batch': {
    tag: 'accounts', summary: 'Open accounts for many records (all or none)', body: obj({ records: { type: 'array', items: str } }, ['records']),
    description: 'The answer is {created: [{record, name, username, password}], existing: [{record, name, username}]}; 201 when any was opened.',
    answer: obj({ created: { type: 'array', items: obj({ record: str, name: str, username: str, password: str }).schema }, existing: { type: 'array', items: anyObj } }), status: 201,
  },
  'POST /api/accounts/:username/password': { tag: 'accounts', summary: 'Reset an account\'s password (a new first password, shown once)', answer: obj({ account: anyObj, password: str }) },
  'POST /api/accounts/:username/lock': { tag: 'accounts', summary: 'Lock an account (its sessions end)', answer: { schema: anyObj } },
  'POST /api/accounts/:username/unlock': { tag: 'accounts', summary: 'Unlock an account', answer: { schema: anyObj } },
  'GET /api/self': { tag: 'records', summary: 'A person\'s own record, its fields in words and the events they may send', answer: { schema: anyObj } },
  'GET /api/jobs/:id': { tag: 'jobs', summary: 'A long job\'s progress ({done, total}, state)', answer: { schema: anyObj } },
  'GET /api/jobs/:id/result': { tag: 'jobs', summary: 'A finished job\'s file', answer: { media: 'application/octet-stream' } },

  // ——— import ———
  'GET /api/import/:collection/template.xlsx': { tag: 'import', summary: 'The import template (a column per field, dropdowns)', answer: XLSX },
  'GET /api/import/:collection/export.xlsx': { tag: 'import', summary: 'The records a list shows, in the template', query: listQuery, answer: XLSX },
  'POST /api/import/:collection/preview': { tag: 'import', summary: 'Check a file: each row new, changed, unchanged or invalid', query: { async: '1: a job' }, body: XLSX, answer: { schema: anyObj } },
  'POST /api/import/:collection/commit': { tag: 'import', summary: 'Store a previewed file (all rows or none)', body: obj({ previewId: str }, ['previewId']), answer: { schema: anyObj } },
  'GET /api/import/:collection/log': { tag: 'import', summary: 'The user\'s uploads and their outcome', answer: { schema: anyObj } },
  'GET /api/import/:id/errors.xlsx': { tag: 'import', summary: 'An upload with its errors marked', answer: XLSX },
  'GET /api/import/jobs/:job': { tag: 'import', summary: 'Progress of an asynchronous preview or commit', answer: { schema: anyObj } },

  // ——— queries, statistics, audit ———
  'GET /api/query/:collection/fields': { tag: 'query', summary: 'The fields a query may filter and show', answer: { schema: anyObj } },
  'POST /api/query/:collection': { tag: 'query', summary: 'Run a query over readable records', body: { schema: anyObj }, answer: { schema: anyObj } },
  'POST /api/query/:collection/count': { tag: 'query', summary: 'Count a query\'s records', body: { schema: anyObj }, answer: { schema: anyObj } },
  'GET /api/query/:collection/export.xlsx': { tag: 'query', summary: 'A query\'s records as a workbook', answer: XLSX },
  'GET /api/query/saved/:collection': { tag: 'query', summary: 'The user\'s saved queries', answer: { schema: anyObj } },
  'POST /api/query/saved/:collection': { tag: 'query', summary: 'Save a query', body: { schema: anyObj }, answer: { schema: anyObj } },
  'DELETE /api/query/saved/:collection/:id': { tag: 'query', summary: 'Delete a saved query', answer: { schema: anyObj } },
  'POST /api/stats/:collection': { tag: 'query', summary: 'Figures grouped by fields over readable records', body: { schema: anyObj }, answer: { schema: anyObj } },
  'GET /api/stats/:collection/export.xlsx': { tag: 'query', summary: 'Figures as a workbook', answer: XLSX },
  'GET /api/audit': { tag: 'audit', summary: 'The audit trail the user may read', answer: { schema: anyObj } },
  'GET /api/audit/export.xlsx': { tag: 'audit', summary: 'The audit trail as a workbook', answer: XLSX },

  // ——— config versions (config admins only) ———
  'GET /api/config/versions': { tag: 'config-versions', summary: 'Every published config version (author with authorName, time, note, hash) and the one in force', answer: { schema: anyObj } },
  'GET /api/config/versions/:a/diff/:b': { tag: 'config-versions', summary: 'Structured diff of two versions: per document; schemas per field and property, code tables per code, workflows per state and event', answer: { schema: anyObj } },
  'POST /api/config/versions/:n/rollback': {
    tag: 'config-versions', summary: 'Publish an earlier version as a new one, through the same checks (with reverse migration steps where needed)',
    body: obj({ note: str, steps: { type: 'array' } }), answer: { schema: anyObj },
  },
  'GET /api/config/draft': { tag: 'config-versions', summary: 'The open draft: its version, base, files changed and check results', answer: { schema: anyObj } },
  'POST /api/config/draft': { tag: 'config-versions', summary: 'Open the draft from the published version (one per application)', status: 201, answer: { schema: anyObj } },
  'DELETE /api/config/draft': { tag: 'config-versions', summary: 'Discard the draft', headers: { 'If-Match': '"<draft version>"' }, answer: obj({ discarded: bool }) },
  'GET /api/config/draft/files/*': { tag: 'config-versions', summary: 'One document of the draft (its path under the app folder, e.g. forms/<collection>.schema.json)', answer: obj({ content: str }) },
  'PUT /api/config/draft/files/*': {
    tag: 'config-versions', summary: 'Save one document of the draft (checked; a broken draft is kept but cannot be published)',
    headers: { 'If-Match': '"<draft version>" (409 when stale)' }, body: obj({ content: str }, ['content']), answer: { schema: anyObj },
  },
  'DELETE /api/config/draft/files/*': { tag: 'config-versions', summary: 'Remove one document from the draft', headers: { 'If-Match': '"<draft version>"' }, answer: { schema: anyObj } },
  'POST /api/config/draft/propose': { tag: 'config-versions', summary: 'Propose the draft for publishing (when the manifest asks for a second config admin)', headers: { 'If-Match': '"<draft version>"' }, body: obj({ note: str }, ['note']), answer: { schema: anyObj } },
  'POST /api/config/draft/publish': {
    tag: 'config-versions', summary: 'Publish the draft: checks, migration steps applied to the stored records, the new version in force for every request',
    headers: { 'If-Match': '"<draft version>"' }, body: obj({ note: str }), answer: { schema: anyObj },
  },
  'GET /api/config/draft/impact': { tag: 'config-versions', summary: 'Start the draft\'s impact analysis over the stored records (a job: GET /api/jobs/:id)', status: 202, answer: { schema: anyObj } },
  'GET /api/config/draft/documents/:collection/:id/:file': {
    tag: 'config-versions', summary: 'A record\'s document (name.html|pdf|xlsx) rendered from the open draft\'s templates (the studio\'s print preview)',
    query: { download: '1: as an attachment' }, answer: { media: 'application/octet-stream' },
  },
  'GET /api/config/draft/documents/:collection/:id/:name/table': { tag: 'config-versions', summary: 'A record\'s xlsx document from the open draft, read back as tables (the studio\'s layout preview)', answer: { schema: anyObj } },
  'POST /api/config/draft/codes/:table/import-preview': {
    tag: 'config-versions', summary: 'A code table from a notice\'s CSV or xlsx (代码, 名称, 停用日期, 替代代码, 上级代码): the draft\'s table it would make and the diff; nothing stored',
    query: { filename: 'the file\'s name (.csv or .xlsx) when the content type does not say' }, body: { media: 'text/csv' }, answer: { schema: anyObj },
  },
  'GET /api/config/draft/forms/:collection': { tag: 'config-versions', summary: 'A collection\'s schema as the open draft has it, code tables expanded (the studio\'s preview)', answer: { schema: anyObj } },
  'GET /api/config/draft/forms/:collection/validator.js': { tag: 'config-versions', summary: 'The draft\'s validation of a collection as an ES module (what the studio\'s preview runs)', answer: { media: 'text/javascript' } },
  'GET /api/config/history': { tag: 'config-versions', summary: 'The config history: every draft save, publish, approval, rollback and import (actor with actorName)', query: { limit: 'entries (1–500)', before: 'the previous page\'s last id' }, answer: { schema: anyObj } },

  // ——— the web UI and its assets (not JSON) ———
  'GET /document-assets/:collection/:document/:asset/*': { tag: 'ui', public: true, summary: 'An asset a print template declares (e.g. a web font)', answer: { media: 'application/octet-stream' } },
  'GET /': { tag: 'ui', public: true, summary: 'The web UI', answer: { media: 'text/html' } },
  'GET /favicon.svg': { tag: 'ui', public: true, summary: 'Icon', answer: { media: 'image/svg+xml' } },
  'GET /favicon.ico': { tag: 'ui', public: true, summary: 'Icon', answer: { media: 'image/svg+xml' } },
  'GET /app.js': { tag: 'ui', public: true, summary: 'The UI bundle', answer: { media: 'text/javascript' } },
  'GET /app.css': { tag: 'ui', public: true, summary: 'The UI styles', answer: { media: 'text/css' } },
  'GET /code-editor.js': { tag: 'ui', public: true, summary: 'The code editor (CodeMirror), loaded by the config studio when it opens a template', answer: { media: 'text/javascript' } },
};
