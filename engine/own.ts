/**
 * `obj[key]` only when `obj` itself holds `key`. Config blocks (collections' documents, roles,
 * assets, schema properties …) are plain objects, and a key chosen by a client — a document
 * name in a URL, a role in a body, a header cell — may be "__proto__", "constructor" or
 * "toString": indexed directly, those reach Object.prototype and pass as declared entries
 * (a 500 at best, a role without permissions at worst). Every lookup by a client string uses this.
 */
export function own<T>(obj: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return obj != null && typeof obj === 'object' && Object.hasOwn(obj, key) ? obj[key] : undefined;
}
