/**
 * A counter bumped after every write that can change who may do what: grants added or removed,
 * accounts created, sessions ended, records deleted (grants and account bindings cascade) and
 * tree paths moved (a grant covers its node's path). A cache of principals keeps an entry only
 * while the counter is where it was when the entry was read. Database bumps it once more after
 * committing a transaction that bumped it, so nothing read before the commit outlives it.
 * Process-wide on purpose: a bump meant for another database only costs a cache miss.
 */
let epoch = 0;

export const authEpoch = {
  current: (): number => epoch,
  bump: (): void => {
    epoch += 1;
  },
};
