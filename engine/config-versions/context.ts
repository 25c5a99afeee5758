import type { Storage } from '../ports.js';
import type { LiveConfig } from '../runtime/live-config.js';

/**
 * What the config-version services use of the engine: the storage parts they read and write
 * (versions, the draft, history; a publish's record migration and its audit entry; the accounts
 * whose display names the versions and history show), the live
 * config (the version in force and its runtime, swapped after a publish commits) and the
 * application folder the release's files come from. The engine is one; a test may hand its own.
 */
export interface ConfigContext {
  readonly storage: Pick<Storage, 'db' | 'unitOfWork' | 'configVersions' | 'records' | 'audit' | 'directory' | 'accounts'>;
  readonly config: LiveConfig;
  readonly appRoot: string;
}
