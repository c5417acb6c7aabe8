import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type Format, type ValidateFunction } from 'ajv/dist/2020.js';

/**
 * Checks values against the JSON Schemas in schemas/ (draft 2020-12), as an
 * editor or another tool would: with ajv, not with our own zod schemas.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));

// ajv knows no formats of its own and ajv-formats is not a dependency; in
// strict mode a schema with any other format fails to compile, which says
// what to add here.
const formats: Record<string, Format> = {
  // WHATWG's parser rather than RFC 3986's grammar: what Node would accept.
  uri: (value) => URL.canParse(value),
  'date-time': (value) =>
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value)),
};

const validators = new Map<string, ValidateFunction>();

/**
 * Why `value` does not match the schema in `schemaFile` (a path from the
 * repository's root, or absolute): ajv's errors as `instancePath message`,
 * the root's path shown as `/`; empty when it matches.
 */
export function validateAgainst(schemaFile: string, value: unknown): string[] {
  const validate = validatorFor(resolve(root, schemaFile));
  return validate(value) ? [] : (validate.errors ?? []).map(formatError);
}

function validatorFor(file: string): ValidateFunction {
  let validate = validators.get(file);
  if (validate === undefined) {
    // One Ajv per file: ajv refuses a second schema with an $id it has seen, and the files do not refer to each other.
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, formats });
    validate = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
    validators.set(file, validate);
  }
  return validate;
}

function formatError({ instancePath, message, keyword, params }: ErrorObject): string {
  // ajv's message for an unknown key or a bad key does not name the key.
  const key: unknown = params['additionalProperty'] ?? params['propertyName'];
  return `${instancePath || '/'} ${message ?? keyword}${key === undefined ? '' : `: ${JSON.stringify(key)}`}`;
}
