import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Simulator } from './index.js';
import type { SimRequest, SimResponse } from './types.js';
import type { VirtualClock } from '../clock/virtual-clock.js';

/** Requests larger than this are refused before they are buffered: larger objects go up in multipart parts (5 MiB–5 GiB each; the CLI sends 8 MiB). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const MAX_ADVANCE_SECONDS = 100 * 365 * 86400;

export interface SimServerOptions {
  host: string;
  port: number;
  /** Builds a fresh simulator (and its free-running clock) at start and on `/_gameday/reset`. */
  create: () => { sim: Simulator; clock: VirtualClock };
  /**
   * Let virtual time flow at the clock's speed (default). Tests turn it off and
   * move time themselves, through the clock or `POST /_gameday/clock`.
   */
  freeRunning?: boolean;
  /** Where the server reports what it cannot return to a client (a timer that threw while free-running). */
  onWarning?: (message: string) => void;
}

export interface SimServer {
  readonly url: string;
  readonly port: number;
  current(): Simulator;
  close(): Promise<void>;
}

/**
 * `gameday sim serve`: the in-process dispatcher behind one HTTP port, so any
 * AWS client (SDKs, the AWS CLI with --endpoint-url) can use the sim. AWS
 * calls route by their SigV4 credential scope; `/_gameday/*` is the sim's
 * own control surface.
 */
export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  let state = boot(options);
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Never let one request take the server down: answer 500 if we still can.
      const message = error instanceof Error ? error.message : String(error);
      options.onWarning?.(`request ${req.method} ${req.url} failed: ${message}`);
      if (!res.headersSent) reply(res, json(500, { error: 'InternalFailure', message }));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  // Answers are dated by the sim's clock, not the wall clock, as AWS dates
  // them by its own: a client that corrects for clock skew from the Date
  // header (the aws target) then sees the clock the sim's times are on.
  const reply = (res: ServerResponse, response: SimResponse, method = 'GET') => send(res, response, method, state.clock.now());

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const body = await readBody(req);
    if (body === undefined) return reply(res, json(413, { error: 'RequestEntityTooLarge', message: `body over ${MAX_BODY_BYTES} bytes` }));
    if (url.pathname.startsWith('/_gameday/')) return reply(res, await control(req.method ?? 'GET', url.pathname, body));
    // An unsigned request for one of the orders service's names (its Host): the app, as a client on the internet reaches it.
    if (!req.headers.authorization && !url.searchParams.has('X-Amz-Credential') && req.headers.host) {
      const app = state.sim.world.findModule('app');
      const answer = app?.serveFromInternet(req.headers.host, { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: Buffer.from(body).toString('utf8') });
      // A region that is down does not answer: the connection fails, as a client's would.
      if (answer === 'unreachable') return void res.destroy();
      if (answer) return reply(res, json(answer.status, answer.body), req.method);
    }
    const request: SimRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: queryOf(url),
      headers: headersOf(req),
      body,
    };
    reply(res, await state.sim.dispatcher.dispatch(request), request.method);
  }

  async function control(method: string, path: string, body: Uint8Array): Promise<SimResponse> {
    const { sim, clock } = state;
    const route = `${method} ${path}`;
    switch (route) {
      case 'GET /_gameday/health':
        return json(200, {
          status: 'ok',
          seed: sim.world.seed,
          now: new Date(clock.now()).toISOString(),
          services: sim.world.modules().flatMap((m) => (m.binding ? [m.binding.signingName] : [])),
        });
      case 'GET /_gameday/clock':
        return json(200, clockView(clock));
      case 'POST /_gameday/clock': {
        const parsed = parseJson(body);
        const seconds = (parsed as { advanceSeconds?: unknown } | undefined)?.advanceSeconds;
        // A hundred years is past any game day, and keeps the clock inside what a Date can represent.
        if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_ADVANCE_SECONDS) {
          return json(400, { error: 'ValidationException', message: `expected a JSON body { "advanceSeconds": n } with 0 ≤ n ≤ ${MAX_ADVANCE_SECONDS}` });
        }
        // Advancing is asynchronous (woken work settles between timers); answer when it is done.
        await clock.advance(seconds * 1000);
        return json(200, clockView(clock));
      }
      case 'POST /_gameday/reset':
        state.clock.stopFreeRunning();
        state = boot(options);
        return json(200, { status: 'reset', ...clockView(state.clock) });
      case 'POST /_gameday/alarms': {
        // The sim's stand-in for a metric crossing its threshold: FIS stop conditions react to it.
        const input = parseJson(body) as { alarm?: unknown; state?: unknown; region?: unknown; reason?: unknown } | undefined;
        const states = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
        const state = states.find((s) => s === input?.state);
        if (typeof input?.alarm !== 'string' || !state) {
          return json(400, { error: 'ValidationException', message: 'expected { "alarm": name or ARN, "state": "OK" | "ALARM" | "INSUFFICIENT_DATA" }' });
        }
        const cloudwatch = sim.world.module('cloudwatch');
        const region = typeof input.region === 'string' ? input.region : undefined;
        if (!cloudwatch.find(input.alarm, region)) return json(404, { error: 'ResourceNotFound', message: `no alarm ${input.alarm}` });
        const reason = typeof input.reason === 'string' ? input.reason : 'set through /_gameday/alarms';
        const alarm = cloudwatch.setAlarmState(input.alarm, state, reason, region);
        return json(200, { alarm: alarm.arn, state: alarm.state });
      }
      case 'GET /_gameday/events':
        return json(200, { events: sim.world.events });
      default:
        return json(404, { error: 'NotFound', message: `no control route ${route}` });
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    port,
    current: () => state.sim,
    close: () =>
      new Promise<void>((resolve) => {
        state.clock.stopFreeRunning();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function boot(options: SimServerOptions): { sim: Simulator; clock: VirtualClock } {
  const built = options.create();
  built.clock.onFreeRunError((error) => options.onWarning?.(`sim timer failed: ${error.message}`));
  if (options.freeRunning ?? true) built.clock.startFreeRunning();
  return built;
}

function clockView(clock: VirtualClock) {
  const now = clock.now();
  return { now: new Date(now).toISOString(), epochMs: now };
}

function json(statusCode: number, value: unknown): SimResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, response: SimResponse, method = 'GET', now?: number): void {
  const bytes = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : Buffer.from(response.body);
  // A HEAD's content-length describes the object, not the (empty) body.
  const length = method === 'HEAD' && response.headers['content-length'] ? response.headers['content-length'] : String(bytes.byteLength);
  if (now !== undefined) res.sendDate = false;
  res.writeHead(response.statusCode, { ...(now !== undefined ? { date: new Date(now).toUTCString() } : {}), ...response.headers, 'content-length': length });
  res.end(method === 'HEAD' ? undefined : bytes);
}

function readBody(req: IncomingMessage): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function queryOf(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const seen = out[key];
    if (seen === undefined) out[key] = value;
    else out[key] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}
