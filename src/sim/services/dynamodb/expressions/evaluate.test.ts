import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../types.js';
import { canonicalNumber, compareScalars, equalValues, readAttributeValue } from '../attribute-values.js';
import { addDecimals, formatDecimal, parseDecimal, type Decimal } from '../numbers.js';
import type { AttributeMap } from '../types.js';
import { applyUpdate, checkKeyNotUpdated, evaluateCondition, project } from './evaluate.js';
import { ExpressionAttributes, parseCondition, parseProjection, parseUpdate } from './parser.js';

const item: AttributeMap = {
  pk: { S: 'customer#1' },
  amount: { N: '10' },
  note: { S: 'rush order' },
  tags: { SS: ['gift', 'rush'] },
  scores: { NS: ['1', '2.5'] },
  entries: { L: [{ M: { sku: { S: 'A-1' }, qty: { N: '2' } } }, { M: { sku: { S: 'B-7' }, qty: { N: '1' } } }] },
  address: { M: { city: { S: 'Lisbon' }, zip: { NULL: true } } },
  paid: { BOOL: false },
  bytes: { B: Buffer.from([1, 2, 3]).toString('base64') },
};

function holds(text: string, values: AttributeMap = {}, names: Record<string, string> = {}, on: AttributeMap = item): boolean {
  return evaluateCondition(parseCondition(text, 'ConditionExpression', new ExpressionAttributes(names, values)), on);
}

function update(text: string, values: AttributeMap = {}, on: AttributeMap = item): AttributeMap {
  return applyUpdate(on, parseUpdate(text, new ExpressionAttributes({}, values)));
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

describe('numbers', () => {
  const d = (text: string) => parseDecimal(text) as Decimal;

  it('canonicalizes as DynamoDB returns them and refuses what it refuses', () => {
    expect(canonicalNumber('1.50')).toBe('1.5');
    expect(canonicalNumber('-0.0100')).toBe('-0.01');
    expect(canonicalNumber('1e3')).toBe('1000');
    expect(canonicalNumber('0001')).toBe('1');
    expect(canonicalNumber('-0')).toBe('0');
    expect(failure(() => canonicalNumber('12abc')).message).toBe('A value provided cannot be converted into a number');
    expect(failure(() => canonicalNumber('1'.repeat(39))).message).toBe('Attempting to store more than 38 significant digits in a Number');
    expect(failure(() => canonicalNumber('1e126')).message).toMatch(/^Number overflow/);
    expect(failure(() => canonicalNumber('1e-131')).message).toMatch(/^Number underflow/);
  });

  it('adds exactly beyond double precision', () => {
    expect(formatDecimal(addDecimals(d('12345678901234567890123'), d('0.000000001')))).toBe('12345678901234567890123.000000001');
    expect(formatDecimal(addDecimals(d('0.1'), d('0.2')))).toBe('0.3');
  });

  it('orders numbers by value, strings and binaries by their bytes', () => {
    expect(compareScalars({ N: '10' }, { N: '9' })).toBeGreaterThan(0);
    expect(compareScalars({ N: '-1.5' }, { N: '-1.25' })).toBeLessThan(0);
    expect(compareScalars({ N: '12345678901234567890' }, { N: '12345678901234567891' })).toBeLessThan(0);
    expect(compareScalars({ S: 'Z' }, { S: 'a' })).toBeLessThan(0);
    // UTF-16 code units would put U+1F600 (a surrogate pair, 0xD83D…) before U+FF61; its UTF-8 bytes sort after.
    expect(compareScalars({ S: '\uFF61' }, { S: '\u{1F600}' })).toBeLessThan(0);
    expect(compareScalars({ B: Buffer.from([0x7f]).toString('base64') }, { B: Buffer.from([0x80]).toString('base64') })).toBeLessThan(0);
  });
});

describe('attribute values', () => {
  it('reads DynamoDB JSON and refuses malformed values in DynamoDB’s words', () => {
    expect(readAttributeValue({ NS: ['1.0', '2'] }, 'x')).toEqual({ NS: ['1', '2'] });
    expect(failure(() => readAttributeValue({}, 'x')).message).toBe(
      'One or more parameter values were invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    );
    expect(failure(() => readAttributeValue({ S: 'a', N: '1' }, 'x')).message).toMatch(/more than one datatypes set/);
    expect(failure(() => readAttributeValue({ SS: [] }, 'x')).message).toBe('One or more parameter values were invalid: An string set  may not be empty');
    expect(failure(() => readAttributeValue({ NS: ['1', '1.0'] }, 'x')).message).toMatch(/contains duplicates/);
    expect(failure(() => readAttributeValue({ NULL: false }, 'x')).message).toMatch(/Null attribute value types must have the value of true/);
    expect(failure(() => readAttributeValue({ S: 5 }, 'x')).code).toBe('SerializationException');
  });

  it('compares sets regardless of order and numbers by value', () => {
    expect(equalValues({ SS: ['a', 'b'] }, { SS: ['b', 'a'] })).toBe(true);
    expect(equalValues({ N: '1.0' }, { N: '1' })).toBe(true);
    expect(equalValues({ L: [{ S: 'a' }, { S: 'b' }] }, { L: [{ S: 'b' }, { S: 'a' }] })).toBe(false);
    expect(equalValues({ M: { a: { N: '1' } } }, { M: { a: { N: '1' } } })).toBe(true);
  });
});

describe('evaluating conditions', () => {
  it('compares numbers numerically, not as text', () => {
    expect(holds('amount > :nine', { ':nine': { N: '9' } })).toBe(true);
    expect(holds('amount BETWEEN :a AND :b', { ':a': { N: '9.5' }, ':b': { N: '10' } })).toBe(true);
    expect(holds('amount IN (:a, :b)', { ':a': { N: '3' }, ':b': { N: '10.0' } })).toBe(true);
  });

  it('makes comparisons with an absent attribute or another type false, and <> true', () => {
    expect(holds('absent = :v', { ':v': { S: 'x' } })).toBe(false);
    expect(holds('absent < :v', { ':v': { S: 'x' } })).toBe(false);
    expect(holds('absent <> :v', { ':v': { S: 'x' } })).toBe(true);
    expect(holds('amount = :v', { ':v': { S: '10' } })).toBe(false);
    expect(holds('amount < :v', { ':v': { S: '99' } })).toBe(false);
  });

  it('evaluates the functions on nested paths', () => {
    expect(holds('attribute_exists(address.city) AND attribute_not_exists(address.street)')).toBe(true);
    expect(holds('attribute_type(address.zip, :t)', { ':t': { S: 'NULL' } })).toBe(true);
    expect(holds('begins_with(pk, :p)', { ':p': { S: 'customer#' } })).toBe(true);
    expect(holds('begins_with(bytes, :p)', { ':p': { B: Buffer.from([1, 2]).toString('base64') } })).toBe(true);
    expect(holds('contains(note, :s)', { ':s': { S: 'rush' } })).toBe(true);
    expect(holds('contains(tags, :s)', { ':s': { S: 'gift' } })).toBe(true);
    expect(holds('contains(scores, :n)', { ':n': { N: '2.50' } })).toBe(true);
    expect(holds('contains(entries, :line)', { ':line': { M: { qty: { N: '1' }, sku: { S: 'B-7' } } } })).toBe(true);
    expect(holds('entries[1].sku = :s', { ':s': { S: 'B-7' } })).toBe(true);
    expect(holds('size(entries) = :two AND size(note) = :ten', { ':two': { N: '2' }, ':ten': { N: '10' } })).toBe(true);
    expect(holds('NOT paid = :t', { ':t': { BOOL: true } })).toBe(true);
  });
});

describe('applying updates', () => {
  it('computes every value from the item before the update, so SET can swap', () => {
    const out = update('SET a = b, b = a', {}, { pk: { S: 'k' }, a: { N: '1' }, b: { N: '2' } });
    expect(out).toEqual({ pk: { S: 'k' }, a: { N: '2' }, b: { N: '1' } });
  });

  it('does arithmetic, if_not_exists and list_append, and appends past a list’s end', () => {
    const out = update(
      'SET amount = amount - :one, visits = if_not_exists(visits, :zero) + :one, entries = list_append(entries, :more), address.city = :city',
      { ':one': { N: '1' }, ':zero': { N: '0' }, ':more': { L: [{ S: 'x' }] }, ':city': { S: 'Porto' } },
      { ...item, entries: { L: [{ S: 'a' }] } },
    );
    expect(out['amount']).toEqual({ N: '9' });
    expect(out['visits']).toEqual({ N: '1' });
    expect(out['address']).toEqual({ M: { city: { S: 'Porto' }, zip: { NULL: true } } });
    expect(out['entries']).toEqual({ L: [{ S: 'a' }, { S: 'x' }] });
    const appended = update('SET entries[9] = :tail', { ':tail': { S: 'end' } }, { pk: { S: 'k' }, entries: { L: [{ S: 'a' }] } });
    expect(appended['entries']).toEqual({ L: [{ S: 'a' }, { S: 'end' }] });
  });

  it('removes attributes and list elements by their original positions', () => {
    const out = update('REMOVE note, entries[0], address.zip', {}, { ...item, entries: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] } });
    expect(out['note']).toBeUndefined();
    expect(out['address']).toEqual({ M: { city: { S: 'Lisbon' } } });
    expect(update('REMOVE entries[0], entries[2]', {}, { pk: { S: 'k' }, entries: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] } })['entries']).toEqual({
      L: [{ S: 'b' }],
    });
  });

  it('ADDs to numbers and sets (creating them when missing) and DELETEs from sets', () => {
    const out = update('ADD amount :five, tags :more, fresh :five DELETE scores :some', {
      ':five': { N: '5' },
      ':more': { SS: ['rush', 'vip'] },
      ':some': { NS: ['1', '2.5'] },
    });
    expect(out['amount']).toEqual({ N: '15' });
    expect(out['tags']).toEqual({ SS: ['gift', 'rush', 'vip'] });
    expect(out['fresh']).toEqual({ N: '5' });
    expect(out['scores']).toBeUndefined();
  });

  it('refuses what DynamoDB refuses at update time', () => {
    expect(failure(() => update('SET nowhere.deep = :v', { ':v': { S: 'x' } })).message).toBe(
      'The document path provided in the update expression is invalid for update',
    );
    expect(failure(() => update('SET note = note + :v', { ':v': { N: '1' } })).message).toBe(
      'An operand in the update expression has an incorrect data type',
    );
    expect(failure(() => update('SET x = absent + :v', { ':v': { N: '1' } })).message).toBe(
      'The provided expression refers to an attribute that does not exist in the item',
    );
    expect(failure(() => update('ADD note :v', { ':v': { N: '1' } })).message).toBe('An operand in the update expression has an incorrect data type');
    const actions = parseUpdate('SET pk = :v', new ExpressionAttributes({}, { ':v': { S: 'x' } }));
    expect(failure(() => checkKeyNotUpdated(actions, { hash: { name: 'pk', type: 'S' } })).message).toBe(
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    );
  });
});

describe('projections', () => {
  it('keeps the named parts, nested as in the item, list elements closed up', () => {
    const paths = parseProjection('pk, entries[1].sku, address.city', new ExpressionAttributes());
    expect(project(item, paths)).toEqual({
      pk: { S: 'customer#1' },
      entries: { L: [{ M: { sku: { S: 'B-7' } } }] },
      address: { M: { city: { S: 'Lisbon' } } },
    });
  });
});
