/**
 * Materialized tree paths: '/<root id>/…/<node id>/'. A grant covers every path that starts with
 * its node's path; storage turns a path into a range scan. Shared by the permission predicate and
 * the storage adapters, so neither imports the other for it.
 */

/** Paths end in '/', and '0' sorts right after '/': [p, upper) is exactly the subtree of p. */
export function pathUpperBound(path: string): string {
  return path.slice(0, -1) + '0';
}

/** The root of the tree has a path of one segment: '/<root id>/'. */
export function isRootPath(path: string): boolean {
  return path.indexOf('/', 1) === path.length - 1;
}

/** The path of the root of the tree a path lies in. */
export function rootPathOf(path: string): string {
  return path.slice(0, path.indexOf('/', 1) + 1);
}

/** The id of the node a path ends in: '/a/b/' → 'b'. */
export function nodeOfPath(path: string): string {
  return path.split('/').at(-2) ?? '';
}
