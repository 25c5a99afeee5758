/**
 * Answers arrive in any order: a page that asks again before the last answer came (the user
 * clicked on, or the record changed) must not let the older answer overwrite the newer one.
 *
 *   private latest = latestOnly();
 *   const current = this.latest();          // a ticket for this request
 *   const answer = await api.get(...);
 *   if (!current()) return;                  // a newer request was made meanwhile: drop this answer
 */
export function latestOnly(): () => () => boolean {
  let newest = 0;
  return () => {
    const mine = ++newest;
    return () => mine === newest;
  };
}
