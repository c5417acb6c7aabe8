import { AwsError, UnknownOperationError, type CallContext, type InvokeResult, type ServiceBinding, type SimRequest, type SimResponse } from '../types.js';
import { isJsonObject, member, toJson, type JsonObject, type JsonValue, type WireValue } from './rest-json.js';

/**
 * The awsJson 1.0 / 1.1 protocols (DynamoDB, CloudTrail, CloudWatch's JSON
 * flavour): every request is a POST to `/` whose `X-Amz-Target` header names
 * `<TargetPrefix>.<Operation>`, the input is the JSON body, the output a JSON
 * document, and an error carries its code in the body's `__type`. Knows
 * nothing of any one service: a service hands it its target prefix, its error
 * namespace and an operation table.
 *
 * How the SDK reads an error (`loadJsonRpcErrorCode` in @smithy/core): the
 * body's `__type` first, then a `code` member, then the `x-amzn-ErrorType`
 * header, and it keeps what follows `#`. A service that is awsQuery-compatible
 * (`awsQueryCompatible` trait) is read in the other order, `code` first, and
 * the SDK also takes the Query error code from the `x-amzn-query-error`
 * header (`Code;Sender`), which it matches against the modelled errors'
 * `awsQueryError` codes.
 */

export type { JsonObject, JsonValue, WireValue } from './rest-json.js';
export { isJsonObject, member } from './rest-json.js';

/** An operation's output before it goes on the wire: JSON plus `Date` (epoch seconds) and `undefined` (left out). */
export type AwsJsonOutput = { [key: string]: WireValue };

/**
 * An AWS error whose body carries members beyond `message`, e.g. DynamoDB's
 * ConditionalCheckFailedException with the item that failed the check.
 */
export class AwsJsonError extends AwsError {
  constructor(
    code: string,
    message: string,
    statusCode: number,
    readonly members: AwsJsonOutput,
  ) {
    super(code, message, statusCode);
  }
}

/** One row of a service's operation table. */
export interface AwsJsonOperation {
  invoke(input: JsonObject, ctx: CallContext): Promise<AwsJsonOutcome>;
}

export interface AwsJsonOutcome {
  output: AwsJsonOutput;
  /** Resources touched, for the audit trail. */
  resources?: { type: string; name: string }[];
}

export interface AwsJsonOperationSpec<I> {
  /** Read and check the operation's input; throw AwsError (SerializationException, ValidationException) on bad input. */
  input(body: JsonObject): I;
  run(input: I, ctx: CallContext): AwsJsonOutput | Promise<AwsJsonOutput>;
  resources?(input: I): { type: string; name: string }[];
}

/** Bind an input reader to a handler. */
export function jsonOperation<I>(spec: AwsJsonOperationSpec<I>): AwsJsonOperation {
  return {
    async invoke(body, ctx) {
      const input = spec.input(body);
      const output = await spec.run(input, ctx);
      const resources = spec.resources?.(input);
      return { output, ...(resources ? { resources } : {}) };
    },
  };
}

export interface AwsJsonServiceSpec {
  signingName: string;
  eventSource: string;
  /** The part of `X-Amz-Target` before the dot: `DynamoDB_20120810`, `com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`. */
  targetPrefix: string;
  /**
   * Other prefixes the service also answers to, e.g. the full shape id
   * (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101`) that older
   * clients send where the current SDK sends `CloudTrail_20131101`.
   */
  targetPrefixAliases?: readonly string[];
  version: '1.0' | '1.1';
  /** Namespace of the service's own errors in `__type`: `com.amazonaws.dynamodb.v20120810`. */
  errorNamespace: string;
  /**
   * The service is awsQuery-compatible: errors also carry `x-amzn-query-error`
   * with the Query error code, looked up here by the error's code (a code the
   * map does not name is sent as it is).
   */
  awsQueryCompatible?: { queryErrorCodes?: Readonly<Record<string, string>> };
  survivesRegionOutage?: boolean;
  operations: Readonly<Record<string, AwsJsonOperation>>;
}

/**
 * Errors every AWS JSON service shares come from the service framework
 * rather than the service's own model, and say so in their namespace. The
 * SDK ignores the namespace; a person reading a captured response does not.
 */
const frameworkNamespaces: Readonly<Record<string, string>> = {
  ValidationException: 'com.amazon.coral.validate',
  SerializationException: 'com.amazon.coral.service',
  UnknownOperationException: 'com.amazon.coral.service',
  InternalFailure: 'com.amazon.coral.service',
  ServiceUnavailable: 'com.amazon.coral.availability',
  ThrottlingException: 'com.amazon.coral.availability',
  AccessDeniedException: 'com.amazon.coral.service',
  UnrecognizedClientException: 'com.amazon.coral.service',
  MissingAuthenticationTokenException: 'com.amazon.coral.service',
  IncompleteSignatureException: 'com.amazon.coral.service',
};

/** A service reached over awsJson 1.0 or 1.1. */
export class AwsJsonBinding implements ServiceBinding {
  readonly signingName: string;
  readonly eventSource: string;
  readonly survivesRegionOutage: boolean;
  private readonly contentType: string;

  constructor(private readonly spec: AwsJsonServiceSpec) {
    this.signingName = spec.signingName;
    this.eventSource = spec.eventSource;
    this.survivesRegionOutage = spec.survivesRegionOutage ?? false;
    this.contentType = `application/x-amz-json-${spec.version}`;
  }

  /** The operations this service answers, in table order. */
  get operationNames(): string[] {
    return Object.keys(this.spec.operations);
  }

  /** The operation `X-Amz-Target` names; UnknownOperationException when it names none of this service's. */
  operationOf(request: SimRequest): string {
    const target = request.headers['x-amz-target'];
    if (target === undefined || target === '') {
      throw new AwsError('UnknownOperationException', 'The request has no X-Amz-Target header naming an operation.', 400);
    }
    const dot = target.lastIndexOf('.');
    const prefix = dot < 0 ? '' : target.slice(0, dot);
    const operation = dot < 0 ? target : target.slice(dot + 1);
    const known = prefix === this.spec.targetPrefix || (this.spec.targetPrefixAliases ?? []).includes(prefix);
    if (!known || !Object.hasOwn(this.spec.operations, operation)) {
      // The audit trail names the call by its operation, or by the whole target when it is addressed to another service.
      throw new UnknownOperationError(known ? operation : target, 'UnknownOperationException', `Unknown operation ${target}.`, 400);
    }
    return operation;
  }

  async invoke(operation: string, request: SimRequest, ctx: CallContext): Promise<InvokeResult> {
    const row = Object.hasOwn(this.spec.operations, operation) ? this.spec.operations[operation] : undefined;
    if (!row) throw new AwsError('UnknownOperationException', `Unknown operation ${operation}.`, 400);
    const outcome = await row.invoke(parseJsonBody(request.body), ctx);
    return {
      response: this.encode(outcome.output, ctx.requestId),
      ...(outcome.resources ? { resources: outcome.resources } : {}),
    };
  }

  encode(output: AwsJsonOutput, requestId: string): SimResponse {
    return {
      statusCode: 200,
      headers: { 'content-type': this.contentType, 'x-amzn-requestid': requestId },
      body: JSON.stringify(toJson(output) ?? {}),
    };
  }

  renderError(error: AwsError, ctx: CallContext): SimResponse {
    const namespace = frameworkNamespaces[error.code] ?? this.spec.errorNamespace;
    const extra = error instanceof AwsJsonError ? error.members : {};
    const body = { __type: `${namespace}#${error.code}`, message: error.message, ...extra };
    const headers: Record<string, string> = { 'content-type': this.contentType, 'x-amzn-requestid': ctx.requestId };
    const compatible = this.spec.awsQueryCompatible;
    if (compatible) {
      const queryCode = compatible.queryErrorCodes?.[error.code] ?? error.code;
      headers['x-amzn-query-error'] = `${queryCode};${error.fault}`;
    }
    return { statusCode: error.statusCode, headers, body: JSON.stringify(toJson(body) ?? {}) };
  }
}

export function createAwsJsonBinding(spec: AwsJsonServiceSpec): AwsJsonBinding {
  return new AwsJsonBinding(spec);
}

/**
 * The request body as a JSON object. An empty body reads as `{}` (the SDK
 * sends `{}` for operations without input); anything that is not a JSON
 * object is a SerializationException, as AWS JSON services answer.
 */
export function parseJsonBody(body: Uint8Array): JsonObject {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new AwsError('SerializationException', `The request body could not be parsed as JSON: ${detail}`, 400);
  }
  if (!isJsonObject(parsed as JsonValue)) {
    throw new AwsError('SerializationException', 'Start of structure or map expected: the request body must be a JSON object.', 400);
  }
  return parsed as JsonObject;
}

/** Readers for awsJson members beyond rest-json's: timestamps travel as epoch seconds. */
export const jsonMember = {
  ...member,
  /** Epoch seconds (fractions allowed), as the SDK and the CLI send timestamps in awsJson bodies. */
  timestamp(body: JsonObject, name: string): Date | undefined {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return new Date(Math.round(value * 1000));
    if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return new Date(Math.round(Number(value) * 1000));
    throw new AwsError('SerializationException', `Member ${name} must be a timestamp in epoch seconds.`, 400);
  },
  /** A number that may have a fraction. */
  number(body: JsonObject, name: string): number | undefined {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new AwsError('SerializationException', `Member ${name} must be a number.`, 400);
    }
    return value;
  },
};
