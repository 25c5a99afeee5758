import type { ConfigCheck } from './types.js';
import { DATE_BANDS } from '../../validation/date-bands.js';

const isObj = (v: unknown): v is Record<string, any> => !!v && typeof v === 'object' && !Array.isArray(v);

/** `x-dateBands` says how the years since a date are counted: it belongs on date fields (a table's date columns too). */
export const dateBandsCheck: ConfigCheck = (app) => {
  const out: string[] = [];
  const walk = (props: unknown, at: string) => {
    if (!isObj(props)) return;
    for (const [name, p] of Object.entries(props)) {
      if (!isObj(p)) continue;
      if (DATE_BANDS in p && p.format !== 'date') out.push(`${at}/${name}/${DATE_BANDS}: 「${p.title ?? name}」不是日期字段，不能设 ${DATE_BANDS}`);
      if (isObj(p.items)) walk(p.items.properties, `${at}/${name}/items/properties`);
    }
  };
  for (const c of app.collections.values()) walk(c.schema.properties, `forms/${c.schemaFile}: /properties`);
  return out;
};
