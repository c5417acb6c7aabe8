import { compileTemplate, firstQueryValue, matchPath, queryValues, type Segment } from './path-template.js';
import { AwsError, type SimRequest, type SimResponse } from '../types.js';

/**
 * The restJson1 protocol (FIS, and other REST/JSON services): operations are
 * found by HTTP method and path template, inputs come from path labels, the
 * query string and a JSON body, outputs are JSON documents, errors carry
 * their code in `x-amzn-ErrorType`. Knows nothing of any one service.
 */

/** One row of a service's route table. */
export interface RestJsonRoute {
  operation: string;
  method: string;
  /**
   * Path template: literal segments and `{label}` (one segment, percent-decoded)
   * or `{label+}` (greedy: the rest of the path, slashes included).
   */
  path: string;
  /** HTTP status of a successful response; 200 unless the operation's model says otherwise. */
  successStatus?: number;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * What an operation's output may hold before it goes on the wire: JSON plus
 * `Date` (rendered as epoch seconds, restJson1's default timestamp format in
 * bodies) and `undefined` (member left out).
 */
export type WireValue = JsonValue | Date | undefined | WireValue[] | { [key: string]: WireValue };

interface CompiledRoute extends RestJsonRoute {
  segments: Segment[];
}

/** A request's inputs, decoded from the wire but not yet checked against any service's shapes. */
export class RestJsonInput {
  constructor(
    readonly operation: string,
    /** Path labels, percent-decoded. */
    readonly labels: Readonly<Record<string, string>>,
    readonly query: Readonly<Record<string, string | string[]>>,
    readonly headers: Readonly<Record<string, string>>,
    /** The JSON body; `{}` when the request has none. */
    readonly body: JsonObject,
  ) {}

  label(name: string): string {
    const value = this.labels[name];
    // A route without the label is a bug in the service's table, not the caller's fault.
    if (value === undefined) throw new Error(`route for ${this.operation} has no label {${name}}`);
    if (value === '') throw validationError(name, 'Member must have length greater than or equal to 1');
    return value;
  }

  queryString(name: string): string | undefined {
    return firstQueryValue(this.query, name);
  }

  queryList(name: string): string[] {
    return queryValues(this.query, name);
  }

  queryInteger(name: string): number | undefined {
    const raw = this.queryString(name);
    if (raw === undefined || raw === '') return undefined;
    // A query member that does not parse as its declared type is a
    // deserialization failure in restJson1, not a validation one.
    if (!/^-?\d+$/.test(raw)) {
      throw new AwsError('SerializationException', `Value "${raw}" of query parameter ${name} is not an integer.`, 400);
    }
    return Number(raw);
  }

  /** A body member that must be present (validation, not serialization, as AWS reports it). */
  required<T>(name: string, read: (body: JsonObject, name: string) => T | undefined): T {
    const value = read(this.body, name);
    if (value === undefined) throw validationError(name, 'Member must not be null');
    return value;
  }
}

/**
 * Readers for body members: each returns `undefined` when the member is
 * absent or null and throws SerializationException when it has the wrong
 * JSON type, as a restJson1 service does before any validation.
 */
export const member = {
  string(body: JsonObject, name: string): string | undefined {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw wrongType(name, 'a string', value);
    return value;
  },
  integer(body: JsonObject, name: string): number | undefined {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(name, 'an integer', value);
    return value;
  },
  boolean(body: JsonObject, name: string): boolean | undefined {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw wrongType(name, 'a boolean', value);
    return value;
  },
  object(body: JsonObject, name: string): JsonObject | undefined {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (!isJsonObject(value)) throw wrongType(name, 'an object', value);
    return value;
  },
  list(body: JsonObject, name: string): JsonValue[] | undefined {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw wrongType(name, 'a list', value);
    return value;
  },
  stringList(body: JsonObject, name: string): string[] | undefined {
    const list = member.list(body, name);
    if (list === undefined) return undefined;
    return list.map((item, i) => {
      if (typeof item !== 'string') throw wrongType(`${name}[${i}]`, 'a string', item);
      return item;
    });
  },
  stringMap(body: JsonObject, name: string): Record<string, string> | undefined {
    const map = member.object(body, name);
    if (map === undefined) return undefined;
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'string') throw wrongType(`${name}.${key}`, 'a string', value);
      out[key] = value;
    }
    return out;
  },
  /** A map whose values are structures, each read by `read`. */
  objectMap<T>(body: JsonObject, name: string, read: (value: JsonObject, path: string) => T): Record<string, T> | undefined {
    const map = member.object(body, name);
    if (map === undefined) return undefined;
    const out: Record<string, T> = {};
    for (const [key, value] of Object.entries(map)) {
      if (!isJsonObject(value)) throw wrongType(`${name}.${key}`, 'an object', value);
      out[key] = read(value, `${name}.${key}`);
    }
    return out;
  },
  /** A list of structures, each read by `read`. */
  objectList<T>(body: JsonObject, name: string, read: (value: JsonObject, path: string) => T): T[] | undefined {
    const list = member.list(body, name);
    if (list === undefined) return undefined;
    return list.map((value, i) => {
      if (!isJsonObject(value)) throw wrongType(`${name}[${i}]`, 'an object', value);
      return read(value, `${name}[${i}]`);
    });
  },
};

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function wrongType(name: string, expected: string, value: JsonValue): AwsError {
  const actual = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
  return new AwsError('SerializationException', `Member ${name} must be ${expected}, got ${actual}.`, 400);
}

/** AWS's wording for a constraint violation, e.g. a missing required member. */
export function validationError(name: string, constraint: string, value: unknown = null): AwsError {
  const shown = value === null ? 'null' : `'${String(value)}'`;
  return new AwsError(
    'ValidationException',
    `1 validation error detected: Value ${shown} at '${name}' failed to satisfy constraint: ${constraint}`,
    400,
  );
}

/** A restJson1 codec over one service's route table. */
export class RestJsonCodec {
  private readonly routes: CompiledRoute[];
  private readonly byOperation = new Map<string, CompiledRoute>();

  constructor(routes: readonly RestJsonRoute[]) {
    this.routes = routes.map((route) => ({ ...route, method: route.method.toUpperCase(), segments: compileTemplate(route.path) }));
    for (const route of this.routes) {
      if (this.byOperation.has(route.operation)) throw new Error(`operation ${route.operation} routed twice`);
      this.byOperation.set(route.operation, route);
    }
  }

  /** The operation a request asks for; UnknownOperationException (404) when no route matches. */
  operationOf(request: SimRequest): string {
    const method = request.method.toUpperCase();
    for (const route of this.routes) {
      if (route.method === method && matchPath(route.segments, request.path)) return route.operation;
    }
    throw new AwsError('UnknownOperationException', `No operation matches ${method} ${request.path}.`, 404);
  }

  /** Decode a request for `operation`: path labels, query and JSON body. */
  decode(operation: string, request: SimRequest): RestJsonInput {
    const route = this.byOperation.get(operation);
    if (!route) throw new AwsError('UnknownOperationException', `Unknown operation ${operation}.`, 404);
    const labels = matchPath(route.segments, request.path);
    if (!labels) throw new AwsError('UnknownOperationException', `No operation matches ${request.method} ${request.path}.`, 404);
    return new RestJsonInput(operation, labels, request.query, request.headers, parseBody(request.body));
  }

  /** Render an operation's output. */
  encode(operation: string, output: { [key: string]: WireValue }, requestId: string): SimResponse {
    const status = this.byOperation.get(operation)?.successStatus ?? 200;
    return {
      statusCode: status,
      headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
      body: JSON.stringify(toJson(output) ?? {}),
    };
  }

  /** An error as restJson1 reports it: the code in `x-amzn-ErrorType`, the message in the body. */
  renderError(error: AwsError, requestId: string): SimResponse {
    return renderRestJsonError(error, requestId);
  }
}

export function renderRestJsonError(error: AwsError, requestId: string): SimResponse {
  return {
    statusCode: error.statusCode,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      'x-amzn-ErrorType': error.code,
    },
    body: JSON.stringify({ message: error.message }),
  };
}

/** The JSON body as an object; malformed JSON is a SerializationException (400), as restJson1 services answer. */
function parseBody(body: Uint8Array): JsonObject {
  if (body.byteLength === 0) return {};
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new AwsError('SerializationException', `The request body is not valid JSON: ${detail}`, 400);
  }
  if (!isJsonObject(parsed as JsonValue)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object.', 400);
  }
  return parsed as JsonObject;
}

/** restJson1 body values: timestamps as epoch seconds, non-finite numbers as their string names, undefined members left out. */
export function toJson(value: WireValue): JsonValue | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value.getTime() / 1000;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'Infinity';
    if (value === -Infinity) return '-Infinity';
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => toJson(item) ?? null);
  if (typeof value === 'object' && value !== null) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      const json = toJson(item);
      if (json !== undefined) out[key] = json;
    }
    return out;
  }
  return value;
}
