/**
 * Tree-node fields derived from the people granted roles on the node (app.json
 * `derivedFromGrants` on the tree collection), e.g. an organization's secretary, contact person
 * and contact phone. Recomputed in the writing transaction when grants change or when a record
 * bound to a grant holder changes.
 */
import type { NodeGrant, Storage, StoredRecord, Tx } from '../ports.js';
import type { Actor } from '../auth/actor.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { RecordService } from '../records/service.js';

/** What the derived fields are computed from and written through (the node is written by the record service). */
export interface DerivedContext {
  readonly storage: Pick<Storage, 'records' | 'grants'>;
  readonly runtime: AppRuntime;
  readonly records: RecordService;
}

/** Recomputes one node's derived fields; writes the node (audited) only when a value changed. */
export async function recomputeDerived({ storage, runtime, records }: DerivedContext, tx: Tx, actor: Actor, nodeId: string): Promise<void> {
  const tree = runtime.tree;
  const spec = tree.derivedFromGrants;
  if (!spec) return;
  const node = await storage.records.get(tx, nodeId);
  if (!node || node.collection !== tree.name) return;
  const grants = await storage.grants.onNode(tx, nodeId);
  const bound = new Map<string, StoredRecord>();
  for (const g of grants) {
    const r = g.selfRecord ? await storage.records.get(tx, g.selfRecord) : undefined;
    if (r) bound.set(g.userId, r);
  }
  const data = { ...node.data };
  for (const [field, d] of Object.entries(spec)) {
    // Holders in the order of the roles listed; among them, people with a bound record first.
    const holders = d.roles.flatMap((role) => grants.filter((g) => g.role === role));
    const holder: NodeGrant | undefined = holders.find((g) => bound.has(g.userId)) ?? holders[0];
    const value = holder ? bound.get(holder.userId)?.data[d.field] ?? (d.fallback === 'displayName' ? holder.displayName : undefined) : undefined;
    if (value === undefined || value === null || value === '') delete data[field];
    else data[field] = value;
  }
  if (JSON.stringify(data) === JSON.stringify(node.data)) return;
  await records.update({ name: actor.name }, tree.name, nodeId, data, node.version, tx);
}

/**
 * Whether a write of `record` can change a derived field: a record of another collection than the
 * tree's whose fields read by `derivedFromGrants` changed (only its bound account's nodes read it).
 */
export function derivedInputsChanged(runtime: AppRuntime, record: StoredRecord, before: StoredRecord): boolean {
  const spec = runtime.tree.derivedFromGrants;
  if (!spec || record.collection === runtime.tree.name) return false;
  return Object.values(spec).some((d) => JSON.stringify(record.data[d.field]) !== JSON.stringify(before.data[d.field]));
}

/** After a record was written: recompute the nodes where its bound account holds grants, when a field they read changed. */
export async function keepDerivedFields(ctx: DerivedContext, tx: Tx, actor: Actor, record: StoredRecord, before: StoredRecord): Promise<void> {
  if (!derivedInputsChanged(ctx.runtime, record, before)) return;
  for (const nodeId of await ctx.storage.grants.nodesOfBoundRecord(tx, record.id)) await recomputeDerived(ctx, tx, actor, nodeId);
}
