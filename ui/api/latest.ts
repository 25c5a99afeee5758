/**
 * Answers arrive in any order: a page that asks again before the last answer came (the user
 * clicked on, or the record changed) must not let the older answer overwrite the newer one.
 *
 *   private latest = latestOnly();
 *   const current = this.latest();          // a ticket for this request
 *   const answer = await api.get(...);
 *   if (!current()) return;                  // a newer request was made meanwhile: drop this answer
 *
 * New code loads through a Task of @lit/task instead (README: Architecture), which also cancels the
 * overtaken request; this is left for the pages not moved to it yet (query, stats, recode).
 */
export function latestOnly(): () => () => boolean {
  let newest = 0;
  return () => {
    const mine = ++newest;
    return () => mine === newest;
  };
}
