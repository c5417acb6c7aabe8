import { z } from 'zod';
import { AwsError, UnknownOperationError, type CallContext, type InvokeResult, type ServiceBinding, type SimRequest, type SimResponse } from '../types.js';
import { encodeContent, escapeXml, XML_DECLARATION, type XmlValue } from './xml.js';

/**
 * The awsQuery protocol (RDS; EC2's query variant with `flattenLists`):
 * form-urlencoded parameters in, XML out, errors as `<ErrorResponse>`.
 * Knows nothing of any one service: a service hands it an operation table
 * (name → input schema → handler) and the element names of its list members.
 */

/** Decoded parameters: numbered segments became arrays, everything else nested objects of strings. */
export type QueryParams = string | QueryParams[] | { [key: string]: QueryParams };
export type QueryObject = { [key: string]: QueryParams };

/** An operation's output before it goes on the wire. */
export type QueryOutput = { readonly [key: string]: XmlValue };

export interface QueryDecodeOptions {
  /**
   * EC2 style: a list's items are numbered right after its name
   * (`Filter.1.Name`). Otherwise (awsQuery) a member-name level sits in
   * between (`Filters.Filter.1.Name`, `TagKeys.member.1`) and is collapsed.
   */
  flattenLists?: boolean;
}

/** Parameters that are the request's envelope or its signature, not the operation's input. */
const envelope = new Set(['Action', 'Version']);
const isSigningParameter = (key: string): boolean => key.startsWith('X-Amz-');

/**
 * Split a form-urlencoded string into pairs. Broken percent-encoding is a
 * syntax error: MalformedQueryString, with the 404 status AWS's Common
 * Errors page gives it (odd, but what the Query services document).
 */
export function parseForm(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([formDecode(rawKey), formDecode(rawValue)]);
  }
  return pairs;
}

function formDecode(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw new AwsError('MalformedQueryString', `The query string is malformed: "${raw.slice(0, 64)}" is not valid percent-encoding.`, 404);
  }
}

type Node =
  | { kind: 'value'; value: string }
  | { kind: 'struct'; fields: Map<string, Node> }
  | { kind: 'list'; items: Map<number, Node> };

const isIndex = (segment: string): boolean => /^\d+$/.test(segment);

/**
 * Nest flat `A.B.1.C=v` pairs into objects and arrays. Indexes are 1-based
 * and need not be contiguous (they are compacted in order); an empty list is
 * sent as `A=` and stays the empty string, for the input schema to read.
 */
const MAX_NAME_DEPTH = 64;

export function decodeParams(pairs: readonly (readonly [string, string])[], options: QueryDecodeOptions = {}): QueryObject {
  const root: Node = { kind: 'struct', fields: new Map() };
  for (const [key, value] of pairs) {
    if (envelope.has(key) || isSigningParameter(key)) continue;
    const segments = key.split('.');
    if (segments.some((s) => s === '')) throw malformed(key, 'empty name segment');
    // No AWS Query API nests anywhere near this deep; refusing here keeps the
    // recursive rebuild in finish() far from the stack's limit.
    if (segments.length > MAX_NAME_DEPTH) throw malformed(key.slice(0, 64) + '…', `nested more than ${MAX_NAME_DEPTH} levels deep`);
    insert(root, segments, value, key, options);
  }
  const out = finish(root);
  return typeof out === 'object' && !Array.isArray(out) ? out : {};
}

function insert(node: Node, segments: string[], value: string, key: string, options: QueryDecodeOptions): void {
  let current = node;
  let i = 0;
  while (i < segments.length) {
    const segment = segments[i]!;
    if (isIndex(segment)) throw malformed(key, `a list index (${segment}) where a name belongs`);
    // Is `segment` a list? Flattened: `segment.N`; awsQuery: `segment.Member.N`.
    const next = segments[i + 1];
    const afterNext = segments[i + 2];
    let listIndexAt: number | undefined;
    if (next !== undefined && isIndex(next)) listIndexAt = i + 1;
    else if (!options.flattenLists && next !== undefined && afterNext !== undefined && isIndex(afterNext)) listIndexAt = i + 2;

    if (current.kind !== 'struct') throw malformed(key, 'conflicting structure');
    const existing = current.fields.get(segment);
    if (listIndexAt === undefined) {
      if (i === segments.length - 1) {
        if (existing) throw malformed(key, 'given twice or conflicting with a nested parameter');
        current.fields.set(segment, { kind: 'value', value });
        return;
      }
      const child = existing ?? { kind: 'struct', fields: new Map() };
      if (child.kind !== 'struct') throw malformed(key, 'conflicting structure');
      current.fields.set(segment, child);
      current = child;
      i += 1;
      continue;
    }
    const index = Number(segments[listIndexAt]);
    if (index < 1) throw malformed(key, 'list indexes start at 1');
    const list = existing ?? { kind: 'list', items: new Map() };
    if (list.kind !== 'list') throw malformed(key, 'conflicting structure');
    current.fields.set(segment, list);
    const rest = segments.slice(listIndexAt + 1);
    if (rest.length === 0) {
      if (list.items.has(index)) throw malformed(key, 'given twice');
      list.items.set(index, { kind: 'value', value });
      return;
    }
    const item = list.items.get(index) ?? { kind: 'struct', fields: new Map() };
    if (item.kind !== 'struct') throw malformed(key, 'conflicting structure');
    list.items.set(index, item);
    current = item;
    segments = rest;
    i = 0;
  }
}

function finish(node: Node): QueryParams {
  switch (node.kind) {
    case 'value':
      return node.value;
    case 'list':
      return [...node.items.entries()].sort(([a], [b]) => a - b).map(([, item]) => finish(item));
    case 'struct': {
      const out: QueryObject = {};
      for (const [name, child] of node.fields) out[name] = finish(child);
      return out;
    }
  }
}

/** Parameter names that parse but contradict each other: InvalidQueryParameter (400) in AWS's Common Errors. */
function malformed(key: string, why: string): AwsError {
  return new AwsError('InvalidQueryParameter', `The query parameter "${key}" does not adhere to AWS standards: ${why}.`, 400);
}

/**
 * Input schemas for awsQuery members: every value arrives as a string and is
 * coerced here, so a schema's output is the typed input a model expects.
 */
export const q = {
  string: () => z.string(),
  integer: () =>
    z.string().transform((raw, ctx) => {
      const text = raw.trim();
      if (!/^[+-]?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
        ctx.addIssue({ code: 'custom', message: 'expected an integer', input: raw });
        return z.NEVER;
      }
      return Number(text);
    }),
  boolean: () =>
    z.string().transform((raw, ctx) => {
      const text = raw.trim().toLowerCase();
      if (text === 'true') return true;
      if (text === 'false') return false;
      ctx.addIssue({ code: 'custom', message: 'expected true or false', input: raw });
      return z.NEVER;
    }),
  /** ISO-8601 date-time, awsQuery's timestamp format (the SDK sends `2026-01-05T00:10:00Z`). */
  timestamp: () =>
    z.string().transform((raw, ctx) => {
      const text = raw.trim();
      const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? Date.parse(text) : NaN;
      if (Number.isNaN(ms)) {
        ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 timestamp', input: raw });
        return z.NEVER;
      }
      return new Date(ms);
    }),
  /** A list; the SDK sends an empty one as `Name=`. */
  list: <T extends z.ZodType>(item: T) => z.preprocess((value) => (value === '' ? [] : value), z.array(item)),
  struct: <S extends z.ZodRawShape>(shape: S) => z.object(shape),
};

/** The AWS error for the first problem zod found, in awsQuery's words. */
export function inputError(error: z.ZodError): AwsError {
  const issue = error.issues[0];
  if (!issue) return new AwsError('InvalidParameterValue', 'The request is invalid.', 400);
  const path = issue.path.map((p) => (typeof p === 'number' ? String(p + 1) : String(p))).join('.');
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type' && input === undefined) {
    return new AwsError('MissingParameter', `The request must contain the parameter ${path}`, 400);
  }
  const shown = typeof input === 'string' ? `'${input}'` : Array.isArray(input) ? 'a list' : typeof input === 'object' ? 'a structure' : String(input);
  const why = issue.code === 'custom' ? issue.message : describeIssue(issue);
  return new AwsError('InvalidParameterValue', `Invalid value ${shown} for parameter ${path}: ${why}.`, 400);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return `expected ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a structure' : `a ${issue.expected}`}`;
  return issue.message;
}

/** One row of a service's operation table. */
export interface QueryOperation {
  /** Decode `params`, run the operation and return its output (none for operations without one). */
  invoke(params: QueryObject, ctx: CallContext): Promise<QueryOutcome>;
}

export interface QueryOutcome {
  output?: QueryOutput;
  /** Resources touched, for the audit trail. */
  resources?: { type: string; name: string }[];
}

export interface QueryOperationSpec<I> {
  input: z.ZodType<I>;
  run(input: I, ctx: CallContext): QueryOutput | void | Promise<QueryOutput | void>;
  resources?(input: I): { type: string; name: string }[];
}

/** Bind an input schema to a handler; the schema's output type is what the handler receives. */
export function queryOperation<I>(spec: QueryOperationSpec<I>): QueryOperation {
  return {
    async invoke(params, ctx) {
      const parsed = spec.input.safeParse(params, { reportInput: true });
      if (!parsed.success) throw inputError(parsed.error);
      const output = (await spec.run(parsed.data, ctx)) ?? undefined;
      const resources = spec.resources?.(parsed.data);
      return { ...(output ? { output } : {}), ...(resources ? { resources } : {}) };
    },
  };
}

export interface QueryServiceSpec extends QueryDecodeOptions {
  signingName: string;
  eventSource: string;
  /** `http://rds.amazonaws.com/doc/2014-10-31/` */
  xmlNamespace: string;
  survivesRegionOutage?: boolean;
  /**
   * Output list field → the element wrapping each member (`DBInstances` →
   * `DBInstance`). A key `Parent.Field` names the list `Field` inside the
   * element `Parent` only, for fields whose member name differs by shape.
   */
  memberNames: Readonly<Record<string, string>>;
  /** Element for list members the table does not name: `member` unless told. */
  defaultMemberName?: string;
  operations: Readonly<Record<string, QueryOperation>>;
}

/** The request's parameters: the query string's, then the form body's (which win). */
export function paramsOf(request: SimRequest): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [key, value] of Object.entries(request.query)) {
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([key, v]);
  }
  const type = request.headers['content-type'] ?? '';
  if (request.body.byteLength > 0 && (type === '' || type.toLowerCase().startsWith('application/x-www-form-urlencoded'))) {
    const text = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength).toString('utf8');
    pairs.push(...parseForm(text));
  }
  return pairs;
}

/** A service reached over awsQuery. */
export class QueryBinding implements ServiceBinding {
  readonly signingName: string;
  readonly eventSource: string;
  readonly survivesRegionOutage: boolean;

  constructor(private readonly spec: QueryServiceSpec) {
    this.signingName = spec.signingName;
    this.eventSource = spec.eventSource;
    this.survivesRegionOutage = spec.survivesRegionOutage ?? false;
  }

  /** The operations this service answers, in table order. */
  get operationNames(): string[] {
    return Object.keys(this.spec.operations);
  }

  operationOf(request: SimRequest): string {
    const actions = paramsOf(request).filter(([key]) => key === 'Action');
    const action = actions[actions.length - 1]?.[1];
    if (action === undefined || action === '') throw new AwsError('MissingAction', 'Missing Action', 400);
    if (!Object.hasOwn(this.spec.operations, action)) {
      throw new UnknownOperationError(action, 'InvalidAction', `The action ${action} is not valid for this web service.`, 400);
    }
    return action;
  }

  async invoke(operation: string, request: SimRequest, ctx: CallContext): Promise<InvokeResult> {
    const row = Object.hasOwn(this.spec.operations, operation) ? this.spec.operations[operation] : undefined;
    if (!row) throw new AwsError('InvalidAction', `The action ${operation} is not valid for this web service.`, 400);
    const params = decodeParams(paramsOf(request), this.spec);
    const outcome = await row.invoke(params, ctx);
    return {
      response: this.encode(operation, outcome.output, ctx.requestId),
      ...(outcome.resources ? { resources: outcome.resources } : {}),
    };
  }

  /** The element wrapping each member of the list `field` inside the element `parent`. */
  memberNameOf(field: string, parent?: string): string {
    const names = this.spec.memberNames;
    const qualified = parent === undefined ? undefined : `${parent}.${field}`;
    if (qualified !== undefined && Object.hasOwn(names, qualified)) return names[qualified]!;
    if (Object.hasOwn(names, field)) return names[field]!;
    return this.spec.defaultMemberName ?? 'member';
  }

  encode(operation: string, output: QueryOutput | undefined, requestId: string): SimResponse {
    const options = { memberNameOf: (field: string, parent: string | undefined) => this.memberNameOf(field, parent) };
    const result = output ? `<${operation}Result>${encodeContent(`${operation}Result`, output, options)}</${operation}Result>` : '';
    const body =
      XML_DECLARATION +
      `<${operation}Response xmlns="${escapeXml(this.spec.xmlNamespace)}">` +
      result +
      `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>` +
      `</${operation}Response>`;
    return { statusCode: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
  }

  renderError(error: AwsError, ctx: CallContext): SimResponse {
    return renderQueryError(error, ctx.requestId, this.spec.xmlNamespace);
  }
}

/** `<ErrorResponse>` with the error's HTTP status, so the SDK throws its typed exception. */
export function renderQueryError(error: AwsError, requestId: string, xmlNamespace: string): SimResponse {
  const body =
    XML_DECLARATION +
    `<ErrorResponse xmlns="${escapeXml(xmlNamespace)}">` +
    `<Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId>` +
    `</ErrorResponse>`;
  return { statusCode: error.statusCode, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body };
}

export function createQueryBinding(spec: QueryServiceSpec): QueryBinding {
  return new QueryBinding(spec);
}
