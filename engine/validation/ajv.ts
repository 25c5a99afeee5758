import Ajv2020Module from 'ajv/dist/2020.js';
import { formatChecks } from './formats/index.js';
import { isFutureDate } from './formats/date.js';

// ajv ships CommonJS; under NodeNext its default export arrives wrapped.
const Ajv2020 = ((Ajv2020Module as any).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
export type Ajv = InstanceType<typeof Ajv2020>;

/** Annotation keywords of the config language: carried to the UI, ignored by validation. */
export const annotationKeywords = [
  'x-codeTable', 'x-codes', 'x-codeTableVersion', 'x-essential', 'x-order', 'x-group', 'x-widget',
  'x-readOnly', 'x-messages', 'x-rules', 'x-placeholder',
];

/**
 * One ajv (JSON Schema 2020-12) instance with the engine's formats and keywords. The same
 * factory serves the server and the browser bundle, so both judge a record alike.
 */
export function createAjv(): Ajv {
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true });
  ajv.addVocabulary(annotationKeywords);
  for (const [name, check] of Object.entries(formatChecks)) {
    ajv.addFormat(name, { type: 'string', validate: (v: string) => check(v) === null });
  }
  ajv.addKeyword({
    keyword: 'x-notFuture',
    type: 'string',
    schemaType: 'boolean',
    validate: (enabled: boolean, value: string) => !enabled || !isFutureDate(value),
    errors: false,
  });
  return ajv;
}
