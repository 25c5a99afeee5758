import Ajv2020Module from 'ajv/dist/2020.js';
import { _, Name, type Code, type KeywordCxt } from 'ajv';
import { ajvFormats } from './ajv-formats.js';
import { isFutureDate } from './formats/date.js';
import { hasForbiddenChar } from './formats/plain-text.js';
import { ALLOW_CONTROL_CHARS, PLAIN_TEXT } from './text-rule.js';
import { TRANSFORM, transforms, applyTransform } from './transform.js';
import { UNIQUE_BY } from './table-rules.js';
import { DATE_BANDS, dateBandKinds } from './date-bands.js';

// ajv ships CommonJS; under NodeNext its default export arrives wrapped.
const Ajv2020 = ((Ajv2020Module as any).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
export type Ajv = InstanceType<typeof Ajv2020>;

/** Annotation keywords of the config language: carried to the UI, ignored by validation. */
export const annotationKeywords = [
  'x-codeTable', 'x-codes', 'x-codeTableVersion', 'x-essential', 'x-order', 'x-group', 'x-widget',
  'x-readOnly', 'x-messages', 'x-rules', 'x-placeholder', 'x-recordOf', ALLOW_CONTROL_CHARS, UNIQUE_BY,
];

/**
 * The name under which standalone (browser) validation code finds the engine's functions: the
 * generated module imports `./standalone-runtime.ts` as this name (see standalone.ts).
 */
export const STANDALONE_RUNTIME = new Name('__caijiRuntime');


/**
 * One ajv (JSON Schema 2020-12) instance with the engine's formats and keywords. The same
 * factory serves the server and the browser bundle, so both judge a record alike. `standalone`
 * keeps the generated source so it can be emitted as a module (no eval in the browser).
 */
export function createAjv(opts: { standalone?: boolean } = {}): Ajv {
  const code = opts.standalone ? { source: true, esm: true, formats: _`${STANDALONE_RUNTIME}.formats` as Code } : undefined;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true, code });
  ajv.addVocabulary(annotationKeywords);
  for (const [name, format] of Object.entries(ajvFormats)) ajv.addFormat(name, format);
  // A code keyword (not a `validate` function) so standalone code can be generated for it.
  ajv.addKeyword({
    keyword: 'x-notFuture',
    type: 'string',
    schemaType: 'boolean',
    code(cxt: KeywordCxt) {
      if (!cxt.schema) return;
      const fn = cxt.gen.scopeValue('func', { ref: isFutureDate, code: _`${STANDALONE_RUNTIME}.isFutureDate` });
      cxt.fail(_`${fn}(${cxt.data})`);
    },
  });
  // Normalises a string in place before anything checks it (transform.ts): an untyped keyword
  // placed first, so const, enum, pattern and format see the normalised value; written back to
  // the parent object, so what is stored is what was checked (as ajv's own coercion does).
  ajv.addKeyword({
    keyword: TRANSFORM,
    schemaType: 'string',
    metaSchema: { enum: Object.keys(transforms) },
    before: '$ref',
    code(cxt: KeywordCxt) {
      const { gen, data, it } = cxt;
      const fn = gen.scopeValue('func', { ref: applyTransform, code: _`${STANDALONE_RUNTIME}.applyTransform` });
      gen.if(_`typeof ${data} == "string"`, () => {
        gen.assign(data, _`${fn}(${data}, ${cxt.schema as string})`);
        gen.if(_`${it.parentData} !== undefined`, () => gen.assign(_`${it.parentData}[${it.parentDataProperty}]`, data));
      });
    },
  });
  // An annotation for the statistics (date-bands.ts), its value checked when the schema compiles.
  ajv.addKeyword({ keyword: DATE_BANDS, schemaType: 'string', metaSchema: { enum: [...dateBandKinds] } });
  // Added to every text field by withTextRule (text-rule.ts): no control or bidi characters.
  ajv.addKeyword({
    keyword: PLAIN_TEXT,
    type: 'string',
    schemaType: 'string',
    code(cxt: KeywordCxt) {
      const fn = cxt.gen.scopeValue('func', { ref: hasForbiddenChar, code: _`${STANDALONE_RUNTIME}.hasForbiddenChar` });
      cxt.fail(_`${fn}(${cxt.data}, ${cxt.schema === 'lines'})`);
    },
  });
  return ajv;
}
