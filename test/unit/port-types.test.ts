/**
 * The storage port owns its vocabulary (issue 18/24), checked on the source: the data types the
 * core and both adapters speak are declared in engine/port-types/ and re-exported by
 * engine/ports.ts, never borrowed from an adapter. So neither file set imports from an adapter;
 * port-types imports nothing of engine/storage/ at all, and ports.ts takes from there only the
 * contract's shared values (engine/storage/common/: the write refusal, ids, keys, diffs …).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const engineDir = join(import.meta.dirname, '../../engine');
const typesDir = join(engineDir, 'port-types');

interface ModuleRef { file: string; typeOnly: boolean; from: string }

/** Every `import … from` / `export … from` of a file (statements may span lines). */
function references(file: string): ModuleRef[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?\bfrom\s+'([^']+)'/gm)]
    .map((m) => ({ file: file.slice(engineDir.length + 1), typeOnly: !!m[1], from: m[2] }));
}

const intoStorage = (r: ModuleRef) => /(^|\/)storage\//.test(r.from);

describe('the storage port declares its own data types', () => {
  it('port-types exists and imports nothing from engine/storage/', () => {
    const files = readdirSync(typesDir).filter((f) => f.endsWith('.ts')).map((f) => join(typesDir, f));
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap(references).filter(intoStorage)).toEqual([]);
  });

  it('ports.ts takes no type from engine/storage/ and nothing from an adapter', () => {
    const refs = references(join(engineDir, 'ports.ts'));
    expect(refs.filter((r) => intoStorage(r) && (r.typeOnly || !r.from.startsWith('./storage/common/')))).toEqual([]);
    // It does re-export the port's types from port-types (guards against the check passing on an empty parse).
    expect(refs.some((r) => r.from.startsWith('./port-types/'))).toBe(true);
  });
});
