import type { JsonSchema } from '../config/types.js';

/**
 * The schema keyword saying what the years since a date field's value are, for the statistics'
 * bands (forms/README.md): `"x-dateBands": "age"` — the date is a birth date, so the years since
 * it are an age (「30岁及以下」…); `"elapsed"`, the default — years since the date, nothing more
 * (since joining, since a change: 「不满5年」…); `"none"` — bands of years mean nothing for this
 * date, it is counted by its year only. Checked by ajv's meta-schema (ajv.ts) and placed on date
 * fields only (config/checks/date-bands.ts); read by the statistics (stats/dimensions.ts).
 */
export const DATE_BANDS = 'x-dateBands';
export const dateBandKinds = ['age', 'elapsed', 'none'] as const;
export type DateBands = (typeof dateBandKinds)[number];

/** How a date property's years since are banded: its keyword, else the neutral default. */
export function dateBandsOf(prop: JsonSchema | undefined): DateBands {
  const v = prop?.[DATE_BANDS];
  return (dateBandKinds as readonly unknown[]).includes(v) ? (v as DateBands) : 'elapsed';
}
