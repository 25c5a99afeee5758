/** Hash routes: '#/name/a/b?x=1' → {name:'name', args:['a','b'], query:{x:'1'}}. */
export interface Route {
  name: string;
  args: string[];
  query: Record<string, string>;
}

export function currentRoute(): Route {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, search = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { name: parts[0] ?? '', args: parts.slice(1), query: Object.fromEntries(new URLSearchParams(search)) };
}

/** The href of a route, e.g. href('list', 'member', nodeId). */
export function href(name: string, ...args: (string | Record<string, string | undefined>)[]): string {
  const query = args.find((a) => typeof a === 'object') as Record<string, string | undefined> | undefined;
  const path = [name, ...args.filter((a): a is string => typeof a === 'string').map(encodeURIComponent)].join('/');
  const q = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v) as [string, string][]).toString() : '';
  return `#/${path}${q ? `?${q}` : ''}`;
}

export function navigate(to: string, replace = false) {
  if (replace) history.replaceState(null, '', to);
  else location.hash = to.replace(/^#/, '');
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}
