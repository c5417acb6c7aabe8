import { request as httpRequest } from 'node:http';
import { afterEach } from 'vitest';
import type { VirtualClock } from '../../src/clock/index.js';
import { SIM_RUNNER_KEY, simClientConfig, type Simulator } from '../../src/sim/index.js';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import type { SimRequest, SimResponse } from '../../src/sim/types.js';

/**
 * The two ways an SDK client reaches the sim: the in-process request handler
 * (what `gameday run` uses), and a real socket to `gameday sim serve`'s HTTP
 * server with a SigV4-signed request (what the AWS CLI and other SDKs use).
 */
export const transports = ['in-process', 'http'] as const;
export type Transport = (typeof transports)[number];

/** The secret every test client signs with; the sim reads the access key from the scope and checks no signature. */
export const SIM_SECRET = 'gameday-sim-secret';

/** The access key SecureCart's staging environment (`sim.identities`) maps to the gameday-runner role. */
export const STAGING_RUNNER = { accessKeyId: 'AKIASTAGINGRUNNER001', secretAccessKey: SIM_SECRET };

/**
 * The standard credential chain's and endpoint's variables that send the aws
 * target to a sim server at `url` as the staging runner, with no session
 * token or profile of the shell's.
 */
export function stagingRunnerEnv(url: string): Record<string, string> {
  return { AWS_ENDPOINT_URL: url, AWS_ACCESS_KEY_ID: STAGING_RUNNER.accessKeyId, AWS_SECRET_ACCESS_KEY: STAGING_RUNNER.secretAccessKey, AWS_SESSION_TOKEN: '', AWS_PROFILE: '' };
}

/** SDK client configuration over HTTP: the SDK's own handler, SigV4 signing and a socket. */
export interface HttpClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxAttempts: number;
}

export type ClientConfig = ReturnType<typeof simClientConfig> | HttpClientConfig;

export interface TransportHarness {
  readonly transport: Transport;
  /** Configuration for any SDK v3 client that reaches `sim` over this transport. */
  config(sim: Simulator, clock: VirtualClock, region: string, accessKeyId?: string): Promise<ClientConfig>;
  /**
   * The HTTP server in front of `sim`, started on first use (one per
   * simulator, whatever the number of clients and regions). HTTP only.
   */
  server(sim: Simulator, clock: VirtualClock): Promise<SimServer>;
  /** One request as a client puts it on the wire: straight to the dispatcher, or over a socket. */
  send(sim: Simulator, clock: VirtualClock, request: SimRequest): Promise<SimResponse>;
  /** Close every server this harness started. */
  close(): Promise<void>;
}

export function createTransportHarness(transport: Transport): TransportHarness {
  const servers = new Map<Simulator, Promise<SimServer>>();

  const server = (sim: Simulator, clock: VirtualClock): Promise<SimServer> => {
    if (transport !== 'http') throw new Error('the in-process transport has no server');
    let started = servers.get(sim);
    if (!started) {
      // The test drives virtual time itself (clock.advance), as in process.
      started = startSimServer({ host: '127.0.0.1', port: 0, create: () => ({ sim, clock }), freeRunning: false });
      servers.set(sim, started);
    }
    return started;
  };

  return {
    transport,
    server,
    async config(sim, clock, region, accessKeyId = SIM_RUNNER_KEY) {
      if (transport === 'in-process') return simClientConfig(sim, region, accessKeyId);
      const { url } = await server(sim, clock);
      return { region, endpoint: url, credentials: { accessKeyId, secretAccessKey: SIM_SECRET }, maxAttempts: 1 };
    },
    async send(sim, clock, request) {
      if (transport === 'in-process') return sim.dispatcher.dispatch(request);
      return sendOverHttp((await server(sim, clock)).url, request);
    },
    async close() {
      const started = [...servers.values()];
      servers.clear();
      await Promise.all(started.map(async (s) => (await s).close()));
    },
  };
}

/** A harness whose servers are closed after each test of the calling suite. */
export function useTransport(transport: Transport): TransportHarness {
  const harness = createTransportHarness(transport);
  afterEach(() => harness.close());
  return harness;
}

export interface RawResponse extends SimResponse {
  body: string;
}

/**
 * Send a request over a socket and read the whole answer. Header names keep
 * the case the server wrote them in (`x-amzn-ErrorType`), as in process.
 * `timeoutMs` is real time: a request that hangs fails instead of blocking
 * the suite.
 */
export function sendOverHttp(baseUrl: string, request: SimRequest, timeoutMs = 10_000): Promise<RawResponse> {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(request.query)) {
    for (const v of Array.isArray(value) ? value : [value]) search.append(key, v);
  }
  const query = search.toString();
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path + (query ? `?${query}` : ''),
        headers: { ...request.headers, 'content-length': String(request.body.byteLength) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers[res.rawHeaders[i]!] = res.rawHeaders[i + 1]!;
          resolve({ statusCode: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(Buffer.from(request.body));
  });
}
