import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { generateTypes, generatedFile } from '../../engine/tools/gen-types.js';
import { repoRoot } from '../helpers/paths.js';

describe('generated types', () => {
  it('forms/generated/app-types.ts matches the schemas (run `npm run gen` after changing a schema)', async () => {
    const committed = readFileSync(generatedFile(repoRoot), 'utf8');
    expect(committed).toBe(await generateTypes(repoRoot));
    expect(committed).toMatch(/export (interface|type) MemberRecord\b/);
    expect(committed).toMatch(/export interface OrganizationRecord \{/);
    expect(committed).toMatch(/export interface UnitRecord \{/);
  });
});
