import { configJson } from '../source.js';
import type { ConfigCheck } from './types.js';

interface DemoFile {
  collection?: string;
  records?: Record<string, unknown>[];
  users?: { username?: string; self?: string; grants?: { role?: string; node?: string }[] }[];
}

/**
 * The manifest's demo files, checked as the demo loader (engine/seed/demo.ts) would load them:
 * every record valid against its collection's schema and rules, every "@key" naming a record of
 * an earlier file, every role and state known. Otherwise the server would refuse to start on an
 * empty database.
 */
export const demoDataCheck: ConfigCheck = (app, rt) => {
  const out: string[] = [];
  const keys = new Set<string>();
  for (const file of app.manifest.demo ?? []) {
    const path = `forms/${file}`;
    const content = configJson<DemoFile>(app.source, path, out);
    if (!content) continue;
    const c = content.records ? app.collections.get(content.collection ?? '') : undefined;
    if (content.records && !c) out.push(`${path}: /collection: 集合 "${content.collection}" 不存在`);
    const wf = c ? rt.workflowOf(c) : undefined;
    (c ? content.records ?? [] : []).forEach((raw, i) => {
      const at = `${path}: /records/${i}`;
      const data: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(raw)) {
        if (k.startsWith('$')) continue;
        if (typeof v === 'string' && v.startsWith('@')) {
          if (!keys.has(v.slice(1))) out.push(`${at}/${k}: 引用了前面没有的记录 ${v}`);
          data[k] = 'demo-reference';
        } else data[k] = v;
      }
      for (const e of rt.validator(c!.name).validate(data, data)) out.push(`${at}${e.path}: ${e.message}`);
      if (typeof raw.$state === 'string' && !wf?.stateTitles.has(raw.$state)) out.push(`${at}/$state: 状态 "${raw.$state}" 不存在`);
      (Array.isArray(raw.$events) ? raw.$events : []).forEach((e: any, j: number) => {
        if (!wf?.events.has(e?.type)) out.push(`${at}/$events/${j}/type: 事件 "${e?.type}" 不存在`);
      });
      if (typeof raw.$key === 'string') keys.add(raw.$key);
    });
    (content.users ?? []).forEach((u, i) => {
      if (u.self && !keys.has(u.self.slice(1))) out.push(`${path}: /users/${i}/self: 引用了前面没有的记录 ${u.self}`);
      (u.grants ?? []).forEach((g, j) => {
        if (!app.manifest.roles[g.role ?? '']) out.push(`${path}: /users/${i}/grants/${j}/role: 角色 "${g.role}" 未在 app.json 中声明`);
        if (!keys.has(String(g.node ?? '').slice(1))) out.push(`${path}: /users/${i}/grants/${j}/node: 引用了前面没有的记录 ${g.node}`);
      });
    });
  }
  return out;
};
