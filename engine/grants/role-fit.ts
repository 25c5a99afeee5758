import type { RoleConfig } from '../config/types.js';

/** Whether a role fits a tree node by the node's kind (its `nodeKinds` field and values); no rule fits all. */
export function roleFitsNode(role: RoleConfig, node: { data: Record<string, unknown> }): boolean {
  if (!role.nodeKinds) return true;
  const value = node.data[role.nodeKinds.field];
  return typeof value === 'string' && role.nodeKinds.values.includes(value);
}
