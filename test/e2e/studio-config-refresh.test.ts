/**
 * A page left open follows a publish made elsewhere: a branch admin's member list is open; a config
 * admin (a session of their own) publishes a draft that adds a list column; the branch admin's next
 * navigation shows the column — the answers carry the new config generation, the session reads the
 * manifest again and the page renders with it, without logging in again. On a copy of the app.
 */
import { it, expect } from 'vitest';
import { rmSync } from 'node:fs';
import { copyApp } from '../helpers/app-copy.js';
import { nodeId } from '../helpers/demo.js';
import { login, shot, e2eSuite, openPage } from './browser.js';

const appDir = copyApp();
const env = e2eSuite({ app: appDir, teardown: () => rmSync(appDir, { recursive: true, force: true }) });

const heads = (page: Awaited<ReturnType<typeof openPage>>) =>
  page.$$eval('caiji-record-table thead th', (ths) => ths.map((t) => t.textContent!.trim()));

it('an open member list shows a list column published meanwhile on its next navigation', async () => {
  const admin = await env.server.login('meiyu_admin');
  const branch = await nodeId(admin, '美域家园社区第二支部');
  const page = await openPage(env.browser, 'config-refresh');
  await login(page, env.server.url, 'meiyu_admin');
  await page.goto(`${env.server.url}/#/list/member/${branch}`);
  await page.waitForSelector('caiji-record-table tbody tr th a');
  expect(await heads(page)).not.toContain('籍贯');

  const cfg = await env.server.login('config_admin');
  const draft = (await cfg.post('/api/config/draft')).body;
  const app = JSON.parse((await cfg.get('/api/config/draft/files/forms/app.json')).body.content);
  app.collections.member.listColumns.push('nativePlace');
  const saved = await cfg.put('/api/config/draft/files/forms/app.json', { content: `${JSON.stringify(app, null, 2)}\n` }, draft.version);
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  const published = await cfg.post('/api/config/draft/publish', { note: '党员列表显示籍贯' }, { 'if-match': `"${saved.body.version}"` });
  expect(published.status, JSON.stringify(published.body)).toBe(200);

  // The next navigation: the list filtered by a state (the page was not reloaded).
  await page.evaluate((node) => { location.hash = `#/list/member/${node}?state=draft`; }, branch);
  await page.waitForFunction(() => [...document.querySelectorAll('caiji-record-table thead th')].some((t) => t.textContent!.trim() === '籍贯'));
  expect(await page.evaluate(() => location.hash)).toContain('state=draft');
  await shot(page, 'config-refresh-list');
});
