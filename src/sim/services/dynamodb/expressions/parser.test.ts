import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../types.js';
import type { AttributeMap, KeySchema } from '../types.js';
import { analyzeKeyCondition, matchesSortKey } from './key-condition.js';
import { ExpressionAttributes, parseCondition, parseProjection, parseUpdate, type Condition } from './parser.js';

function attrs(names: Record<string, string> = {}, values: AttributeMap = {}): ExpressionAttributes {
  return new ExpressionAttributes(names, values);
}

function failure(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AwsError) return error;
    throw error;
  }
  throw new Error('expected an AwsError');
}

/** A compact rendering of a condition's tree, to assert structure and precedence. */
function show(c: Condition): string {
  const operand = (o: { kind: string; path?: { kind: string; name?: string; index?: number }[]; ref?: string }): string => {
    if (o.kind === 'value') return o.ref!;
    const path = o.path!.map((e) => (e.kind === 'attribute' ? `.${e.name}` : `[${e.index}]`)).join('').slice(1);
    return o.kind === 'size' ? `size(${path})` : path;
  };
  const path = (p: { kind: string; name?: string; index?: number }[]) => operand({ kind: 'path', path: p });
  switch (c.kind) {
    case 'and':
    case 'or':
      return `(${show(c.left)} ${c.kind.toUpperCase()} ${show(c.right)})`;
    case 'not':
      return `NOT ${show(c.operand)}`;
    case 'compare':
      return `${operand(c.left)} ${c.op} ${operand(c.right)}`;
    case 'between':
      return `${operand(c.subject)} BETWEEN ${operand(c.low)} ${operand(c.high)}`;
    case 'in':
      return `${operand(c.subject)} IN [${c.candidates.map(operand).join(',')}]`;
    case 'attribute_exists':
    case 'attribute_not_exists':
      return `${c.kind}(${path(c.path)})`;
    case 'attribute_type':
      return `attribute_type(${path(c.path)}, ${operand(c.type)})`;
    case 'begins_with':
      return `begins_with(${path(c.path)}, ${operand(c.prefix)})`;
    case 'contains':
      return `contains(${path(c.path)}, ${operand(c.operand)})`;
  }
}

const v = (...refs: string[]): AttributeMap => Object.fromEntries(refs.map((r) => [r, { S: r }]));
const cond = (text: string, values: AttributeMap = {}, names: Record<string, string> = {}) =>
  show(parseCondition(text, 'ConditionExpression', attrs(names, values)));

describe('condition expressions', () => {
  it('binds AND tighter than OR, NOT tighter than AND, and honours parentheses', () => {
    expect(cond('a = :a OR b = :b AND c = :c', v(':a', ':b', ':c'))).toBe('(a = :a OR (b = :b AND c = :c))');
    expect(cond('(a = :a OR b = :b) AND c = :c', v(':a', ':b', ':c'))).toBe('((a = :a OR b = :b) AND c = :c)');
    expect(cond('NOT a = :a AND b = :b', v(':a', ':b'))).toBe('(NOT a = :a AND b = :b)');
    expect(cond('NOT (a = :a AND b = :b)', v(':a', ':b'))).toBe('NOT (a = :a AND b = :b)');
    expect(cond('a = :a or b = :b and not c = :c', v(':a', ':b', ':c'))).toBe('(a = :a OR (b = :b AND NOT c = :c))');
  });

  it('reads every comparator, BETWEEN (whose AND is its own), IN and the functions', () => {
    for (const op of ['=', '<>', '<', '<=', '>', '>=']) expect(cond(`a ${op} :a`, v(':a'))).toBe(`a ${op} :a`);
    expect(cond('a BETWEEN :a AND :b AND c = :c', { ':a': { N: '1' }, ':b': { N: '2' }, ':c': { S: 'x' } })).toBe(
      '(a BETWEEN :a :b AND c = :c)',
    );
    expect(cond('a IN (:a, :b,:c)', v(':a', ':b', ':c'))).toBe('a IN [:a,:b,:c]');
    expect(cond('attribute_exists(a) AND attribute_not_exists(b.c)')).toBe('(attribute_exists(a) AND attribute_not_exists(b.c))');
    expect(cond('attribute_type(a, :t)', { ':t': { S: 'SS' } })).toBe('attribute_type(a, :t)');
    expect(cond('begins_with(a, :p) OR contains(b, :p)', v(':p'))).toBe('(begins_with(a, :p) OR contains(b, :p))');
    expect(cond('size(a) > :n', { ':n': { N: '3' } })).toBe('size(a) > :n');
  });

  it('reads document paths with map steps, list indexes and placeholders (a dot inside a placeholder is part of the name)', () => {
    const c = parseCondition('#o.entries[2].#k = :v AND #dotted = :v', 'ConditionExpression', attrs({ '#o': 'order', '#k': 'sku', '#dotted': 'a.b' }, v(':v')));
    expect(c.kind).toBe('and');
    const left = (c as { left: { left: { path: unknown } } }).left.left;
    expect(left.path).toEqual([
      { kind: 'attribute', name: 'order' },
      { kind: 'attribute', name: 'entries' },
      { kind: 'index', index: 2 },
      { kind: 'attribute', name: 'sku' },
    ]);
    const right = (c as { right: { left: { path: unknown } } }).right.left;
    expect(right.path).toEqual([{ kind: 'attribute', name: 'a.b' }]);
  });

  it('refuses a reserved word as an attribute name, as DynamoDB does', () => {
    expect(failure(() => cond('status = :s', v(':s'))).message).toBe(
      'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status',
    );
    expect(cond('#s = :s', v(':s'), { '#s': 'status' })).toBe('status = :s');
  });

  it('names the offending token in syntax errors', () => {
    const error = failure(() => cond('a = :a AND', v(':a')));
    expect(error.code).toBe('ValidationException');
    expect(error.message).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ":a AND"');
    expect(failure(() => cond('a == :a', v(':a'))).message).toMatch(/^Invalid ConditionExpression: Syntax error; token: "=", near: "/);
    expect(failure(() => cond('a = :a !', v(':a'))).message).toMatch(/Syntax error; token: "!"/);
    expect(failure(() => cond('a', {})).message).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"');
    expect(failure(() => cond('   ')).message).toBe('Invalid ConditionExpression: The expression can not be empty;');
  });

  it('refuses undefined placeholders and misused functions in DynamoDB’s words', () => {
    expect(failure(() => cond('a = :nope')).message).toBe(
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope',
    );
    expect(failure(() => cond('#nope = :a', v(':a'))).message).toBe(
      'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #nope',
    );
    expect(failure(() => cond('frobnicate(a)')).message).toBe('Invalid ConditionExpression: Invalid function name; function: frobnicate');
    expect(failure(() => cond('size(a)')).message).toMatch(/Syntax error; token: "<EOF>"/);
    expect(failure(() => cond('attribute_exists(:a)', v(':a'))).message).toBe(
      'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists',
    );
    expect(failure(() => cond('begins_with(a)')).message).toBe(
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1',
    );
    expect(failure(() => cond('if_not_exists(a, :a) = :a', v(':a'))).message).toBe(
      'Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists',
    );
    expect(failure(() => cond('attribute_type(a, :t)', { ':t': { S: 'STRING' } })).message).toMatch(/Invalid attribute type name found; type: STRING/);
    expect(failure(() => cond('a < :b', { ':b': { BOOL: true } })).message).toBe(
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOLEAN',
    );
  });

  it('checks literal BETWEEN bounds', () => {
    expect(failure(() => cond('a BETWEEN :hi AND :lo', { ':hi': { N: '10' }, ':lo': { N: '9' } })).message).toBe(
      'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:9}',
    );
    expect(failure(() => cond('a BETWEEN :n AND :s', { ':n': { N: '1' }, ':s': { S: 'x' } })).message).toMatch(
      /requires same data type for lower and upper bounds/,
    );
  });

  it('refuses placeholders that no expression of the request used', () => {
    const shared = attrs({ '#a': 'a', '#unused': 'u' }, { ':a': { S: 'x' }, ':spare': { S: 'y' } });
    parseCondition('#a = :a', 'ConditionExpression', shared);
    expect(failure(() => shared.checkAllUsed()).message).toBe('Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}');
    const values = attrs({}, { ':a': { S: 'x' }, ':spare': { S: 'y' } });
    parseCondition('a = :a', 'FilterExpression', values);
    expect(failure(() => values.checkAllUsed()).message).toBe('Value provided in ExpressionAttributeValues unused in expressions: keys: {:spare}');
  });
});

describe('update expressions', () => {
  it('reads SET (with arithmetic, if_not_exists, list_append), REMOVE, ADD and DELETE, clause keywords in any case', () => {
    const actions = parseUpdate(
      'set a = :one, b = b + :one, c = if_not_exists(c, :zero), d = list_append(d, :list) remove e, f[1] add g :one, h :set delete i :set',
      attrs({}, { ':one': { N: '1' }, ':zero': { N: '0' }, ':list': { L: [] }, ':set': { SS: ['x'] } }),
    );
    expect(actions.set.map((a) => a.value.kind)).toEqual(['value', 'arithmetic', 'if_not_exists', 'list_append']);
    expect(actions.remove).toEqual([[{ kind: 'attribute', name: 'e' }], [{ kind: 'attribute', name: 'f' }, { kind: 'index', index: 1 }]]);
    expect(actions.add.map((a) => a.path[0])).toEqual([{ kind: 'attribute', name: 'g' }, { kind: 'attribute', name: 'h' }]);
    expect(actions.delete).toHaveLength(1);
  });

  it('refuses a clause given twice, overlapping paths and wrong ADD/DELETE operands', () => {
    const values = attrs({}, { ':v': { N: '1' }, ':s': { S: 'x' } });
    expect(failure(() => parseUpdate('SET a = :v SET b = :v', values)).message).toBe(
      'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;',
    );
    expect(failure(() => parseUpdate('SET a = :v REMOVE a.b', values)).message).toBe(
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]',
    );
    expect(failure(() => parseUpdate('ADD a :s', values)).message).toBe(
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING',
    );
    expect(failure(() => parseUpdate('DELETE a :v', values)).message).toBe(
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER',
    );
    expect(failure(() => parseUpdate('SET a = attribute_exists(b)', values)).message).toBe(
      'Invalid UpdateExpression: The function is not allowed in an update expression; function: attribute_exists',
    );
    expect(failure(() => parseUpdate('UPSERT a = :v', values)).message).toMatch(/Syntax error; token: "UPSERT"/);
  });
});

describe('projection expressions', () => {
  it('reads a list of paths and refuses overlaps', () => {
    expect(parseProjection('a, #b.c, d[0]', attrs({ '#b': 'b' }))).toHaveLength(3);
    expect(failure(() => parseProjection('a, a[0]', attrs())).message).toMatch(/^Invalid ProjectionExpression: Two document paths overlap/);
  });
});

describe('key condition expressions', () => {
  const schema: KeySchema = { hash: { name: 'pk', type: 'S' }, range: { name: 'sk', type: 'N' } };
  const key = (text: string, values: AttributeMap) => analyzeKeyCondition(parseCondition(text, 'KeyConditionExpression', attrs({}, values)), schema);

  it('takes an equality on the partition key and one condition on the sort key', () => {
    expect(key('pk = :p', { ':p': { S: 'a' } })).toEqual({ partition: { pk: { S: 'a' } } });
    expect(key('pk = :p AND sk >= :n', { ':p': { S: 'a' }, ':n': { N: '5' } }).sort).toEqual({ op: '>=', value: { N: '5' } });
    expect(key('sk BETWEEN :a AND :b AND pk = :p', { ':p': { S: 'a' }, ':a': { N: '1' }, ':b': { N: '2' } }).sort).toEqual({
      op: 'between',
      low: { N: '1' },
      high: { N: '2' },
    });
  });

  it('refuses what a key condition cannot say', () => {
    const p = { ':p': { S: 'a' }, ':n': { N: '1' } };
    expect(failure(() => key('sk = :n', p)).message).toBe('Query condition missed key schema element: pk');
    expect(failure(() => key('pk = :p OR sk = :n', p)).message).toBe('Invalid operator used in KeyConditionExpression: OR');
    expect(failure(() => key('pk = :p AND sk <> :n', p)).message).toBe('Invalid operator used in KeyConditionExpression: <>');
    expect(failure(() => key('pk < :p', p)).message).toBe('Query key condition not supported');
    expect(failure(() => key('pk = :n', p)).message).toBe('One or more parameter values were invalid: Condition parameter type does not match schema type');
    expect(failure(() => key('pk = :p AND sk = :n AND sk = :n', p)).message).toBe('Conditions can be of length 1 or 2 only');
  });

  it('matches sort keys numerically and by prefix', () => {
    expect(matchesSortKey({ N: '10' }, { op: '>', value: { N: '9' } })).toBe(true);
    expect(matchesSortKey({ S: 'order#2026' }, { op: 'begins_with', prefix: { S: 'order#' } })).toBe(true);
    expect(matchesSortKey({ S: 'invoice#1' }, { op: 'begins_with', prefix: { S: 'order#' } })).toBe(false);
  });
});
