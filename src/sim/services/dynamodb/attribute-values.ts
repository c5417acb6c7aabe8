import type { JsonValue } from '../../protocols/aws-json.js';
import { dynamoErrors } from './errors.js';
import { compareDecimals, formatDecimal, parseDecimal, type Decimal, type DecimalProblem } from './numbers.js';
import type { AttributeMap, AttributeType, AttributeValue, KeySchema, ScalarType } from './types.js';

/**
 * Attribute values: reading them off the wire (with DynamoDB's checks and
 * words), comparing them the way DynamoDB orders keys (numbers numerically,
 * strings and binaries by their bytes), equality (sets unordered), sizes and
 * key encoding.
 */

export const attributeTypes: readonly AttributeType[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];

export function typeOf(value: AttributeValue): AttributeType {
  return Object.keys(value)[0] as AttributeType;
}

export function isAttributeType(text: string): text is AttributeType {
  return (attributeTypes as readonly string[]).includes(text);
}

const numberProblems: Record<DecimalProblem, string> = {
  'not-a-number': 'A value provided cannot be converted into a number',
  'too-many-digits': 'Attempting to store more than 38 significant digits in a Number',
  overflow: 'Number overflow. Attempting to store a number with magnitude larger than supported range',
  underflow: 'Number underflow. Attempting to store a number with magnitude smaller than supported range',
};

export function numberProblem(problem: DecimalProblem): Error {
  return dynamoErrors.validation(numberProblems[problem]);
}

/** The canonical text of a DynamoDB number, or the ValidationException DynamoDB answers. */
export function canonicalNumber(text: string): string {
  const parsed = parseDecimal(text);
  if (typeof parsed === 'string') throw numberProblem(parsed);
  return formatDecimal(parsed);
}

export function decimalOf(value: { N: string }): Decimal {
  const parsed = parseDecimal(value.N);
  // Values in the model were canonicalized when they came in.
  if (typeof parsed === 'string') throw new Error(`stored number ${value.N} does not parse`);
  return parsed;
}

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function readBinary(json: JsonValue, where: string): string {
  if (typeof json !== 'string') throw dynamoErrors.serialization(`${where}: a binary value must be a base64 string.`);
  if (!base64.test(json)) throw dynamoErrors.serialization(`Base64 encoded value of ${where} is not valid base64.`);
  return json;
}

function readString(json: JsonValue, where: string): string {
  if (typeof json !== 'string') throw dynamoErrors.serialization(`${jsonKind(json)} cannot be converted to String (at ${where})`);
  return json;
}

function jsonKind(json: JsonValue): string {
  if (json === null) return 'NULL_VALUE';
  if (Array.isArray(json)) return 'START_ARRAY';
  switch (typeof json) {
    case 'number':
      return 'NUMBER_VALUE';
    case 'boolean':
      return 'BOOLEAN_VALUE';
    case 'object':
      return 'START_OBJECT';
    default:
      return 'VALUE_STRING';
  }
}

function readList(json: JsonValue, where: string): JsonValue[] {
  if (!Array.isArray(json)) throw dynamoErrors.serialization(`Start of list found where not expected (at ${where})`);
  return json;
}

function readSet(kind: 'SS' | 'NS' | 'BS', json: JsonValue, where: string): string[] {
  const items = readList(json, where);
  const name = kind === 'SS' ? 'string' : kind === 'NS' ? 'number' : 'binary';
  if (items.length === 0) throw dynamoErrors.invalidParameters(`An ${name} set  may not be empty`);
  const values = items.map((item, i) => {
    const at = `${where}[${i}]`;
    if (kind === 'SS') return readString(item, at);
    if (kind === 'BS') return readBinary(item, at);
    return canonicalNumber(readString(item, at));
  });
  if (new Set(values).size !== values.length) {
    throw dynamoErrors.invalidParameters(`Input collection [${values.join(', ')}] contains duplicates.`);
  }
  return values;
}

/** Read one attribute value off the wire; SerializationException for wrong JSON, ValidationException as DynamoDB words it. */
export function readAttributeValue(json: JsonValue | undefined, where: string): AttributeValue {
  if (json === null || json === undefined || typeof json !== 'object' || Array.isArray(json)) {
    throw dynamoErrors.serialization(`Start of structure or map expected for the attribute value at ${where}.`);
  }
  const keys = Object.keys(json).filter((k) => json[k] !== null && json[k] !== undefined);
  if (keys.length === 0) {
    throw dynamoErrors.invalidParameters('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  }
  if (keys.length > 1) {
    throw dynamoErrors.invalidParameters('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  }
  const type = keys[0]!;
  const body = json[type]!;
  switch (type) {
    case 'S':
      return { S: readString(body, where) };
    case 'N':
      return { N: canonicalNumber(readString(body, where)) };
    case 'B':
      return { B: readBinary(body, where) };
    case 'BOOL':
      if (typeof body !== 'boolean') throw dynamoErrors.serialization(`${jsonKind(body)} cannot be converted to Boolean (at ${where})`);
      return { BOOL: body };
    case 'NULL':
      if (typeof body !== 'boolean') throw dynamoErrors.serialization(`${jsonKind(body)} cannot be converted to Boolean (at ${where})`);
      if (!body) throw dynamoErrors.invalidParameters('Null attribute value types must have the value of true');
      return { NULL: true };
    case 'M':
      return { M: readAttributeMap(body, where) };
    case 'L':
      return { L: readList(body, where).map((item, i) => readAttributeValue(item, `${where}[${i}]`)) };
    case 'SS':
    case 'NS':
    case 'BS':
      return { [type]: readSet(type, body, where) } as AttributeValue;
    default:
      throw dynamoErrors.serialization(`Unrecognized attribute value type ${type} at ${where}.`);
  }
}

export function readAttributeMap(json: JsonValue | undefined, where: string): AttributeMap {
  if (json === null || json === undefined || typeof json !== 'object' || Array.isArray(json)) {
    throw dynamoErrors.serialization(`Start of structure or map expected at ${where}.`);
  }
  const out: AttributeMap = {};
  for (const [name, value] of Object.entries(json)) out[name] = readAttributeValue(value, `${where}.${name}`);
  return out;
}

function bytesOfString(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

function bytesOfBinary(base64Text: string): Buffer {
  return Buffer.from(base64Text, 'base64');
}

/** Order two scalars of the same type as DynamoDB orders keys: N numerically, S by UTF-8 bytes, B by bytes. */
export function compareScalars(a: AttributeValue, b: AttributeValue): number {
  if ('N' in a && 'N' in b) return compareDecimals(decimalOf(a), decimalOf(b));
  if ('S' in a && 'S' in b) return Buffer.compare(bytesOfString(a.S), bytesOfString(b.S));
  if ('B' in a && 'B' in b) return Buffer.compare(bytesOfBinary(a.B), bytesOfBinary(b.B));
  throw new Error(`cannot order ${typeOf(a)} against ${typeOf(b)}`);
}

export function isScalar(value: AttributeValue): value is { S: string } | { N: string } | { B: string } {
  return 'S' in value || 'N' in value || 'B' in value;
}

/** Deep equality as DynamoDB's `=` sees it: same type, sets regardless of order, numbers by value. */
export function equalValues(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  switch (type) {
    case 'S':
    case 'N':
    case 'B':
      return compareScalars(a, b) === 0;
    case 'BOOL':
      return (a as { BOOL: boolean }).BOOL === (b as { BOOL: boolean }).BOOL;
    case 'NULL':
      return true;
    case 'SS':
    case 'NS':
    case 'BS': {
      const x = setMembers(a);
      const y = setMembers(b);
      return x.length === y.length && x.every((member) => y.some((other) => equalValues(member, other)));
    }
    case 'L': {
      const x = (a as { L: AttributeValue[] }).L;
      const y = (b as { L: AttributeValue[] }).L;
      return x.length === y.length && x.every((item, i) => equalValues(item, y[i]!));
    }
    case 'M': {
      const x = (a as { M: AttributeMap }).M;
      const y = (b as { M: AttributeMap }).M;
      const keys = Object.keys(x);
      return keys.length === Object.keys(y).length && keys.every((k) => y[k] !== undefined && equalValues(x[k]!, y[k]!));
    }
  }
}

/** A set's members as scalar attribute values. */
export function setMembers(value: AttributeValue): AttributeValue[] {
  if ('SS' in value) return value.SS.map((S) => ({ S }));
  if ('NS' in value) return value.NS.map((N) => ({ N }));
  if ('BS' in value) return value.BS.map((B) => ({ B }));
  return [];
}

/** The scalar type of a set's members. */
export function memberTypeOf(type: 'SS' | 'NS' | 'BS'): ScalarType {
  return type === 'SS' ? 'S' : type === 'NS' ? 'N' : 'B';
}

export function makeSet(type: 'SS' | 'NS' | 'BS', members: AttributeValue[]): AttributeValue {
  const texts = members.map((m) => (m as Record<string, string>)[memberTypeOf(type)]!);
  return { [type]: texts } as AttributeValue;
}

/** Size in bytes as DynamoDB counts it against the 400 KB item limit (close to its published rules). */
export function valueSize(value: AttributeValue): number {
  if ('S' in value) return bytesOfString(value.S).length;
  if ('N' in value) return Math.ceil(value.N.replace(/[-.]/g, '').replace(/^0+/, '').length / 2) + 1;
  if ('B' in value) return bytesOfBinary(value.B).length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((n, s) => n + bytesOfString(s).length, 0);
  if ('NS' in value) return value.NS.reduce((n, s) => n + valueSize({ N: s }), 0);
  if ('BS' in value) return value.BS.reduce((n, s) => n + bytesOfBinary(s).length, 0);
  if ('L' in value) return 3 + value.L.reduce((n, item) => n + 1 + valueSize(item), 0);
  return 3 + Object.entries(value.M).reduce((n, [k, item]) => n + 1 + bytesOfString(k).length + valueSize(item), 0);
}

export function itemSize(item: AttributeMap): number {
  let total = 0;
  for (const [name, value] of Object.entries(item)) total += bytesOfString(name).length + valueSize(value);
  return total;
}

export const MAX_ITEM_BYTES = 400 * 1024;

function encodeScalar(value: AttributeValue): string {
  if ('S' in value) return `S${value.S}`;
  if ('N' in value) return `N${value.N}`;
  if ('B' in value) return `B${value.B}`;
  throw new Error(`key value of type ${typeOf(value)}`);
}

/** One string per primary key, for maps keyed by item. */
export function encodeKey(key: AttributeMap, schema: KeySchema): string {
  const hash = key[schema.hash.name];
  if (!hash) throw new Error(`key has no ${schema.hash.name}`);
  const range = schema.range ? key[schema.range.name] : undefined;
  return JSON.stringify(range ? [encodeScalar(hash), encodeScalar(range)] : [encodeScalar(hash)]);
}

/** The primary key attributes of an item. */
export function keyOf(item: AttributeMap, schema: KeySchema): AttributeMap {
  const key: AttributeMap = { [schema.hash.name]: item[schema.hash.name]! };
  if (schema.range) key[schema.range.name] = item[schema.range.name]!;
  return key;
}

/** A deep copy, so stored items never share structure with what callers hold. */
export function cloneItem<T extends AttributeMap | AttributeValue>(value: T): T {
  return structuredClone(value);
}
