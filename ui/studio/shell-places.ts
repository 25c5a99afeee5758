import type { FieldError } from '../api/types.js';
import { href } from '../router.js';

/** The parts of forms/app.json the shell needs to name the draft's documents. */
export interface ManifestDoc {
  title?: string;
  collections?: Record<string, { title?: string; schema?: string; documents?: Record<string, { title?: string; template?: string }> }>;
  roles?: Record<string, { title?: string }>;
  publishNeedsSecondAdmin?: boolean;
}

export const MANIFEST = 'forms/app.json';
export const MIGRATIONS = 'migrations.json';

/** The studio's sections, in the order of its navigation. */
export const SECTIONS = [
  ['forms', '表单'],
  ['codes', '代码表'],
  ['workflows', '流程'],
  ['templates', '打印模板'],
  ['manifest', '应用设置'],
] as const;
export type Section = (typeof SECTIONS)[number][0];

/** One entry of the section navigation: an item of the draft and the document holding it. */
export interface NavItem { section: Section; item: string; title: string; path: string }

/** The href of a studio place, with the JSON pointer a section may focus (`?focus=`). */
export function studioHref(section?: string, item?: string, focus?: string): string {
  const args = [section, item].filter((a): a is string => !!a);
  return href('studio', ...args, ...(focus ? [{ focus }] : []));
}

/**
 * The draft's items per section, from its document list and its manifest: collections (each its
 * schema), code tables, workflows, print templates (README files are no templates), the manifest.
 */
export function navItems(documents: string[], manifest: ManifestDoc | undefined, titles: Map<string, string>): NavItem[] {
  const out: NavItem[] = [];
  const docs = new Set(documents);
  for (const [name, c] of Object.entries(manifest?.collections ?? {})) {
    out.push({ section: 'forms', item: name, title: c.title || name, path: `forms/${c.schema ?? ''}` });
  }
  const templateTitles = new Map<string, string>();
  for (const c of Object.values(manifest?.collections ?? {})) {
    for (const d of Object.values(c.documents ?? {})) if (d.template) templateTitles.set(d.template, d.title ?? d.template);
  }
  for (const path of [...docs].sort()) {
    let m: RegExpExecArray | null;
    if ((m = /^forms\/codes\/([^/]+)\.json$/.exec(path))) out.push({ section: 'codes', item: m[1], title: titles.get(path) ?? m[1], path });
    else if ((m = /^workflows\/([^/]+)\.json$/.exec(path))) out.push({ section: 'workflows', item: m[1], title: titles.get(path) ?? m[1], path });
    else if ((m = /^templates\/(.+)$/.exec(path)) && !/(^|\/)README\.md$/i.test(m[1]) && !m[1].includes('/')) {
      out.push({ section: 'templates', item: m[1], title: templateTitles.get(m[1]) ?? m[1], path });
    }
  }
  out.push({ section: 'manifest', item: '', title: '应用设置', path: MANIFEST });
  return out;
}

/**
 * Where a check problem of the draft is edited: the section and item of its document and, when
 * the problem says, the JSON pointer inside it (`?focus=`). The manifest's own checks name the
 * place in words ("collections.member 引用的字段 …", "roles.admin.self …") rather than as a pointer:
 * those words are read as the pointer of that collection or role.
 */
export function placeOf(problem: FieldError, manifest: ManifestDoc | undefined): { href: string; where: string; focus: string } {
  const [doc, pointer = ''] = problem.path.split('#');
  let m: RegExpExecArray | null;
  if (doc === MANIFEST || (!doc && /forms\/app\.json/.test(problem.message))) {
    const named = /\b(collections|roles)\.([A-Za-z0-9_-]+)/.exec(problem.message);
    const focus = pointer || (named ? `/${named[1]}/${named[2]}` : '');
    return { href: studioHref('manifest', undefined, focus || undefined), where: '应用设置', focus };
  }
  const at = (section: string, item: string, where: string) => ({ href: studioHref(section, item, pointer || undefined), where, focus: pointer });
  const collection = Object.entries(manifest?.collections ?? {}).find(([, c]) => doc === `forms/${c.schema}`);
  if (collection) return at('forms', collection[0], `表单「${collection[1].title ?? collection[0]}」`);
  if ((m = /^forms\/codes\/([^/]+)\.json$/.exec(doc))) return at('codes', m[1], `代码表 ${m[1]}`);
  if ((m = /^workflows\/([^/]+)\.json$/.exec(doc))) return at('workflows', m[1], `流程 ${m[1]}`);
  if ((m = /^templates\/(.+)$/.exec(doc))) return at('templates', m[1], `打印模板 ${m[1]}`);
  // The migration steps and anything else of the draft: the overview, where the versions are compared.
  return { href: studioHref(), where: doc === MIGRATIONS ? '迁移步骤' : doc || '草稿', focus: pointer };
}
