import type { Storage } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';

/**
 * What the account services use of the engine: the runtime in force (roles, permissions, the
 * collections' titles) and the storage parts they read and write — accounts, the records
 * accounts are bound to, the audit log, and the transaction that holds a change together.
 */
export interface AccountContext {
  readonly runtime: AppRuntime;
  readonly storage: Pick<Storage, 'db' | 'unitOfWork' | 'accounts' | 'records' | 'audit'>;
}
