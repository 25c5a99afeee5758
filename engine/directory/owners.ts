/**
 * Who loads a shared lookup directory, and whose rows an upload may replace. The directory is
 * read by every subtree's lookup, so only a power that reaches the whole tree loads it: the
 * global `config` permission (counted only when granted on the tree's root) or `write` on the
 * root (a root admin). Every row remembers where its loader's authority lay (the granted node's
 * path); a later upload replaces only rows loaded inside its own uploader's paths.
 */
import type { Permissions } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import type { DirectoryLoader } from '../ports.js';
import { domainForbidden } from '../errors.js';

/** A tree root's path has one segment: '/<root id>/'. */
const isTreeRoot = (path: string) => /^\/[^/]+\/$/.test(path);

/** The authority an upload runs under: the grant's path stored on each row, and the paths whose rows it may replace. */
export interface LoadAuthority {
  by: string | null;
  path: string | null;
  /** null: the machine's operator (npm run admin), above every subtree. */
  ownPaths: string[] | null;
}

/** The user's authority to load the shared directory, or a 403 in Chinese. */
export function loadAuthority(permissions: Permissions, user: Principal, title: string): LoadAuthority {
  const configRoots = permissions.paths(user, 'config').filter(isTreeRoot);
  const writeRoots = permissions.paths(user, 'write').filter(isTreeRoot);
  const path = configRoots[0] ?? writeRoots[0];
  if (!path) {
    throw domainForbidden(`${title}目录为全体共用，只有配置管理员或最高一级的管理员可以导入`);
  }
  return { by: user.username, path, ownPaths: [...new Set([...configRoots, ...permissions.paths(user, 'write')])] };
}

/**
 * Whether an upload with these paths may replace a row loaded as `loader` says: the row was
 * loaded inside one of them. A row of an older database whose loader's place is unknown (null)
 * is replaced only by someone loading at a tree root.
 */
export function mayReplace(ownPaths: string[] | null, loader: Pick<DirectoryLoader, 'path'>): boolean {
  if (ownPaths === null) return true;
  const stored = loader.path;
  if (stored === null) return ownPaths.some(isTreeRoot);
  return ownPaths.some((p) => stored.startsWith(p));
}

/**
 * Whether a lookup by this user may answer with a row: rows loaded at a tree root (or of unknown
 * place, from older databases) are shared by all; a row loaded lower down (an older database's
 * upload by a subtree admin) serves only that subtree, so it cannot mislead anybody else.
 */
export function visibleTo(permissions: Permissions, user: Principal | undefined, loader: Pick<DirectoryLoader, 'path'>): boolean {
  if (!user || loader.path === null || isTreeRoot(loader.path)) return true;
  return permissions.onPath(user, 'read', loader.path);
}

/** Who loaded a row, as a person reads it: the account's name, its username, or the command line. */
export const loaderName = (loader: DirectoryLoader) => loader.byName ?? loader.by ?? '命令行';
