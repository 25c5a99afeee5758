import { configJson } from '../source.js';
import type { ConfigCheck } from './types.js';

/** Every `permission` guard of a workflow config with its place ("states.a.on.B[0].guard.guards[1]"). */
function permissionGuards(value: unknown, at: string, out: { at: string; permission: unknown }[] = []) {
  if (Array.isArray(value)) value.forEach((v, i) => permissionGuards(v, `${at}[${i}]`, out));
  else if (value && typeof value === 'object') {
    const v = value as Record<string, any>;
    if (v.type === 'permission' && v.params && 'permission' in v.params) out.push({ at, permission: v.params.permission });
    for (const [k, x] of Object.entries(v)) if (k !== 'params' || v.type === 'all' || v.type === 'any') permissionGuards(x, at ? `${at}.${k}` : k, out);
  }
  return out;
}

/**
 * A guard that asks for a permission no role of app.json grants can never pass: the event
 * would be offered to nobody, for ever. (Workflows loaded before this runs, so they parse.)
 */
export const guardPermissionsCheck: ConfigCheck = (app, rt) => {
  const held = new Set(Object.values(app.manifest.roles).flatMap((r) => r.permissions));
  const out: string[] = [];
  for (const name of rt.workflows.keys()) {
    const cfg = configJson<unknown>(app.source, `workflows/${name}.json`, []);
    for (const g of permissionGuards(cfg, '')) {
      if (!held.has(g.permission as string)) {
        out.push(`workflows/${name}.json: ${g.at}: 权限 "${String(g.permission)}" 没有任何角色拥有（app.json roles 中有：${[...held].join('、')}），这个事件永远无法执行`);
      }
    }
  }
  return out;
};
