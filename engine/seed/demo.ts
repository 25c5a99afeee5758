import { configText } from '../config/source.js';
import { hashPassword } from '../auth/password.js';
import { newId, type Storage, type Tx } from '../ports.js';
import type { AppRuntime } from '../runtime/runtime.js';
import type { RecordService } from '../records/service.js';
import { recomputeDerived, type DerivedContext } from '../grants/derived.js';
import { applyEvent } from '../workflow/runtime.js';
import type { WorkflowDeps } from '../workflow/types.js';

/** Who the history names for the demo data's own writes. */
const DEMO_ACTOR = '演示数据';

interface RecordsFile { collection: string; records: Record<string, unknown>[] }
interface UsersFile {
  users: { username: string; password: string; displayName: string; grants?: { role: string; node: string }[]; self?: string }[];
}

export interface DemoLogin { username: string; password: string; displayName: string; roles: string }

/**
 * What loading the demo uses (the engine is one): the runtime whose manifest names the demo files,
 * the record service every record is created through, and the storage that workflow events,
 * derived fields, accounts and grants are written to.
 */
export interface DemoContext {
  readonly storage: WorkflowDeps['storage'] & DerivedContext['storage'] & Pick<Storage, 'db' | 'unitOfWork' | 'accounts' | 'grants' | 'records' | 'seedLock'>;
  readonly runtime: AppRuntime;
  readonly records: RecordService;
}

/** "@key" refers to a record named by "$key" earlier in the demo files. */
function resolve(value: unknown, keys: Map<string, { id: string; collection: string; label: string }>, where: string): unknown {
  if (typeof value !== 'string' || !value.startsWith('@')) return value;
  const hit = keys.get(value.slice(1));
  if (!hit) throw new Error(`${where}: 演示数据引用了不存在的 ${value}`);
  return hit.id;
}

/**
 * Loads the manifest's demo files into an empty database, in one transaction, through the same
 * record service (validation, unique keys, audit) as every other write. Returns the demo logins:
 * none when the database is no longer empty once the transaction holds the seed lock — instances
 * started together on one empty database each found it empty, and one of them seeded it first
 * (its process prints the logins; the others start on its data).
 */
export async function loadDemo(engine: DemoContext): Promise<DemoLogin[]> {
  const { accounts } = engine.storage;
  const files = engine.runtime.config.manifest.demo ?? [];
  const logins: DemoLogin[] = [];
  await engine.storage.unitOfWork.transaction(engine.storage.db, async (tx) => {
    await engine.storage.seedLock.hold(tx);
    if (!(await engine.storage.records.none(tx))) return;
    const keys = new Map<string, { id: string; collection: string; label: string }>();
    const replays: { collection: string; id: string; events: { type: string; as: string }[]; where: string }[] = [];
    for (const file of files) {
      // From the config snapshot the check validated, not the disk.
      const content = JSON.parse(configText(engine.runtime.config.source, `forms/${file}`) ?? '{}') as Partial<RecordsFile & UsersFile>;
      for (const raw of content.records ?? []) {
        const { $key, $state, $events, ...fields } = raw;
        const data = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, resolve(v, keys, file)]));
        const id = newId();
        try {
          await engine.records.create({ name: DEMO_ACTOR }, content.collection!, data, tx, { id, legacy: true });
        } catch (err) {
          throw new Error(`${file} ${String($key ?? '')}: ${(err as Error).message}`);
        }
        if (typeof $state === 'string') await setDemoState(engine, tx, content.collection!, id, $state, `${file} ${String($key ?? '')}`);
        if (Array.isArray($events)) replays.push({ collection: content.collection!, id, events: $events, where: `${file} ${String($key ?? '')}` });
        const c = engine.runtime.collection(content.collection!);
        const label = String(data[c.isTree ? engine.runtime.config.tree.labelField : c.titleField ?? ''] ?? $key);
        if (typeof $key === 'string') keys.set($key, { id, collection: content.collection!, label });
      }
      for (const u of content.users ?? []) {
        const self = u.self ? keys.get(u.self.slice(1)) : undefined;
        if (u.self && !self) throw new Error(`${file}: 用户 ${u.username} 引用了不存在的 ${u.self}`);
        const userId = await accounts.create(tx, {
          username: u.username, passwordHash: await hashPassword(u.password), displayName: u.displayName,
          self: self ? { collection: self.collection, recordId: self.id } : undefined,
        });
        for (const g of u.grants ?? []) {
          if (!engine.runtime.config.manifest.roles[g.role]) throw new Error(`${file}: 用户 ${u.username} 的角色 ${g.role} 未在 app.json 中声明`);
          await accounts.grant(tx, userId, g.role, resolve(g.node, keys, file) as string);
        }
        const roles = [
          ...(u.grants ?? []).map((g) => `${keys.get(g.node.slice(1))?.label}·${engine.runtime.config.manifest.roles[g.role].title}`),
          ...(self ? [`本人：${self.label}`] : []),
        ].join(', ');
        logins.push({ username: u.username, password: u.password, displayName: u.displayName, roles });
      }
    }
    // "$events": workflow events replayed as the named users once they exist, with real guards
    // and audit entries, so the demo shows records in every state with their history.
    for (const r of replays) {
      for (const { as, ...event } of r.events) {
        const principal = await accounts.principalByName(tx, as);
        if (!principal) throw new Error(`${r.where}: $events 引用了不存在的用户 ${as}`);
        try {
          await applyEvent(engine, tx, { name: as, principal }, r.collection, r.id, event);
        } catch (err) {
          throw new Error(`${r.where}: ${event.type} (${as}): ${(err as Error).message}`);
        }
      }
    }
    for (const node of await engine.storage.grants.grantedNodes(tx)) {
      await recomputeDerived(engine, tx, { name: DEMO_ACTOR }, node);
    }
  });
  return logins;
}

/** "$state" in a demo record: the workflow state it starts in (one the machine declares). */
async function setDemoState(engine: DemoContext, tx: Tx, collection: string, id: string, state: string, where: string) {
  const wf = engine.runtime.workflowOf(engine.runtime.collection(collection));
  if (!wf?.stateTitles.has(state)) throw new Error(`${where}: $state "${state}" 不是流程的状态`);
  await engine.storage.records.placeInState(tx, id, state);
}

/** Whether the database holds no records yet (demo data goes only into an empty database). */
export async function isEmpty(engine: { readonly storage: Pick<Storage, 'db' | 'records'> }): Promise<boolean> {
  return engine.storage.records.none(engine.storage.db);
}
