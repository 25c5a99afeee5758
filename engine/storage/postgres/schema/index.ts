import { recordsSchema } from './records.js';
import { queriesSchema } from './queries.js';
import { operationsSchema } from './operations.js';
import { accountsSchema } from './accounts.js';

/**
 * The pieces of the PostgreSQL schema's first version, in the order they run (one transaction):
 * records first (the tables others refer to), then accounts and config, then the rest. Each
 * helper's piece is one line here; migrations.ts joins them into version 1.
 */
export const schemaPieces: { part: string; sql: string }[] = [
  { part: 'records', sql: recordsSchema },
  { part: 'queries', sql: queriesSchema },
  // accounts, config
  { part: 'accounts and config', sql: accountsSchema },
  { part: 'operations', sql: operationsSchema },
];
