import { session } from '../api/session.js';
import type { EventInfo } from '../api/types.js';

/**
 * The collection an event acts on one record of, when its payload is just that record's id:
 * one required string property marked `"x-recordOf": "<collection>"` in the workflow config.
 * Such events are offered per row of that collection's table, not in the action bar.
 */
export function rowEventCollection(e: EventInfo): { collection: string; field: string } | null {
  const props = Object.entries<any>(e.payload?.properties ?? {});
  if (props.length !== 1 || !(e.payload?.required ?? []).includes(props[0][0])) return null;
  const [field, p] = props[0];
  if (p.type !== 'string') return null;
  const named = p['x-recordOf'];
  return typeof named === 'string' && session.app?.collections[named] ? { collection: named, field } : null;
}
