/**
 * The form designer's edits of a collection's schema document, as pure functions over the parsed
 * JSON (the designer saves the result through the draft store). Field order is x-order, sections
 * are x-group (forms/README.md); the kinds below are what the product's widget registry renders.
 */

export type Json = Record<string, any>;

export interface DesignField {
  name: string;
  prop: Json;
  title: string;
  group: string;
}

/** Every top-level property in display order (x-order, then document order), hidden ones too. */
export function designFields(schema: Json): DesignField[] {
  return Object.entries<Json>(schema.properties ?? {})
    .map(([name, prop], i) => ({ name, prop, title: prop.title ?? name, group: prop['x-group'] ?? '', order: prop['x-order'] ?? 1000 + i, i }))
    .sort((a, b) => a.order - b.order || a.i - b.i)
    .map(({ name, prop, title, group }) => ({ name, prop, title, group }));
}

/** Fields by section, sections in order of their first field (as ui/form/model.ts lays them out). */
export function designGroups(fields: DesignField[]): { title: string; fields: DesignField[] }[] {
  const out: { title: string; fields: DesignField[] }[] = [];
  for (const f of fields) {
    let g = out.find((x) => x.title === f.group);
    if (!g) out.push((g = { title: f.group, fields: [] }));
    g.fields.push(f);
  }
  return out;
}

/** Writes x-order 1…n in the given order (so the order is explicit after any move). */
function renumber(schema: Json, order: DesignField[]) {
  order.forEach((f, i) => { schema.properties[f.name]['x-order'] = i + 1; });
}

function setGroup(prop: Json, group: string) {
  if (group) prop['x-group'] = group;
  else delete prop['x-group'];
}

/**
 * Moves a field one place up (-1) or down (+1). At the edge of its section it first crosses into
 * the neighbouring section (last of the one above, first of the one below), as the form shows it.
 * Returns false when it cannot move.
 */
export function moveField(schema: Json, name: string, delta: -1 | 1): boolean {
  const list = designFields(schema);
  const i = list.findIndex((f) => f.name === name);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= list.length) return false;
  const f = list[i];
  if (list[j].group !== f.group) setGroup(f.prop, list[j].group);
  else [list[i], list[j]] = [list[j], list[i]];
  renumber(schema, list);
  return true;
}

/** Puts a field just before another (drag and drop), taking that field's section; `before` null: at the end of `group`. */
export function placeField(schema: Json, name: string, before: string | null, group?: string): void {
  const list = designFields(schema).filter((f) => f.name !== name);
  const moving = designFields(schema).find((f) => f.name === name)!;
  let at: number;
  if (before) {
    at = list.findIndex((f) => f.name === before);
    setGroup(moving.prop, list[at].group);
  } else {
    const g = group ?? moving.group;
    const last = list.map((f) => f.group).lastIndexOf(g);
    at = last < 0 ? list.length : last + 1;
    setGroup(moving.prop, g);
  }
  list.splice(at, 0, moving);
  renumber(schema, list);
}

/** A free property name: letters, digits and underscores, starting with a letter. */
export const fieldNamePattern = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Adds a text field at the end of a section (or after `after`), returns its name. */
export function addField(schema: Json, name: string, title: string, group: string, after?: string): void {
  schema.properties ??= {};
  schema.properties[name] = { type: 'string', title, ...(group ? { 'x-group': group } : {}) };
  const list = designFields(schema).filter((f) => f.name !== name);
  const added = { name, prop: schema.properties[name], title, group };
  const anchor = after ? list.findIndex((f) => f.name === after) : list.map((f) => f.group).lastIndexOf(group);
  list.splice(anchor < 0 ? list.length : anchor + 1, 0, added);
  renumber(schema, list);
}

// ——— kinds ———

export const kinds = [
  { id: 'text', label: '文本' },
  { id: 'textarea', label: '长文本' },
  { id: 'date', label: '日期' },
  { id: 'number', label: '数字' },
  { id: 'boolean', label: '是/否' },
  { id: 'code', label: '代码（来自代码表）' },
  { id: 'node', label: '树节点' },
  { id: 'table', label: '子表' },
] as const;
export type Kind = (typeof kinds)[number]['id'] | 'other';

export function kindOf(p: Json): Kind {
  if (p.type === 'array' && p.items?.type === 'object') return 'table';
  if (p['x-widget'] === 'node') return 'node';
  if (p['x-codeTable']) return 'code';
  if (p.type === 'boolean') return 'boolean';
  if (p.type === 'number' || p.type === 'integer') return 'number';
  if (p.type === 'string' && p.format === 'date') return 'date';
  if (p.type === 'string' && p['x-widget'] === 'textarea') return 'textarea';
  if (p.type === 'string') return 'text';
  return 'other';
}

/** Keywords that hold for any kind (title, placement, marks); the rest belongs to the kind. */
const common = ['title', 'description', 'x-group', 'x-order', 'x-essential', 'x-readOnly'];

/** The property turned into another kind: its common keywords kept, the old kind's ones dropped. */
export function withKind(p: Json, kind: Kind, table?: string): Json {
  const out: Json = Object.fromEntries(Object.entries(p).filter(([k]) => common.includes(k)));
  switch (kind) {
    case 'textarea': return { type: 'string', ...out, 'x-widget': 'textarea' };
    case 'date': return { type: 'string', format: 'date', ...out };
    case 'number': return { type: 'number', ...out };
    case 'boolean': return { type: 'boolean', ...out };
    case 'code': return { type: 'string', ...out, 'x-codeTable': table ?? '' };
    case 'node': return { type: 'string', ...out, 'x-widget': 'node' };
    case 'table': return { type: 'array', ...out, items: { type: 'object', additionalProperties: false, properties: {} } };
    default: return { type: 'string', ...out };
  }
}

/** The widgets (x-widget) a kind may choose, '' being the registry's default. */
export function widgetsFor(kind: Kind): { id: string; label: string }[] {
  const auto = { id: '', label: '默认' };
  const hidden = { id: 'hidden', label: '隐藏（不在表单中显示）' };
  switch (kind) {
    case 'text': return [auto, hidden];
    case 'code': return [{ id: '', label: '下拉选择' }, { id: 'radio', label: '单选按钮' }, hidden];
    case 'boolean': return [{ id: '', label: '是/否 单选' }, { id: 'checkbox', label: '勾选框' }, hidden];
    default: return [auto, hidden];
  }
}

/** Sets or removes a keyword (undefined, '' and false remove it: the files hold no empty keywords). */
export function setKeyword(p: Json, key: string, value: unknown) {
  if (value === undefined || value === '' || value === false || (typeof value === 'number' && Number.isNaN(value))) delete p[key];
  else p[key] = value;
}

/** Sets the Chinese message of one failing keyword (x-messages), dropping an empty x-messages. */
export function setMessage(p: Json, keyword: string, message: string) {
  const m: Json = { ...(p['x-messages'] ?? {}) };
  if (message) m[keyword] = message;
  else delete m[keyword];
  if (Object.keys(m).length) p['x-messages'] = m;
  else delete p['x-messages'];
}

/** Marks a field required to save (the root's `required`), or not. */
export function setRequired(schema: Json, name: string, on: boolean) {
  const list: string[] = (schema.required ?? []).filter((n: string) => n !== name);
  if (on) list.push(name);
  if (list.length) schema.required = list;
  else delete schema.required;
}

// ——— a child table's columns (one level: a column is never a table) ———

/**
 * A child table's columns in display order, its `items` object being the schema they live in (the
 * same shape as a form's root, so designFields reads it and the property panel edits it).
 */
export const tableColumns = (table: Json): DesignField[] => designFields(table.items ?? {});

/** Adds a text column at the end of the table. */
export function addColumn(table: Json, name: string, title: string): void {
  table.items ??= { type: 'object', additionalProperties: false, properties: {} };
  const items = table.items;
  items.properties ??= {};
  items.properties[name] = { type: 'string', title };
  renumber(items, [...designFields(items).filter((c) => c.name !== name), { name, prop: items.properties[name], title, group: '' }]);
}

/** Moves a column one place up (-1) or down (+1); false when it cannot. */
export function moveColumn(table: Json, name: string, delta: -1 | 1): boolean {
  const list = tableColumns(table);
  const i = list.findIndex((c) => c.name === name);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= list.length) return false;
  [list[i], list[j]] = [list[j], list[i]];
  renumber(table.items, list);
  return true;
}

/** Whether a text is a valid JavaScript/ajv regular expression (unicode), and why not. */
export function patternProblem(pattern: string): string {
  try {
    new RegExp(pattern, 'u');
    return '';
  } catch (e) {
    return `正则表达式有误：${(e as Error).message}`;
  }
}
