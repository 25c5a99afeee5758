import { expect } from 'vitest';
import type { E2EPage } from './browser.js';
import { Client } from '../helpers/client.js';

/**
 * Ends the page's session from outside the page, as a logout in another tab does: another client
 * with the page's cookie logs out. From then on every API request of the page is refused 401,
 * declared here as the refusal the test provokes.
 */
export async function logOutElsewhere(page: E2EPage, base: string) {
  const cookies = await page.browserContext().cookies();
  const other = new Client(base);
  other.cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  expect((await other.get('/api/me')).status).toBe(200); // the same session, and its CSRF token
  expect((await other.post('/api/logout')).status).toBe(200);
  expect((await other.get('/api/me')).status).toBe(401);
  page.expectApiFailure(/^[A-Z]+ \/api\//, 401);
}
