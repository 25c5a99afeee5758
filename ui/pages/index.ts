import { html, type TemplateResult } from 'lit';
import { type Route } from '../router.js';
import { homeOf } from './home.js';
import './login-page.js';
import './browse-page.js';
import './list-page.js';
import './record-page.js';
import './self-page.js';
import './progress-page.js';
import './codes-page.js';
import './recode-page.js';
import './import-page.js';
import './account-page.js';
import './grants-page.js';
import './query-page.js';
import './stats-page.js';
import './audit-page.js';
import './studio-page.js';

/** Route name → page. Each page element gets the route's arguments. */
export const pages: Record<string, (r: Route) => TemplateResult> = {
  login: (r) => html`<caiji-login-page .next=${r.query.next ?? ''}></caiji-login-page>`,
  browse: (r) => html`<caiji-browse-page .nodeId=${r.args[0] ?? ''}></caiji-browse-page>`,
  list: (r) => html`<caiji-list-page .collection=${r.args[0]} .nodeId=${r.args[1] ?? ''} .query=${r.query}></caiji-list-page>`,
  record: (r) => html`<caiji-record-page .collection=${r.args[0]} .recordId=${r.args[1]}></caiji-record-page>`,
  new: (r) => html`<caiji-record-page .collection=${r.args[0]} .recordId=${''} .nodeId=${r.query.node ?? ''}></caiji-record-page>`,
  self: () => html`<caiji-self-page></caiji-self-page>`,
  progress: (r) => html`<caiji-progress-page .nodeId=${r.args[0] ?? ''}></caiji-progress-page>`,
  codes: (r) => html`<caiji-codes-page .table=${r.args[0] ?? ''}></caiji-codes-page>`,
  recode: (r) => html`<caiji-recode-page .nodeId=${r.args[0] ?? ''}></caiji-recode-page>`,
  import: (r) => html`<caiji-import-page .collection=${r.args[0] ?? ''} .nodeId=${r.args[1] ?? ''}></caiji-import-page>`,
  account: () => html`<caiji-account-page></caiji-account-page>`,
  grants: (r) => html`<caiji-grants-page .nodeId=${r.args[0] ?? ''}></caiji-grants-page>`,
  audit: (r) => html`<caiji-audit-page .query=${r.query}></caiji-audit-page>`,
  query: (r) => html`<caiji-query-page .collection=${r.args[0] ?? ''} .nodeId=${r.args[1] ?? ''}></caiji-query-page>`,
  stats: (r) => html`<caiji-stats-page .collection=${r.args[0] ?? ''} .nodeId=${r.args[1] ?? ''}></caiji-stats-page>`,
  studio: (r) => html`<caiji-studio-page .section=${r.args[0] ?? ''} .item=${r.args[1] ?? ''} .focusPath=${r.query.focus ?? ''}></caiji-studio-page>`,
  'not-found': () => html`<section class="panel"><h1 tabindex="-1">页面不存在</h1><p><a href=${homeOf()}>返回首页</a></p></section>`,
};
