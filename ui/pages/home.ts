import { session } from '../api/session.js';
import { href } from '../router.js';

/** Where a user lands: the first granted node, or the own record for self-service accounts. */
export function homeOf(): string {
  const me = session.me;
  if (me?.grants.length) return href('browse', me.grants[0].node);
  if (session.selfRecord) return href('self');
  return href('not-found');
}
