import { AppRuntime } from '../../engine/runtime/runtime.js';
import type { ConfigSource } from '../../engine/config/source.js';

/**
 * A draft of an application's config as a config admin would make it: the published snapshot's
 * files copied, some edited, loaded as a runtime of its own (the published one is untouched).
 */
export function draftOf(published: AppRuntime, edits: Record<string, (text: string) => string>): AppRuntime {
  const files = new Map(published.config.source.files);
  for (const [path, edit] of Object.entries(edits)) {
    const before = files.get(path);
    if (typeof before !== 'string') throw new Error(`draftOf: no text file ${path}`);
    files.set(path, edit(before));
  }
  const source: ConfigSource = { root: '', files };
  return AppRuntime.load(source);
}

/** An edit of a JSON document: `change` receives the parsed document and changes it in place. */
export const json = (change: (doc: any) => void) => (text: string) => {
  const doc = JSON.parse(text);
  change(doc);
  return JSON.stringify(doc, null, 2);
};

/** Renames a workflow state everywhere its file names it (state key, targets, initial). */
export const renameState = (from: string, to: string) => (text: string) => text.replaceAll(`"${from}"`, `"${to}"`);
