import type { PropertyValues } from 'lit';
import { LightElement } from './light-element.js';
import { session } from '../api/session.js';

/**
 * An element that draws from the session (the manifest, the user's grants). When the session
 * goes — a 401 because the user logged out in another tab or on another instance, or an admin
 * reset the password — the shell clears it and puts the login page in place of the page; answers
 * still arriving for the old page (its tasks' refusals) would re-draw it from a manifest that is
 * no longer there. Without a session it draws nothing more, and starts no task: it is on its way out.
 */
export class SessionElement extends LightElement {
  protected override shouldUpdate(changed: PropertyValues): boolean {
    return session.me !== null && session.app !== null && super.shouldUpdate(changed);
  }
}
