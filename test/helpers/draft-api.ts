import { expect } from 'vitest';
import type { Client } from './client.js';

/**
 * A config admin's draft through the HTTP API, as the studio's draft store drives it: opened,
 * documents read and saved with the draft's version (each save must succeed and moves it on).
 */
export class DraftApi {
  version = 0;
  constructor(private readonly cfg: Client) {}

  /** Opens the draft; the answer as the server gives it. */
  async open() {
    const res = await this.cfg.post('/api/config/draft');
    this.version = res.body.version;
    return res;
  }

  async text(path: string): Promise<string> {
    return (await this.cfg.get(`/api/config/draft/files/${path}`)).body.content as string;
  }

  /** Saves a document (expects 200) and answers the draft as it now stands. */
  async save(path: string, content: string) {
    const res = await this.cfg.put(`/api/config/draft/files/${path}`, { content }, this.version);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    this.version = res.body.version;
    return res.body;
  }
}
