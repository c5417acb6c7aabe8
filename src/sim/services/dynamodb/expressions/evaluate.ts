import {
  cloneItem,
  compareScalars,
  equalValues,
  isScalar,
  makeSet,
  numberProblem,
  setMembers,
  typeOf,
  decimalOf,
} from '../attribute-values.js';
import { dynamoErrors } from '../errors.js';
import { addDecimals, checkDecimal, formatDecimal, negateDecimal } from '../numbers.js';
import type { AttributeMap, AttributeValue, KeySchema } from '../types.js';
import type { Condition, DocumentPath, Operand, SetValue, UpdateActions } from './parser.js';

/**
 * Evaluating parsed expressions against an item: conditions (a missing
 * attribute or a type mismatch makes a comparison false, as in DynamoDB),
 * projections, and update actions (every value is computed from the item as
 * it was before the update, then the actions are applied).
 */

export function resolvePath(item: AttributeMap, path: DocumentPath): AttributeValue | undefined {
  let current: AttributeValue | undefined;
  for (const [i, element] of path.entries()) {
    if (i === 0) {
      current = element.kind === 'attribute' ? item[element.name] : undefined;
      continue;
    }
    if (current === undefined) return undefined;
    if (element.kind === 'attribute') current = 'M' in current ? current.M[element.name] : undefined;
    else current = 'L' in current ? current.L[element.index] : undefined;
  }
  return current;
}

function sizeOf(value: AttributeValue): number | undefined {
  if ('S' in value) return [...value.S].length;
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  return undefined;
}

export function evaluateOperand(operand: Operand, item: AttributeMap): AttributeValue | undefined {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path':
      return resolvePath(item, operand.path);
    case 'size': {
      const value = resolvePath(item, operand.path);
      const size = value === undefined ? undefined : sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
  }
}

function ordered(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  if (a === undefined || b === undefined || !isScalar(a) || !isScalar(b) || typeOf(a) !== typeOf(b)) return undefined;
  return compareScalars(a, b);
}

export function evaluateCondition(condition: Condition, item: AttributeMap): boolean {
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item);
    case 'or':
      return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item);
    case 'not':
      return !evaluateCondition(condition.operand, item);
    case 'attribute_exists':
      return resolvePath(item, condition.path) !== undefined;
    case 'attribute_not_exists':
      return resolvePath(item, condition.path) === undefined;
    case 'attribute_type': {
      const value = resolvePath(item, condition.path);
      const type = evaluateOperand(condition.type, item);
      return value !== undefined && type !== undefined && 'S' in type && typeOf(value) === type.S;
    }
    case 'begins_with': {
      const value = resolvePath(item, condition.path);
      const prefix = evaluateOperand(condition.prefix, item);
      if (value === undefined || prefix === undefined) return false;
      if ('S' in value && 'S' in prefix) return Buffer.from(value.S).subarray(0, Buffer.byteLength(prefix.S)).equals(Buffer.from(prefix.S));
      if ('B' in value && 'B' in prefix) {
        const bytes = Buffer.from(value.B, 'base64');
        const head = Buffer.from(prefix.B, 'base64');
        return bytes.subarray(0, head.length).equals(head);
      }
      return false;
    }
    case 'contains': {
      const value = resolvePath(item, condition.path);
      const needle = evaluateOperand(condition.operand, item);
      if (value === undefined || needle === undefined) return false;
      if ('S' in value) return 'S' in needle && value.S.includes(needle.S);
      if ('SS' in value || 'NS' in value || 'BS' in value) return setMembers(value).some((m) => equalValues(m, needle));
      if ('L' in value) return value.L.some((element) => equalValues(element, needle));
      return false;
    }
    case 'compare': {
      const left = evaluateOperand(condition.left, item);
      const right = evaluateOperand(condition.right, item);
      switch (condition.op) {
        case '=':
          return left !== undefined && right !== undefined && equalValues(left, right);
        case '<>':
          if (left === undefined && right === undefined) return false;
          return left === undefined || right === undefined || !equalValues(left, right);
        default: {
          const order = ordered(left, right);
          if (order === undefined) return false;
          if (condition.op === '<') return order < 0;
          if (condition.op === '<=') return order <= 0;
          if (condition.op === '>') return order > 0;
          return order >= 0;
        }
      }
    }
    case 'between': {
      const subject = evaluateOperand(condition.subject, item);
      const low = ordered(subject, evaluateOperand(condition.low, item));
      const high = ordered(subject, evaluateOperand(condition.high, item));
      return low !== undefined && high !== undefined && low >= 0 && high <= 0;
    }
    case 'in': {
      const subject = evaluateOperand(condition.subject, item);
      if (subject === undefined) return false;
      return condition.candidates.some((candidate) => {
        const value = evaluateOperand(candidate, item);
        return value !== undefined && equalValues(subject, value);
      });
    }
  }
}

/**
 * The parts of an item that the paths name, nested as in the item. Elements
 * picked out of a list keep their order and close up, as DynamoDB returns them.
 */
export function project(item: AttributeMap, paths: readonly DocumentPath[]): AttributeMap {
  const out: AttributeMap = {};
  for (const path of paths) {
    const value = resolvePath(item, path);
    if (value === undefined) continue;
    insertProjected(out, path, cloneItem(value), item);
  }
  return compactLists(out);
}

type Sparse = AttributeValue | { L: (AttributeValue | undefined)[] };

function insertProjected(out: AttributeMap, path: DocumentPath, value: AttributeValue, source: AttributeMap): void {
  let container: Sparse = { M: out };
  let original: AttributeValue | undefined = { M: source };
  for (const [i, element] of path.entries()) {
    const last = i === path.length - 1;
    if (element.kind === 'attribute') {
      const map: AttributeMap = (container as { M: AttributeMap }).M;
      original = original && 'M' in original ? original.M[element.name] : undefined;
      if (last) {
        map[element.name] = value;
        return;
      }
      map[element.name] ??= original && 'L' in original ? { L: [] } : { M: {} };
      container = map[element.name]!;
    } else {
      const list: (AttributeValue | undefined)[] = (container as { L: (AttributeValue | undefined)[] }).L;
      original = original && 'L' in original ? original.L[element.index] : undefined;
      if (last) {
        list[element.index] = value;
        return;
      }
      list[element.index] ??= original && 'L' in original ? { L: [] } : { M: {} };
      container = list[element.index]!;
    }
  }
}

function compactLists(map: AttributeMap): AttributeMap {
  const compact = (value: AttributeValue): AttributeValue => {
    if ('L' in value) return { L: value.L.filter((v): v is AttributeValue => v !== undefined).map(compact) };
    if ('M' in value) return { M: Object.fromEntries(Object.entries(value.M).map(([k, v]) => [k, compact(v)])) };
    return value;
  };
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, compact(v)]));
}

// ---- updates ----------------------------------------------------------------

const invalidForUpdate = () => dynamoErrors.validation('The document path provided in the update expression is invalid for update');
const wrongOperandType = () => dynamoErrors.validation('An operand in the update expression has an incorrect data type');
const missingAttribute = () => dynamoErrors.validation('The provided expression refers to an attribute that does not exist in the item');

/** Refuse an update that touches a key attribute, before anything is evaluated. */
export function checkKeyNotUpdated(actions: UpdateActions, schema: KeySchema): void {
  const keys = [schema.hash.name, ...(schema.range ? [schema.range.name] : [])];
  const paths = [...actions.set.map((a) => a.path), ...actions.remove, ...actions.add.map((a) => a.path), ...actions.delete.map((a) => a.path)];
  for (const path of paths) {
    const head = path[0]!;
    if (head.kind === 'attribute' && keys.includes(head.name)) {
      throw dynamoErrors.invalidParameters(`Cannot update attribute ${head.name}. This attribute is part of the key`);
    }
  }
}

function evaluateSetValue(value: SetValue, item: AttributeMap): AttributeValue {
  switch (value.kind) {
    case 'value':
      return value.value;
    case 'path': {
      const found = resolvePath(item, value.path);
      if (found === undefined) throw missingAttribute();
      return found;
    }
    case 'size':
      throw dynamoErrors.validation('Invalid UpdateExpression: The function is not allowed in an update expression; function: size');
    case 'if_not_exists':
      return resolvePath(item, value.path) ?? evaluateSetValue(value.fallback, item);
    case 'list_append': {
      const first = evaluateSetValue(value.first, item);
      const second = evaluateSetValue(value.second, item);
      if (!('L' in first) || !('L' in second)) throw wrongOperandType();
      return { L: [...first.L, ...second.L] };
    }
    case 'arithmetic': {
      const left = evaluateSetValue(value.left, item);
      const right = evaluateSetValue(value.right, item);
      if (!('N' in left) || !('N' in right)) throw wrongOperandType();
      const b = decimalOf(right);
      return numberOf(addDecimals(decimalOf(left), value.op === '+' ? b : negateDecimal(b)));
    }
  }
}

function numberOf(value: Parameters<typeof formatDecimal>[0]): AttributeValue {
  const problem = checkDecimal(value);
  if (problem) throw numberProblem(problem);
  return { N: formatDecimal(value) };
}

/** The container a path's last step writes into, or undefined when the path's parent does not exist. */
function parentOf(item: AttributeMap, path: DocumentPath): AttributeValue | undefined {
  return path.length === 1 ? { M: item } : resolvePath(item, path.slice(0, -1));
}

function setAt(item: AttributeMap, path: DocumentPath, value: AttributeValue): void {
  const parent = parentOf(item, path);
  const last = path[path.length - 1]!;
  if (parent === undefined) throw invalidForUpdate();
  if (last.kind === 'attribute') {
    if (!('M' in parent)) throw invalidForUpdate();
    parent.M[last.name] = value;
    return;
  }
  if (!('L' in parent)) throw invalidForUpdate();
  // Past the end appends, as DynamoDB does.
  if (last.index >= parent.L.length) parent.L.push(value);
  else parent.L[last.index] = value;
}

function removeAt(item: AttributeMap, path: DocumentPath): void {
  const parent = parentOf(item, path);
  const last = path[path.length - 1]!;
  if (parent === undefined) return;
  if (last.kind === 'attribute') {
    if ('M' in parent) delete parent.M[last.name];
    return;
  }
  if ('L' in parent && last.index < parent.L.length) parent.L.splice(last.index, 1);
}

function comparePathsForRemoval(a: DocumentPath, b: DocumentPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.kind === 'index' && y.kind === 'index') {
      if (x.index !== y.index) return y.index - x.index;
    } else {
      const sx = x.kind === 'attribute' ? x.name : `[${x.index}]`;
      const sy = y.kind === 'attribute' ? y.name : `[${y.index}]`;
      if (sx !== sy) return sx < sy ? -1 : 1;
    }
  }
  return a.length - b.length;
}

/**
 * Apply an update to `original` (not modified); returns the new item. Every
 * value is computed from `original`, so `SET a = b, b = a` swaps.
 */
export function applyUpdate(original: AttributeMap, actions: UpdateActions): AttributeMap {
  const sets = actions.set.map((action) => ({ path: action.path, value: cloneItem(evaluateSetValue(action.value, original)) }));
  const adds = actions.add.map((action) => ({ path: action.path, value: added(resolvePath(original, action.path), action.value) }));
  const deletes = actions.delete.map((action) => ({
    path: action.path,
    value: withoutMembers(resolvePath(original, action.path), action.value),
  }));
  const item = cloneItem(original);
  for (const { path, value } of sets) setAt(item, path, value);
  for (const { path, value } of adds) setAt(item, path, value);
  for (const { path, value } of deletes) {
    if (value === 'unchanged') continue;
    if (value === undefined) removeAt(item, path);
    else setAt(item, path, value);
  }
  // Highest list index first, so removing [1] and [3] removes what the caller saw at 1 and 3.
  for (const path of [...actions.remove].sort(comparePathsForRemoval)) removeAt(item, path);
  return item;
}

function added(existing: AttributeValue | undefined, value: AttributeValue): AttributeValue {
  if (existing === undefined) return cloneItem(value);
  if ('N' in value) {
    if (!('N' in existing)) throw wrongOperandType();
    return numberOf(addDecimals(decimalOf(existing), decimalOf(value)));
  }
  const type = typeOf(value) as 'SS' | 'NS' | 'BS';
  if (typeOf(existing) !== type) throw wrongOperandType();
  const members = setMembers(existing);
  for (const member of setMembers(value)) if (!members.some((m) => equalValues(m, member))) members.push(member);
  return makeSet(type, members);
}

/** The set without the given members; undefined when nothing is left (the attribute goes), 'unchanged' when there was no set. */
function withoutMembers(existing: AttributeValue | undefined, value: AttributeValue): AttributeValue | undefined | 'unchanged' {
  if (existing === undefined) return 'unchanged';
  const type = typeOf(value) as 'SS' | 'NS' | 'BS';
  if (typeOf(existing) !== type) throw wrongOperandType();
  const drop = setMembers(value);
  const kept = setMembers(existing).filter((m) => !drop.some((d) => equalValues(d, m)));
  return kept.length === 0 ? undefined : makeSet(type, kept);
}

/** The top-level attributes an update names, for ReturnValues UPDATED_OLD / UPDATED_NEW. */
export function updatedPaths(actions: UpdateActions): DocumentPath[] {
  return [...actions.set.map((a) => a.path), ...actions.remove, ...actions.add.map((a) => a.path), ...actions.delete.map((a) => a.path)];
}
