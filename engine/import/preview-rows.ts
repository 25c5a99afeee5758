/**
 * The rows of an import preview as data: what the preview shows, what the storage port keeps
 * between upload and commit (ImportPreviews) and counts in the import log. Types only, importing
 * nothing of the import's code, so the port and its adapters depend on these shapes and not on
 * the import itself.
 */
export type RowAction = 'new' | 'changed' | 'unchanged' | 'invalid';

export interface RowError {
  /** JSON pointer of the field ('' for the row as a whole). */
  path: string;
  /** Column of the file (0-based) the error belongs to, when the field has one. */
  column?: number;
  /** A child table's sheet the error is on (absent: the main sheet), and its line there. */
  sheet?: string;
  line?: number;
  message: string;
}

export interface PreviewRow {
  /** Row number in the file (1-based, as a spreadsheet shows it). */
  row: number;
  /**
   * A child sheet, for a row that is not on the main sheet: a stored record whose table the
   * child sheet alone changes (`row` is its first line there), or a line naming no record.
   */
  sheet?: string;
  action: RowAction;
  title: string | null;
  /** The existing record a row updates, and the version it was read at. */
  id?: string;
  version?: number;
  data?: Record<string, unknown>;
  /** Field by field, as the audit will record it (a child table by its changed rows). */
  changes?: Record<string, [unknown, unknown]>;
  errors: RowError[];
}

