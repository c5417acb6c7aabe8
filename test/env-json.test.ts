import { describe, expect, it } from 'vitest';
import { jsonSyntaxError } from '../src/env/json.js';
import { formatPath } from '../src/env/source.js';

/** `line:column: message` of the first mistake. */
function mistake(text: string): string | undefined {
  const found = jsonSyntaxError(text);
  if (!found) return undefined;
  const before = text.slice(0, found.offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}: ${found.message}`;
}

describe('jsonSyntaxError places a JSON mistake at its cause', () => {
  it('accepts what JSON.parse accepts', () => {
    for (const text of ['{}', '[]', '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]}', ' \n{ "a" : { } }\n']) {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(mistake(text)).toBeUndefined();
    }
  });

  it.each([
    ['a missing comma, after the value that lacks it', '{\n  "a": 1\n  "b": 2\n}', '2:9: missing "," after this value'],
    ['a trailing comma, on the comma', '{\n  "a": [1, 2,]\n}', '2:13: trailing comma: JSON allows no comma before ]'],
    ['an unquoted key', '{\n  a: 1\n}', '2:3: expected a property name in double quotes, got "a"'],
    ['a single-quoted string', "{\"a\": 'x'}", `1:7: unexpected "'": expected a value (object, list, string in double quotes, number, true, false or null)`],
    ['an unclosed string, at its quote', '{\n  "a": "x,\n  "b": 2\n}', '2:8: unclosed string: a JSON string cannot span lines (write \\n)'],
    ['a missing closing brace', '{\n  "a": 1\n', '3:1: unexpected end of file: missing }'],
    ['a comment', '{\n  // no\n  "a": 1\n}', '2:3: expected a property name in double quotes, got "/"'],
    ['something after the value', '{}\n}', '2:1: unexpected "}" after the end of the JSON value'],
    ['an empty file', '  \n', '2:1: the file is empty; expected a JSON object'],
  ])('%s', (_, text, expected) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(mistake(text)).toBe(expected);
  });
});

describe('formatPath', () => {
  it('writes paths the way a reader would look them up', () => {
    expect(formatPath(['resources', 'orders-db', 'multiAZ'])).toBe('resources.orders-db.multiAZ');
    expect(formatPath(['stopConditions', 0, 'alarm'])).toBe('stopConditions[0].alarm');
    expect(formatPath(['sim', 'calibration', 'rds.instance.failover', 'minSeconds'])).toBe(
      'sim.calibration["rds.instance.failover"].minSeconds',
    );
    expect(formatPath([])).toBe('');
  });
});
