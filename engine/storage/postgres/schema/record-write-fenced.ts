import { recordsSchema } from './records.js';

/**
 * Migration 4: record_write with a 24th parameter, p_fence. Inside a transaction a key that a
 * concurrent write took and committed while this one waited raises 23505, which would abort the
 * caller's transaction; the caller used to fence every keyed write in a transaction by a SAVEPOINT
 * and its RELEASE — two more round trips per save that changes a unique key. Fenced, the function
 * writes inside a block of its own that catches the clash on unique_keys (PL/pgSQL rolls the block
 * back to its start, as the savepoint did: the record, its keys and its audit entry undone
 * together) and answers 'duplicate' like its other refusals. Unfenced (on the pool, where the call
 * is its own transaction) it writes as before, without the block's subtransaction.
 *
 * Built from version 1's text (schema/records.ts, which shipped and stays as it is): the same
 * guards, and the same writes, once fenced and once not.
 */
const v1 = recordsSchema.slice(recordsSchema.indexOf('  CREATE FUNCTION record_write('), recordsSchema.indexOf('  END $$;', recordsSchema.indexOf('  CREATE FUNCTION record_write(')) + '  END $$;'.length);
const WRITES_FROM = "    IF p_op = 'create' THEN\n";
const writes = v1.slice(v1.indexOf(WRITES_FROM), v1.indexOf('    RETURN NULL;\n  END $$;'));
const replaced = (text: string, from: string, to: string) => {
  if (!text.includes(from)) throw new Error(`record_write of version 1 changed: "${from.trim()}" not found`);
  return text.replace(from, to);
};

/** Version 4's record_write (its CREATE statement), the text migration 5 builds on (schema/region.ts). */
export const fenced = replaced(replaced(replaced(v1,
  'p_config_version integer\n  ) RETURNS', 'p_config_version integer, p_fence boolean\n  ) RETURNS'),
  '    v_node_path text;\n', '    v_node_path text;\n    v_table text;\n'),
  writes, `    IF p_fence AND p_keys IS NOT NULL THEN
      BEGIN
${writes}      EXCEPTION WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS v_table = TABLE_NAME;
        IF v_table = 'unique_keys' THEN
          RETURN 'duplicate';
        END IF;
        RAISE;
      END;
    ELSE
${writes}    END IF;
`);

export const recordWriteFencedSchema = `
  DROP FUNCTION record_write(text, text, text, text, text, text, text, jsonb, text, text, jsonb, boolean, jsonb,
    integer, integer, text, text, jsonb, text, text, jsonb, text, integer);
${fenced}
`;
