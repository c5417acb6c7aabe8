import type { AttributeMap, AttributeValue } from '../types.js';
import { dynamoErrors } from '../errors.js';
import { compareScalars, isAttributeType, isScalar, typeOf } from '../attribute-values.js';
import { isReservedWord } from './reserved-words.js';

/**
 * DynamoDB's expression language: a tokenizer and a recursive-descent parser
 * for condition, filter, key-condition, update and projection expressions.
 * Placeholders (`#name`, `:value`) are resolved while parsing, so the AST
 * holds real attribute names and values; every error is the
 * ValidationException DynamoDB answers, worded as it words it.
 *
 * Precedence, loosest first: OR, AND, NOT, then comparisons, IN, BETWEEN,
 * functions and parentheses (Developer Guide, "Comparison operator and
 * function reference").
 */

export type ExpressionKind =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression';

export type PathElement = { kind: 'attribute'; name: string } | { kind: 'index'; index: number };
/** A document path: an attribute name, then `.name` and `[n]` steps. */
export type DocumentPath = PathElement[];

export type Operand =
  | { kind: 'path'; path: DocumentPath }
  | { kind: 'value'; ref: string; value: AttributeValue }
  | { kind: 'size'; path: DocumentPath };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'compare'; op: Comparator; left: Operand; right: Operand }
  | { kind: 'between'; subject: Operand; low: Operand; high: Operand }
  | { kind: 'in'; subject: Operand; candidates: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'attribute_exists' | 'attribute_not_exists'; path: DocumentPath }
  | { kind: 'attribute_type'; path: DocumentPath; type: Operand }
  | { kind: 'begins_with'; path: DocumentPath; prefix: Operand }
  | { kind: 'contains'; path: DocumentPath; operand: Operand };

/** The right-hand side of a SET action. */
export type SetValue =
  | Operand
  | { kind: 'if_not_exists'; path: DocumentPath; fallback: SetValue }
  | { kind: 'list_append'; first: SetValue; second: SetValue }
  | { kind: 'arithmetic'; op: '+' | '-'; left: SetValue; right: SetValue };

export interface UpdateActions {
  set: { path: DocumentPath; value: SetValue }[];
  remove: DocumentPath[];
  add: { path: DocumentPath; value: AttributeValue }[];
  delete: { path: DocumentPath; value: AttributeValue }[];
}

/**
 * The ExpressionAttributeNames and ExpressionAttributeValues of one request,
 * shared by all its expressions, remembering which placeholders were used:
 * DynamoDB refuses a request that supplies one no expression uses.
 */
export class ExpressionAttributes {
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(
    readonly names: Readonly<Record<string, string>> = {},
    readonly values: Readonly<AttributeMap> = {},
  ) {}

  name(ref: string, kind: ExpressionKind): string {
    const name = Object.hasOwn(this.names, ref) ? this.names[ref] : undefined;
    if (name === undefined) {
      throw invalid(kind, `An expression attribute name used in the document path is not defined; attribute name: ${ref}`);
    }
    this.usedNames.add(ref);
    return name;
  }

  value(ref: string, kind: ExpressionKind): AttributeValue {
    const value = Object.hasOwn(this.values, ref) ? this.values[ref] : undefined;
    if (value === undefined) {
      throw invalid(kind, `An expression attribute value used in expression is not defined; attribute value: ${ref}`);
    }
    this.usedValues.add(ref);
    return value;
  }

  /** After every expression of the request is parsed: refuse placeholders nothing used. */
  checkAllUsed(): void {
    const names = Object.keys(this.names).filter((ref) => !this.usedNames.has(ref));
    if (names.length > 0) {
      throw dynamoErrors.validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${names.join(', ')}}`);
    }
    const values = Object.keys(this.values).filter((ref) => !this.usedValues.has(ref));
    if (values.length > 0) {
      throw dynamoErrors.validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${values.join(', ')}}`);
    }
  }
}

function invalid(kind: ExpressionKind, why: string): Error {
  return dynamoErrors.validation(`Invalid ${kind}: ${why}`);
}

// ---- tokens ---------------------------------------------------------------

type TokenKind = 'word' | 'nameRef' | 'valueRef' | 'number' | 'op' | 'eof';

interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const operators = ['<>', '<=', '>=', '<', '>', '=', '(', ')', ',', '.', '[', ']', '+', '-'];

function tokenize(text: string, kind: ExpressionKind): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (tokenKind: TokenKind, start: number, end: number) => tokens.push({ kind: tokenKind, text: text.slice(start, end), start, end });
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '#' || c === ':') {
      i++;
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
      if (i === start + 1) throw syntaxErrorAt(text, kind, { kind: 'op', text: c, start, end: i }, tokens);
      push(c === '#' ? 'nameRef' : 'valueRef', start, i);
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++;
      push('word', start, i);
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < text.length && /[0-9]/.test(text[i]!)) i++;
      push('number', start, i);
      continue;
    }
    const op = operators.find((o) => text.startsWith(o, i));
    if (!op) throw syntaxErrorAt(text, kind, { kind: 'op', text: c, start, end: start + 1 }, tokens);
    i += op.length;
    push('op', start, i);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: text.length, end: text.length });
  return tokens;
}

/** DynamoDB's syntax error: the offending token and the text around it. */
function syntaxErrorAt(text: string, kind: ExpressionKind, token: Token, tokens: readonly Token[]): Error {
  const before = tokens.filter((t) => t.end <= token.start && t.kind !== 'eof');
  const from = before.length > 0 ? before[before.length - 1]!.start : token.start;
  const after = /\S+/.exec(text.slice(token.end));
  const to = after ? token.end + after.index + after[0].length : token.end;
  const near = token.kind === 'eof' ? text.slice(before.length > 1 ? before[before.length - 2]!.start : from).trim() : text.slice(from, to).trim();
  return invalid(kind, `Syntax error; token: "${token.text}", near: "${near}"`);
}

const conditionFunctions = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains']);
const updateFunctions = new Set(['if_not_exists', 'list_append']);
const comparators = new Set<string>(['=', '<>', '<', '<=', '>', '>=']);
const clauses = ['SET', 'REMOVE', 'ADD', 'DELETE'] as const;
type Clause = (typeof clauses)[number];

const arity: Record<string, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
  if_not_exists: 2,
  list_append: 2,
};

/** The type names DynamoDB puts in "Incorrect operand type" messages. */
const longTypeNames: Record<string, string> = {
  S: 'STRING',
  N: 'NUMBER',
  B: 'BINARY',
  BOOL: 'BOOLEAN',
  NULL: 'NULL',
  M: 'MAP',
  L: 'LIST',
  SS: 'STRING_SET',
  NS: 'NUMBER_SET',
  BS: 'BINARY_SET',
};

/** `AttributeValue: {N:5}`, the way DynamoDB shows a literal in messages. */
function showValue(value: AttributeValue): string {
  const type = typeOf(value);
  const body = (value as Record<string, unknown>)[type];
  return `AttributeValue: {${type}:${typeof body === 'string' ? body : JSON.stringify(body)}}`;
}

/** `[a, b, [1]]`, the way DynamoDB shows a document path in messages. */
export function showPath(path: DocumentPath): string {
  return `[${path.map((e) => (e.kind === 'attribute' ? e.name : `[${e.index}]`)).join(', ')}]`;
}

// ---- parser ---------------------------------------------------------------

class Parser {
  private readonly tokens: Token[];
  private at = 0;

  constructor(
    private readonly text: string,
    private readonly kind: ExpressionKind,
    private readonly attributes: ExpressionAttributes,
  ) {
    if (text.trim() === '') throw invalid(kind, 'The expression can not be empty;');
    this.tokens = tokenize(text, kind);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.at++;
    return token;
  }

  private isOp(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'op' && token.text === text;
  }

  private isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'word' && token.text.toUpperCase() === word;
  }

  private expectOp(text: string): void {
    if (!this.isOp(text)) throw this.syntaxError();
    this.next();
  }

  syntaxError(token = this.peek()): Error {
    return syntaxErrorAt(this.text, this.kind, token, this.tokens);
  }

  fail(why: string): Error {
    return invalid(this.kind, why);
  }

  expectEnd(): void {
    if (this.peek().kind !== 'eof') throw this.syntaxError();
  }

  // -- paths and operands --

  private attributeName(): string {
    const token = this.next();
    if (token.kind === 'nameRef') return this.attributes.name(token.text, this.kind);
    if (token.kind === 'word') {
      if (isReservedWord(token.text)) throw this.fail(`Attribute name is a reserved keyword; reserved keyword: ${token.text}`);
      return token.text;
    }
    throw this.syntaxError(token);
  }

  path(): DocumentPath {
    const path: DocumentPath = [{ kind: 'attribute', name: this.attributeName() }];
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        path.push({ kind: 'attribute', name: this.attributeName() });
      } else if (this.isOp('[')) {
        this.next();
        const token = this.next();
        if (token.kind !== 'number') throw this.syntaxError(token);
        path.push({ kind: 'index', index: Number(token.text) });
        this.expectOp(']');
      } else {
        return path;
      }
    }
  }

  /** A function's argument list, after its name: `( a, b )`. */
  private args<T>(name: string, read: () => T): T[] {
    this.expectOp('(');
    const args = [read()];
    while (this.isOp(',')) {
      this.next();
      args.push(read());
    }
    this.expectOp(')');
    if (args.length !== arity[name]) {
      throw this.fail(`Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    }
    return args;
  }

  private requirePath(operand: Operand | SetValue, fn: string): DocumentPath {
    if (operand.kind !== 'path') throw this.fail(`Operator or function requires a document path; operator or function: ${fn}`);
    return operand.path;
  }

  operand(): Operand {
    const token = this.peek();
    if (token.kind === 'valueRef') {
      this.next();
      return { kind: 'value', ref: token.text, value: this.attributes.value(token.text, this.kind) };
    }
    if (token.kind === 'word' && this.isOp('(', 1)) {
      this.next();
      if (token.text === 'size') {
        const [arg] = this.args('size', () => this.operand());
        return { kind: 'size', path: this.requirePath(arg!, 'size') };
      }
      throw this.misplacedFunction(token.text);
    }
    if (token.kind === 'word' || token.kind === 'nameRef') return { kind: 'path', path: this.path() };
    throw this.syntaxError();
  }

  private misplacedFunction(name: string): Error {
    if (conditionFunctions.has(name) || name === 'size' || updateFunctions.has(name)) {
      if (this.kind === 'UpdateExpression' && !updateFunctions.has(name)) {
        return this.fail(`The function is not allowed in an update expression; function: ${name}`);
      }
      if (this.kind !== 'UpdateExpression' && updateFunctions.has(name)) {
        return this.fail(`The function is not allowed in a condition expression; function: ${name}`);
      }
      return this.fail(`The function is not allowed to be used this way in an expression; function: ${name}`);
    }
    return this.fail(`Invalid function name; function: ${name}`);
  }

  // -- conditions --

  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', operand: this.negation() };
    }
    return this.primary();
  }

  private primary(): Condition {
    if (this.isOp('(')) {
      this.next();
      const inner = this.condition();
      this.expectOp(')');
      return inner;
    }
    const token = this.peek();
    if (token.kind === 'word' && this.isOp('(', 1) && token.text !== 'size') {
      if (!conditionFunctions.has(token.text)) {
        this.next();
        throw this.misplacedFunction(token.text);
      }
      this.next();
      return this.conditionFunction(token.text);
    }
    return this.comparison(this.operand());
  }

  private conditionFunction(name: string): Condition {
    const args = this.args(name, () => this.operand());
    const path = this.requirePath(args[0]!, name);
    const second = args[1];
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        return { kind: name, path };
      case 'attribute_type': {
        if (second!.kind === 'value') {
          const value = second!.value;
          if (!('S' in value)) {
            throw this.fail(`Incorrect operand type for operator or function; operator or function: attribute_type, operand type: ${longTypeNames[typeOf(value)]}`);
          }
          if (!isAttributeType(value.S)) {
            throw this.fail(`Invalid attribute type name found; type: ${value.S}, valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }`);
          }
        }
        return { kind: 'attribute_type', path, type: second! };
      }
      case 'begins_with':
        if (second!.kind === 'value' && !('S' in second!.value) && !('B' in second!.value)) {
          throw this.fail(`Incorrect operand type for operator or function; operator or function: begins_with, operand type: ${longTypeNames[typeOf(second!.value)]}`);
        }
        return { kind: 'begins_with', path, prefix: second! };
      default:
        return { kind: 'contains', path, operand: second! };
    }
  }

  private comparison(subject: Operand): Condition {
    const token = this.peek();
    if (token.kind === 'op' && comparators.has(token.text)) {
      this.next();
      const op = token.text as Comparator;
      const right = this.operand();
      if (op !== '=' && op !== '<>') {
        for (const side of [subject, right]) {
          if (side.kind === 'value' && !isScalar(side.value)) {
            throw this.fail(`Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${longTypeNames[typeOf(side.value)]}`);
          }
        }
      }
      return { kind: 'compare', op, left: subject, right };
    }
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.operand();
      if (!this.isKeyword('AND')) throw this.syntaxError();
      this.next();
      const high = this.operand();
      this.checkBetween(low, high);
      return { kind: 'between', subject, low, high };
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.expectOp('(');
      const candidates = [this.operand()];
      while (this.isOp(',')) {
        this.next();
        candidates.push(this.operand());
      }
      this.expectOp(')');
      if (candidates.length > 100) {
        throw this.fail(`The IN operator is provided with too many operands; number of operands: ${candidates.length}`);
      }
      return { kind: 'in', subject, candidates };
    }
    throw this.syntaxError();
  }

  private checkBetween(low: Operand, high: Operand): void {
    for (const bound of [low, high]) {
      if (bound.kind === 'value' && !isScalar(bound.value)) {
        throw this.fail(`Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: ${longTypeNames[typeOf(bound.value)]}`);
      }
    }
    if (low.kind !== 'value' || high.kind !== 'value') return;
    const bounds = `lower bound operand: ${showValue(low.value)}, upper bound operand: ${showValue(high.value)}`;
    if (typeOf(low.value) !== typeOf(high.value)) {
      throw this.fail(`The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
    }
    if (compareScalars(low.value, high.value) > 0) {
      throw this.fail(`The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
    }
  }

  // -- updates --

  update(): UpdateActions {
    const actions: UpdateActions = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<Clause>();
    do {
      const token = this.next();
      const clause = clauses.find((c) => token.kind === 'word' && token.text.toUpperCase() === c);
      if (!clause) throw this.syntaxError(token);
      if (seen.has(clause)) throw this.fail(`The "${clause}" section can only be used once in an update expression;`);
      seen.add(clause);
      for (;;) {
        if (clause === 'SET') {
          const path = this.path();
          this.expectOp('=');
          actions.set.push({ path, value: this.setValue() });
        } else if (clause === 'REMOVE') {
          actions.remove.push(this.path());
        } else {
          const path = this.path();
          const token = this.next();
          if (token.kind !== 'valueRef') throw this.syntaxError(token);
          const value = this.attributes.value(token.text, this.kind);
          const type = typeOf(value);
          const allowed = clause === 'ADD' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS'];
          if (!allowed.includes(type)) {
            throw this.fail(`Incorrect operand type for operator or function; operator: ${clause}, operand type: ${longTypeNames[type]}`);
          }
          (clause === 'ADD' ? actions.add : actions.delete).push({ path, value });
        }
        if (!this.isOp(',')) break;
        this.next();
      }
    } while (this.peek().kind !== 'eof');
    return actions;
  }

  // -- projections --

  projection(): DocumentPath[] {
    const paths = [this.path()];
    while (this.isOp(',')) {
      this.next();
      paths.push(this.path());
    }
    return paths;
  }

  private setValue(): SetValue {
    const left = this.setOperand();
    if (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text as '+' | '-';
      return { kind: 'arithmetic', op, left, right: this.setOperand() };
    }
    return left;
  }

  private setOperand(): SetValue {
    const token = this.peek();
    if (token.kind === 'word' && this.isOp('(', 1)) {
      this.next();
      if (token.text === 'if_not_exists') {
        const [path, fallback] = this.args('if_not_exists', () => this.setValue());
        return { kind: 'if_not_exists', path: this.requirePath(path!, 'if_not_exists'), fallback: fallback! };
      }
      if (token.text === 'list_append') {
        const [first, second] = this.args('list_append', () => this.setValue());
        return { kind: 'list_append', first: first!, second: second! };
      }
      throw this.misplacedFunction(token.text);
    }
    return this.operand();
  }
}

function parse<T>(text: string, kind: ExpressionKind, attributes: ExpressionAttributes, read: (parser: Parser) => T): T {
  const parser = new Parser(text, kind, attributes);
  const result = read(parser);
  parser.expectEnd();
  return result;
}

/** A ConditionExpression, FilterExpression or KeyConditionExpression. */
export function parseCondition(text: string, kind: ExpressionKind, attributes: ExpressionAttributes): Condition {
  return parse(text, kind, attributes, (p) => p.condition());
}

export function parseUpdate(text: string, attributes: ExpressionAttributes): UpdateActions {
  const actions = parse(text, 'UpdateExpression', attributes, (p) => p.update());
  const paths = [...actions.set.map((a) => a.path), ...actions.remove, ...actions.add.map((a) => a.path), ...actions.delete.map((a) => a.path)];
  checkOverlap(paths, 'UpdateExpression');
  return actions;
}

export function parseProjection(text: string, attributes: ExpressionAttributes): DocumentPath[] {
  const paths = parse(text, 'ProjectionExpression', attributes, (p) => p.projection());
  checkOverlap(paths, 'ProjectionExpression');
  return paths;
}

function samePrefix(a: DocumentPath, b: DocumentPath): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.kind !== y.kind) return false;
    if (x.kind === 'attribute' ? x.name !== (y as { name: string }).name : x.index !== (y as { index: number }).index) return false;
  }
  return true;
}

function checkOverlap(paths: DocumentPath[], kind: ExpressionKind): void {
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      if (samePrefix(paths[i]!, paths[j]!)) {
        throw invalid(
          kind,
          `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${showPath(paths[i]!)}, path two: ${showPath(paths[j]!)}`,
        );
      }
    }
  }
}
