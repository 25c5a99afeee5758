import type { Storage } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { RecordService } from '../records/service.js';
import type { ListContext } from '../records/query.js';

/** What reading an upload against the stored data needs: tree nodes and records by key, under the runtime's config and grants. */
export interface ImportReadContext {
  readonly storage: Pick<Storage, 'db' | 'records' | 'uniqueKeys'>;
  readonly runtime: AppRuntime;
}

/**
 * What bulk import and export use of the engine: the records and keys they read, the list an
 * export pages through, the kept previews and the import log, and the record service every row
 * is written through (so each write runs the service's checks and hooks). The engine fits it.
 */
export interface ImportContext extends ImportReadContext, ListContext {
  readonly storage: Pick<Storage, 'db' | 'unitOfWork' | 'records' | 'subtreeStats' | 'uniqueKeys' | 'importLog' | 'importPreviews'>;
  readonly records: Pick<RecordService, 'createMany' | 'update'>;
}
