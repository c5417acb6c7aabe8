import { Readable } from 'node:stream';
import type { World } from './world.js';
import { AwsError, UnknownOperationError, type CallContext, type Rng, type ServiceBinding, type SimRequest, type SimResponse } from './types.js';

/** The parts of smithy's HttpRequest the sim reads (kept structural: each SDK client brings its own smithy copy). */
export interface SdkHttpRequest {
  method: string;
  hostname?: string;
  path: string;
  query?: Record<string, string | string[] | null | undefined>;
  headers: Record<string, string>;
  body?: unknown;
}

export interface SdkHttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  /** A stream for payloads (as Node's own handler gives), the bytes themselves for documents. */
  body: Readable | Uint8Array;
}

const scopePattern = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;
const queryScopePattern = /^([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request$/;

interface Route {
  service: string;
  region: string;
  accessKeyId: string;
}

/**
 * Where a request is going: the SigV4 credential scope names the service and
 * region, like other emulators' single edge port. Unsigned requests are
 * refused the way AWS refuses them.
 */
export function routeOf(request: SimRequest): Route | undefined {
  const auth = request.headers['authorization'];
  const fromHeader = auth ? scopePattern.exec(auth) : null;
  if (fromHeader) return { accessKeyId: fromHeader[1]!, region: fromHeader[2]!, service: fromHeader[3]! };
  const credential = request.query['X-Amz-Credential'];
  const fromQuery = typeof credential === 'string' ? queryScopePattern.exec(credential) : null;
  if (fromQuery) return { accessKeyId: fromQuery[1]!, region: fromQuery[2]!, service: fromQuery[3]! };
  return undefined;
}

const injectedErrors = {
  'internal-error': () => new AwsError('InternalFailure', 'The request processing has failed because of an unknown error (injected by FIS).', 500),
  'throttle-error': () => new AwsError('ThrottlingException', 'Rate exceeded (injected by FIS).', 400),
  'unavailable-error': () => new AwsError('ServiceUnavailable', 'The service is unavailable (injected by FIS).', 503),
} as const;

/**
 * Request in, response out: routing, identity, region outages, FIS API-error
 * injection and the audit trail, in front of each service's binding.
 */
export class Dispatcher {
  private readonly requestIds: Rng;
  private readonly injectionDraws: Rng;

  constructor(private readonly world: World) {
    this.requestIds = world.rng.fork('request-ids');
    this.injectionDraws = world.rng.fork('api-error-injection');
  }

  private binding(signingName: string): ServiceBinding | undefined {
    for (const module of this.world.modules()) {
      if (module.binding?.signingName === signingName) return module.binding;
    }
    return undefined;
  }

  async dispatch(request: SimRequest): Promise<SimResponse> {
    const route = routeOf(request);
    if (!route) {
      return xmlError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token', this.newRequestId());
    }
    const binding = this.binding(route.service);
    if (!binding) {
      return xmlError(400, 'InvalidClientTokenId', `The simulator does not serve the "${route.service}" service.`, this.newRequestId());
    }
    const ctx: CallContext = {
      region: route.region,
      accountId: this.world.accountId,
      identity: this.world.identityOf(route.accessKeyId),
      requestId: this.newRequestId(),
      world: this.world,
    };
    // A REST request that matches no route names no operation: it is recorded as `Unknown`.
    let operation = 'Unknown';
    let served = false;
    try {
      operation = binding.operationOf(request);
      served = true;
      for (const module of this.world.modules()) module.observe?.({ service: binding.signingName, operation, request, ctx });
      this.refuseIfFaulted(binding, operation, ctx);
      this.refuseIfUnauthorized(binding, operation, request, ctx);
      const result = await binding.invoke(operation, request, ctx);
      this.record(binding, operation, ctx, result.resources ?? [], result.response.statusCode);
      return result.response;
    } catch (error) {
      if (error instanceof UnknownOperationError) operation = error.operation;
      const awsError = error instanceof AwsError ? error : this.internal(error, binding, operation);
      this.record(binding, operation, ctx, [], awsError.statusCode, awsError, served);
      return binding.renderError(awsError, ctx);
    }
  }

  private refuseIfFaulted(binding: ServiceBinding, operation: string, ctx: CallContext): void {
    const { faults } = this.world;
    if (!faults.isRegionUp(ctx.region) && !binding.survivesRegionOutage) {
      throw new AwsError('ServiceUnavailable', `${binding.signingName}.${ctx.region} is unavailable: the region is down.`, 503);
    }
    for (const injection of faults.apiErrorInjections()) {
      if (injection.service !== binding.signingName) continue;
      if (injection.operations !== 'all' && !injection.operations.includes(operation)) continue;
      if (!injection.roles.some((role) => role === ctx.identity.role || role === ctx.identity.arn)) continue;
      if (this.injectionDraws.next() * 100 < injection.percentage) throw injectedErrors[injection.kind]();
    }
  }

  private refuseIfUnauthorized(binding: ServiceBinding, operation: string, request: SimRequest, ctx: CallContext): void {
    for (const module of this.world.modules()) {
      const denied = module.authorize?.({ service: binding.signingName, operation, request, ctx });
      if (denied) throw denied;
    }
  }

  private internal(error: unknown, binding: ServiceBinding, operation: string): AwsError {
    const message = error instanceof Error ? error.message : String(error);
    this.world.emit('sim.internal-error', { service: binding.signingName, operation, message });
    return new AwsError('InternalFailure', `The simulator failed on ${operation}: ${message}`, 500);
  }

  private record(
    binding: ServiceBinding,
    operation: string,
    ctx: CallContext,
    resources: { type: string; name: string }[],
    _status: number,
    error?: AwsError,
    served = true,
  ): void {
    this.world.recordCall({
      eventId: this.newRequestId(),
      eventTime: this.world.clock.now(),
      eventSource: binding.eventSource,
      eventName: operation,
      awsRegion: ctx.region,
      identity: ctx.identity,
      requestId: ctx.requestId,
      resources,
      // An operation the sim does not serve is not called a read, whatever its name: the sim cannot vouch for what it would do.
      readOnly: served && /^(Describe|Get|List|Head|Lookup|Test|Query|Scan|BatchGet)/.test(operation),
      ...(error ? { errorCode: error.code, errorMessage: error.message } : {}),
    });
  }

  private newRequestId(): string {
    const hex = '0123456789abcdef';
    const r = this.requestIds;
    return `${r.alnum(8, hex)}-${r.alnum(4, hex)}-${r.alnum(4, hex)}-${r.alnum(4, hex)}-${r.alnum(12, hex)}`;
  }
}

function xmlError(statusCode: number, code: string, message: string, requestId: string): SimResponse {
  return {
    statusCode,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

async function bodyBytes(body: unknown): Promise<Uint8Array> {
  if (body === undefined || body === null) return new Uint8Array();
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }
  throw new TypeError(`unsupported request body type ${Object.prototype.toString.call(body)}`);
}

function plainQuery(query: SdkHttpRequest['query']): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === null || value === undefined) out[key] = '';
    else out[key] = value;
  }
  return out;
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) out[key.toLowerCase()] = value;
  return out;
}

/**
 * The SDK's `HttpHandler` over the sim: give it to any v3 client as
 * `requestHandler` and the client runs in process, byte for byte the same
 * serialized requests it would send to AWS.
 */
export class SimHttpHandler {
  readonly metadata = { handlerProtocol: 'gameday-sim' };

  constructor(private readonly dispatcher: Dispatcher) {}

  async handle(request: SdkHttpRequest): Promise<{ response: SdkHttpResponse }> {
    const simRequest: SimRequest = {
      method: request.method,
      path: request.path,
      query: plainQuery(request.query),
      headers: lowerCased(request.headers),
      body: await bodyBytes(request.body),
    };
    if (request.hostname && !simRequest.headers['host']) simRequest.headers['host'] = request.hostname;
    const response = await this.dispatcher.dispatch(simRequest);
    const bytes = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
    return {
      response: {
        statusCode: response.statusCode,
        // A HEAD's content-length describes the object, not the (empty) body.
        headers: { ...response.headers, ...(simRequest.method === 'HEAD' && response.headers['content-length'] ? {} : { 'content-length': String(bytes.byteLength) }) },
        // The SDK collects a document (XML, JSON) into bytes before parsing
        // it, and takes bytes as they are; only a payload it hands to the
        // caller (S3 GetObject's Body) must be a stream, as from the network.
        body: response.payload ? Readable.from(bytes.byteLength ? [Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)] : []) : bytes,
      },
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}
