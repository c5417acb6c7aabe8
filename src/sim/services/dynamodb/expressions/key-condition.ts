import { compareScalars } from '../attribute-values.js';
import { dynamoErrors } from '../errors.js';
import type { AttributeMap, AttributeValue, KeySchema } from '../types.js';
import type { Condition, Operand } from './parser.js';

/**
 * A Query's KeyConditionExpression, checked against the key schema: an
 * equality on the partition key, optionally AND one condition on the sort
 * key (`=`, `<`, `<=`, `>`, `>=`, BETWEEN or begins_with).
 */
export type SortKeyCondition =
  | { op: '=' | '<' | '<=' | '>' | '>='; value: AttributeValue }
  | { op: 'between'; low: AttributeValue; high: AttributeValue }
  | { op: 'begins_with'; prefix: AttributeValue };

export interface KeyCondition {
  /** `{ pk: value }`, to find the partition. */
  partition: AttributeMap;
  sort?: SortKeyCondition;
}

const notSupported = () => dynamoErrors.validation('Query key condition not supported');
const typeMismatch = () => dynamoErrors.invalidParameters('Condition parameter type does not match schema type');

function operatorName(condition: Condition): string {
  switch (condition.kind) {
    case 'compare':
      return condition.op;
    case 'between':
      return 'BETWEEN';
    case 'in':
      return 'IN';
    case 'and':
      return 'AND';
    case 'or':
      return 'OR';
    case 'not':
      return 'NOT';
    default:
      return condition.kind;
  }
}

function leaves(condition: Condition): Condition[] {
  if (condition.kind === 'and') return [...leaves(condition.left), ...leaves(condition.right)];
  return [condition];
}

function attributeOf(operand: Operand): string | undefined {
  if (operand.kind !== 'path' || operand.path.length !== 1) return undefined;
  const head = operand.path[0]!;
  return head.kind === 'attribute' ? head.name : undefined;
}

function valueOf(operand: Operand): AttributeValue {
  if (operand.kind !== 'value') throw notSupported();
  return operand.value;
}

export function analyzeKeyCondition(condition: Condition, schema: KeySchema): KeyCondition {
  const parts = leaves(condition);
  for (const part of parts) {
    const allowed =
      (part.kind === 'compare' && part.op !== '<>') || part.kind === 'between' || part.kind === 'begins_with';
    if (!allowed) throw dynamoErrors.validation(`Invalid operator used in KeyConditionExpression: ${operatorName(part)}`);
  }
  if (parts.length > 2) throw dynamoErrors.validation('Conditions can be of length 1 or 2 only');

  let partition: AttributeMap | undefined;
  let sort: SortKeyCondition | undefined;
  for (const part of parts) {
    const name =
      part.kind === 'compare'
        ? attributeOf(part.left)
        : part.kind === 'between'
          ? attributeOf(part.subject)
          : part.kind === 'begins_with'
            ? attributeOf({ kind: 'path', path: part.path })
            : undefined;
    if (name === undefined) throw notSupported();
    if (name === schema.hash.name) {
      if (part.kind !== 'compare' || part.op !== '=') throw notSupported();
      if (partition) throw dynamoErrors.validation('KeyConditionExpressions must only contain one condition per key');
      const value = valueOf(part.right);
      if (!(schema.hash.type in value)) throw typeMismatch();
      partition = { [name]: value };
      continue;
    }
    if (!schema.range || name !== schema.range.name) {
      throw dynamoErrors.validation(`Query condition missed key schema element: ${schema.range?.name ?? schema.hash.name}`);
    }
    if (sort) throw dynamoErrors.validation('KeyConditionExpressions must only contain one condition per key');
    const type = schema.range.type;
    if (part.kind === 'compare') {
      const value = valueOf(part.right);
      if (!(type in value)) throw typeMismatch();
      sort = { op: part.op as '=' | '<' | '<=' | '>' | '>=', value };
    } else if (part.kind === 'between') {
      const low = valueOf(part.low);
      const high = valueOf(part.high);
      if (!(type in low) || !(type in high)) throw typeMismatch();
      sort = { op: 'between', low, high };
    } else if (part.kind === 'begins_with') {
      const prefix = valueOf(part.prefix);
      if (type === 'N') throw notSupported();
      if (!(type in prefix)) throw typeMismatch();
      sort = { op: 'begins_with', prefix };
    }
  }
  if (!partition) throw dynamoErrors.validation(`Query condition missed key schema element: ${schema.hash.name}`);
  return { partition, ...(sort ? { sort } : {}) };
}

/** Whether a sort key value satisfies the sort key condition. */
export function matchesSortKey(value: AttributeValue, condition: SortKeyCondition): boolean {
  switch (condition.op) {
    case '=':
      return compareScalars(value, condition.value) === 0;
    case '<':
      return compareScalars(value, condition.value) < 0;
    case '<=':
      return compareScalars(value, condition.value) <= 0;
    case '>':
      return compareScalars(value, condition.value) > 0;
    case '>=':
      return compareScalars(value, condition.value) >= 0;
    case 'between':
      return compareScalars(value, condition.low) >= 0 && compareScalars(value, condition.high) <= 0;
    case 'begins_with': {
      if ('S' in value && 'S' in condition.prefix) return Buffer.from(value.S).subarray(0, Buffer.byteLength(condition.prefix.S)).equals(Buffer.from(condition.prefix.S));
      if ('B' in value && 'B' in condition.prefix) {
        const head = Buffer.from(condition.prefix.B, 'base64');
        return Buffer.from(value.B, 'base64').subarray(0, head.length).equals(head);
      }
      return false;
    }
  }
}
