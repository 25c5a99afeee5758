import type { Principal } from './principal.js';

/** Who does something to records: a person (their principal's grants are checked) or the system. */
export interface Actor {
  /** Username written to the audit log; null for the system (seeding). */
  name: string | null;
  /** The principal whose grants are checked; undefined for the system, which may do anything. */
  principal?: Principal;
}

/** The actor of a logged-in user's request. */
export const actorOf = (principal: Principal): Actor => ({ name: principal.username, principal });
