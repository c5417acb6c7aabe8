import * as z from 'zod';
import type { DocPath, SourceText } from './source.js';
import { closest, didYouMean, listOf } from './suggest.js';
import type { EnvironmentProblem } from './types.js';

type Issue = z.core.$ZodIssue;

/**
 * Turn zod's issues into problems a reader can act on: positioned in the
 * source, phrased in YAML's terms (a mapping, a list), with the value that
 * was found. `data` is what `schema` parsed, so a missing key can be told
 * from an empty one.
 */
export function problemsFromIssues(
  issues: readonly Issue[],
  source: SourceText,
  schema: z.ZodType,
  data: unknown,
): EnvironmentProblem[] {
  // A misspelt key is both unknown and, under its right name, missing; the
  // "did you mean" on the unknown one says it all, so drop the missing one.
  const misspelt = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = Object.keys(objectShapeAt(schema, data, issue.path) ?? {});
    for (const key of issue.keys) {
      const meant = closest(key, known);
      if (meant !== undefined) misspelt.add(pathKey([...issue.path, meant]));
    }
  }
  return issues
    .filter((issue) => !(isMissing(data, issue.path) && misspelt.has(pathKey(issue.path))))
    .flatMap((issue) => problemsFromIssue(issue, source, schema, data));
}

function pathKey(path: DocPath): string {
  return JSON.stringify(path.map(String));
}

function problemsFromIssue(issue: Issue, source: SourceText, schema: z.ZodType, data: unknown): EnvironmentProblem[] {
  const path = issue.path;
  const parent = path.slice(0, -1);
  const last = path.at(-1);
  const missing = last !== undefined && isMissing(data, path);
  const found = valueAt(data, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = Object.keys(objectShapeAt(schema, data, path) ?? {});
      return issue.keys.map((key) => {
        const hint = didYouMean(key, known) || (known.length ? `; allowed keys: ${listOf(known)}` : '');
        return source.problem([...path, key], `unknown key${hint}`);
      });
    }
    case 'invalid_type':
      if (missing) return [source.problem(parent, `missing required key ${JSON.stringify(String(last))}`)];
      return [source.problem(path, `expected ${typeName(issue.expected)}, got ${describe(found)}${typeHint(issue.expected, found)}`)];
    case 'invalid_value': {
      const options = issue.values.map(String);
      if (missing) return [source.problem(parent, `missing required key ${JSON.stringify(String(last))} (${oneOf(options)})`)];
      const typed = typeof found === 'string' ? didYouMean(found, options) : '';
      return [source.problem(path, `expected ${oneOf(options)}, got ${describe(found)}${typed}`)];
    }
    case 'invalid_union': {
      if (issue.discriminator !== undefined && 'options' in issue && issue.options) {
        const options = issue.options.map(String);
        if (missing) return [source.problem(parent, `missing required key ${JSON.stringify(String(last))} (${oneOf(options)})`)];
        const typed = typeof found === 'string' ? didYouMean(found, options) : '';
        return [source.problem(path, `expected ${oneOf(options)}, got ${describe(found)}${typed}`)];
      }
      return [source.problem(path, `${describe(found)} matches none of the allowed forms`)];
    }
    case 'too_small':
      return [source.problem(path, sizeMessage('small', issue.origin, Number(issue.minimum), issue.inclusive ?? true, found))];
    case 'too_big':
      return [source.problem(path, sizeMessage('big', issue.origin, Number(issue.maximum), issue.inclusive ?? true, found))];
    case 'invalid_format':
      return [source.problem(path, `${issue.message}, got ${describe(found)}`)];
    case 'invalid_key': {
      const key = String(last);
      return issue.issues.map((inner) =>
        source.problem(path, inner.code === 'invalid_format' ? `bad key: ${inner.message}, got ${JSON.stringify(key)}` : inner.message),
      );
    }
    default:
      return [source.problem(path, issue.message)];
  }
}

function sizeMessage(which: 'small' | 'big', origin: string, limit: number, inclusive: boolean, found: unknown): string {
  if (origin === 'string') {
    if (which === 'small' && limit <= 1) return 'must not be empty';
    return `expected ${which === 'small' ? 'at least' : 'at most'} ${limit} characters, got ${describe(found)}`;
  }
  if (origin === 'array') {
    const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
    return `expected ${which === 'small' ? 'at least' : 'at most'} ${items(limit)}, got ${Array.isArray(found) ? items(found.length) : describe(found)}`;
  }
  const bound =
    which === 'small' ? (inclusive ? `at least ${limit}` : `more than ${limit}`) : inclusive ? `at most ${limit}` : `less than ${limit}`;
  return `expected ${bound}, got ${describe(found)}`;
}

function oneOf(options: readonly string[]): string {
  return options.length === 1 ? JSON.stringify(options[0]) : `one of ${listOf(options).replace(/ and (?=[^,]*$)/, ' or ')}`;
}

function typeName(expected: string): string {
  switch (expected) {
    case 'int':
      return 'a whole number';
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'a boolean';
    default:
      return `a ${expected}`;
  }
}

function typeHint(expected: string, found: unknown): string {
  if (expected === 'boolean' && typeof found === 'string' && /^(yes|no|on|off|y|n|true|false)$/i.test(found)) {
    return ' (YAML 1.2 reads only true and false as booleans)';
  }
  if (expected === 'string' && typeof found === 'number') {
    return ' (put it in quotes: unquoted, YAML reads digits as a number and drops leading zeros)';
  }
  if (expected === 'string' && typeof found === 'boolean') return ' (put it in quotes: unquoted, YAML reads it as a boolean)';
  return '';
}

/** How a value found in the file reads in a message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

export function valueAt(data: unknown, path: DocPath): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function isMissing(data: unknown, path: DocPath): boolean {
  const container = valueAt(data, path.slice(0, -1));
  const key = path.at(-1);
  if (container === null || typeof container !== 'object' || key === undefined) return false;
  return !Object.hasOwn(container, key);
}

/**
 * The keys the strict object at `path` allows, found by walking the schema
 * alongside the data (a discriminated union picks its option by the data's
 * discriminator). Undefined where the walk cannot tell.
 */
function objectShapeAt(schema: z.ZodType, data: unknown, path: DocPath): Record<string, unknown> | undefined {
  let current: z.ZodType | undefined = schema;
  let value = data;
  for (let depth = 0; depth <= path.length && current; depth++) {
    current = unwrap(current, value);
    if (depth === path.length) break;
    const segment = path[depth]!;
    if (current instanceof z.ZodObject) current = (current.shape as Record<string, z.ZodType>)[String(segment)];
    else if (current instanceof z.ZodRecord) current = current.valueType as z.ZodType;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else current = undefined;
    value = valueAt(value, [segment]);
  }
  return current instanceof z.ZodObject ? (current.shape as Record<string, unknown>) : undefined;
}

function unwrap(schema: z.ZodType, value: unknown): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.out as z.ZodType;
    else if (current instanceof z.ZodDiscriminatedUnion) {
      const discriminator = current.def.discriminator;
      const wanted = valueAt(value, [discriminator]);
      const options = current.options as z.ZodType[];
      const match = options.find((option) => {
        const shape = option instanceof z.ZodObject ? (option.shape as Record<string, z.ZodType>) : undefined;
        const literal = shape?.[discriminator];
        return literal instanceof z.ZodLiteral && literal.values.has(wanted as never);
      });
      if (!match) return current;
      current = match;
    } else return current;
  }
}
