import type { ConfigContext } from './context.js';

/**
 * The people the config versions, the draft and the config history name, by their display names
 * (as the audit view shows its actors): the rows keep the username (the key, shown on hover), the
 * answer adds the name. A username without an account (the system, an account since removed)
 * gets no name; the UI then shows the username.
 */
export async function displayNames(ctx: Pick<ConfigContext, 'storage'>, usernames: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  // A handful of distinct config admins: one read each.
  for (const u of new Set(usernames)) {
    if (!u) continue;
    const row = await ctx.storage.accounts.byName(ctx.storage.db, u);
    if (row) names.set(u, row.display_name);
  }
  return names;
}

/** The versions, newest first, each with its author's display name (authorName). */
export async function listVersions(ctx: Pick<ConfigContext, 'storage'>) {
  const items = await ctx.storage.configVersions.list(ctx.storage.db);
  const names = await displayNames(ctx, items.map((v) => v.author));
  return items.map((v) => ({ ...v, authorName: (v.author && names.get(v.author)) ?? null }));
}

/** The latest `limit` config history entries before `before`, each with its actor's display name (actorName). */
export async function listHistory(ctx: Pick<ConfigContext, 'storage'>, limit: number, before?: number) {
  const items = await ctx.storage.configVersions.history(ctx.storage.db, limit, before);
  const names = await displayNames(ctx, items.map((h) => h.actor));
  return items.map((h) => ({ ...h, actorName: (h.actor && names.get(h.actor)) ?? null }));
}
