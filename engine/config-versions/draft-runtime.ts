import type { DraftRow, Storage } from '../ports.js';
import { AppRuntime } from '../runtime/runtime.js';
import { ConfigError, loadApp } from '../config/load-app.js';
import { domainInvalid, domainNotFound } from '../errors.js';
import { sourceOf } from './snapshot.js';
import { problemDetail } from './check.js';

/**
 * The open draft compiled as a runtime of its own, one per engine, kept until the draft changes
 * (a save bumps its version; a new draft has a new creation time). Only loading must pass
 * (manifest, schemas, code tables, workflows, every template compiled): a preview works while
 * another document still has a problem that only a publish refuses (a warning, a migration step
 * still to write). The published runtime is never touched.
 */
const compiled = new WeakMap<DraftSource, { key: string; runtime: Promise<AppRuntime> }>();

/** Where the draft is read (the engine): its storage and the folder its files' relative paths resolve in. */
export interface DraftSource {
  readonly storage: Pick<Storage, 'db' | 'configVersions'>;
  readonly appRoot: string;
}

const keyOf = (d: DraftRow) => `${d.createdAt}|${d.base}|${d.version}`;

export async function draftRuntime(engine: DraftSource, what = '预览'): Promise<{ runtime: AppRuntime; draft: DraftRow }> {
  const draft = await engine.storage.configVersions.draft(engine.storage.db);
  if (!draft) throw domainNotFound('配置草稿');
  let hit = compiled.get(engine);
  if (hit?.key !== keyOf(draft)) {
    hit = { key: keyOf(draft), runtime: Promise.resolve().then(() => new AppRuntime(loadApp(sourceOf(draft.files, engine.appRoot)))) };
    compiled.set(engine, hit);
  }
  try {
    return { runtime: await hit.runtime, draft };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw domainInvalid(err.problems.map(problemDetail), `草稿的配置无法加载，${what}不可用：请先改正草稿中的错误`);
  }
}

/**
 * The engine as seen through the draft: the same database, records and services, but config
 * (collections, templates, code tables, permissions) from the draft's runtime. What renders with
 * it — documents above all — is exactly what users will get once the draft is published.
 */
export function engineWithRuntime<E extends { readonly runtime: AppRuntime }>(engine: E, runtime: AppRuntime): E {
  return { ...engine, runtime };
}
