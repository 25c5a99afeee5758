import { checkCodeTable } from '../../codes/check-table.js';
import type { ConfigCheck } from './types.js';

/** Every code table obeys the table rules (unique codes, replacements exist …). */
export const codeTablesCheck: ConfigCheck = (app) =>
  [...app.codes.entries()].flatMap(([name, table]) => checkCodeTable(table, name).map((e) => `forms/codes/${name}.json: ${e.path || '/'}: ${e.message}`));
