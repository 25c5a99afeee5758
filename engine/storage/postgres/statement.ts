/**
 * A statement of the hot paths (every request, every save) under a name of its own: PostgreSQL
 * parses and plans it once per connection and then only binds and runs it, where an unnamed
 * statement is parsed and planned again on every call. The driver remembers which of its
 * connections has prepared which name (a new connection prepares it again). Only for fixed texts:
 * each name holds one text, and every name stays on every connection for its lifetime.
 */
export interface PgStatement {
  readonly name: string;
  readonly text: string;
}

/** A named statement (see PgStatement); names are unique across the adapter. */
export const statement = (name: string, text: string): PgStatement => ({ name, text });
