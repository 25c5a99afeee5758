import type { Principal } from '../auth/principal.js';
import type { Engine } from '../engine.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The logged-in user, when the request carries a valid session. */
    user: Principal | undefined;
    engine: Engine;
  }
}

export {};
