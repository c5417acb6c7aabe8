import type { Environment, OrdersApi } from '../env/index.js';
import type { DatabaseRef, HttpClient, HttpResult, OrdersStore, WriteOutcome } from '../harness/target.js';

/**
 * Canaries through the orders HTTP API (README, "Canary endpoint contract"):
 * on a real account nothing else may write into the database, so the canary
 * places orders the way customers do and asks the service what it holds.
 *
 *   POST   <base>/orders                         {"canary": ID, "seq": N}  → 2xx: committed
 *   GET    <base>/orders?canary=ID                → 200 {"seqs": [N, …]}   (what survives)
 *   DELETE <base>/orders?canary=ID&newest=COUNT   → 200 {"seqs": [N, …]}   (what it deleted)
 *
 * `<base>` is the regional endpoint of the orders-api deployment that writes
 * to the database in question (`https://<endpoint>`, the scheme of the
 * API's url): after a promotion the canary follows the database to the
 * region whose service uses it, as the harness's `current` alias does.
 */

export interface HttpOrdersOptions {
  env: Environment;
  /** Hands back the answer's JSON body (`HttpResult.body`), as both targets' clients do. */
  http: HttpClient;
  /** Names this canary's orders (1 to 128 of letters, digits, ".", "_", ":" and "-"); unique per scenario. */
  canary: string;
  /** Per request; 5 s unless told. */
  timeoutMs?: number;
}

const CANARY_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const DEFAULT_TIMEOUT_MS = 5000;

/** A canary id from the run id and something unique to the scenario, in the characters the contract allows. */
export function canaryIdOf(runId: string | undefined, unique: string): string {
  return `gameday-${runId ?? 'run'}-${unique}`.replace(/[^A-Za-z0-9._:-]/g, '-').slice(0, 128);
}

/** Whether the environment declares an orders API a canary can write through. */
export function declaresOrdersApi(env: Environment): boolean {
  return Object.values(env.resources).some((r) => r.kind === 'orders-api');
}

/**
 * The base URL of the orders-api deployment that writes to `db`: the
 * deployment's database alias names an RDS resource with that identifier
 * (RDS compares identifiers case-insensitively) in that region.
 */
export function ordersBaseUrl(env: Environment, db: DatabaseRef): string {
  for (const api of Object.values(env.resources)) {
    if (api.kind !== 'orders-api') continue;
    for (const deployment of Object.values(api.regions)) {
      const database = env.resources[deployment.database];
      if (database?.kind !== 'rds-instance' && database?.kind !== 'rds-read-replica' && database?.kind !== 'rds-cluster') continue;
      if (database.region === db.region && database.identifier.toLowerCase() === db.identifier.toLowerCase()) return baseOf(api, deployment.endpoint);
    }
  }
  throw new Error(
    `no orders-api deployment in ${env.file} writes to ${db.identifier} (${db.region}); on AWS the canary reaches a database only through the orders API that uses it`,
  );
}

function baseOf(api: OrdersApi, endpoint: string): string {
  return `${new URL(api.url).protocol}//${endpoint}`;
}

/** Why an answer is not the one the contract promises, in a line: `HTTP 503 no-capacity: …`, or the transport's error. */
function describe(result: HttpResult): string {
  if (result.status === 0) return result.error ?? 'no answer';
  const body = typeof result.body === 'object' && result.body !== null ? (result.body as Record<string, unknown>) : {};
  const error = typeof body['error'] === 'string' ? ` ${body['error']}` : '';
  const detail = typeof body['detail'] === 'string' ? `: ${body['detail']}` : '';
  return `HTTP ${result.status}${error}${detail}`;
}

/** `{"seqs": [whole numbers]}`, sorted; undefined for anything else. */
function seqsOf(body: unknown): number[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const seqs = (body as Record<string, unknown>)['seqs'];
  if (!Array.isArray(seqs) || !seqs.every((n): n is number => typeof n === 'number' && Number.isSafeInteger(n))) return undefined;
  return [...seqs].sort((a, b) => a - b);
}

export class HttpOrders implements OrdersStore {
  private readonly env: Environment;
  private readonly http: HttpClient;
  private readonly canary: string;
  private readonly timeoutMs: number;

  constructor(options: HttpOrdersOptions) {
    if (!CANARY_ID.test(options.canary)) throw new RangeError(`canary id ${JSON.stringify(options.canary)} is not 1 to 128 letters, digits, ".", "_", ":" or "-"`);
    this.env = options.env;
    this.http = options.http;
    this.canary = options.canary;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private url(db: DatabaseRef, query: Record<string, string> = {}): string {
    const url = new URL('/orders', ordersBaseUrl(this.env, db));
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    return url.toString();
  }

  async write(db: DatabaseRef, seq: number): Promise<WriteOutcome> {
    const url = this.url(db);
    const result = await this.http.request({ method: 'POST', url, body: { canary: this.canary, seq }, timeoutMs: this.timeoutMs });
    return result.status >= 200 && result.status < 300 ? { ok: true } : { ok: false, error: describe(result) };
  }

  async readBack(db: DatabaseRef): Promise<number[]> {
    const url = this.url(db, { canary: this.canary });
    const result = await this.http.request({ method: 'GET', url, timeoutMs: this.timeoutMs });
    const seqs = result.status === 200 ? seqsOf(result.body) : undefined;
    if (!seqs) throw new Error(`GET ${url} did not list the canary's orders: ${result.status === 200 ? 'the body is not {"seqs": [whole numbers]}' : describe(result)}`);
    return seqs;
  }

  async deleteNewest(db: DatabaseRef, count: number): Promise<number[]> {
    const url = this.url(db, { canary: this.canary, newest: String(count) });
    const result = await this.http.request({ method: 'DELETE', url, timeoutMs: this.timeoutMs });
    const seqs = result.status === 200 ? seqsOf(result.body) : undefined;
    if (!seqs) throw new Error(`DELETE ${url} did not delete the canary's orders: ${result.status === 200 ? 'the body is not {"seqs": [whole numbers]}' : describe(result)}`);
    return seqs;
  }

  /** The service cannot say without an order being placed; a probe then judges by the instance's status alone. */
  async writable(): Promise<undefined> {
    return undefined;
  }
}
