/**
 * Issue 3's DynamoDB figures, a 50/50 PutItem/GetItem mix on a table seeded
 * with ~1 KB items:
 *
 *   - in process: SDK round trips per second, one call after another;
 *   - over HTTP keep-alive from one Node client, HTTP_CONCURRENCY requests in
 *     flight: requests per second against `gameday sim serve` and, side by
 *     side when it is on PATH, `moto_server`, with the ratio. As for the
 *     DescribeDBInstances figure in bench/index.ts, each request is one the
 *     SDK signed, captured once and replayed, so the client costs little and
 *     the servers are what is measured.
 */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/virtual-clock.js';
import { createSimulator, simClientConfig } from '../src/sim/index.js';
import type { DynamoDbModule } from '../src/sim/services/dynamodb/index.js';

const REGION = 'us-east-1';
const TABLE = 'orders-bench';
const ITEMS = 1000;
const PAYLOAD_CHARS = 980;
const IN_PROCESS_CALLS = 5000;
const HTTP_SECONDS = 5;
const HTTP_CONCURRENCY = 8;
/** Distinct keys captured per operation for the replay (each pair is one Put and one Get). */
const CAPTURED_KEYS = 100;

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

/** What bench/index.ts lends this file: its report line and its process helpers. */
export interface BenchKit {
  root: string;
  report(figure: BenchFigure): void;
  freePort(): Promise<number>;
  waitForPort(port: number, child: ChildProcess, name: string): Promise<void>;
}

/** An order as both the SDK and the sim's seeding take it. */
type Order = { pk: { S: string }; status: { S: string }; total: { N: string }; payload: { S: string } };

const keyOf = (i: number): string => `order-${String(i).padStart(6, '0')}`;

/** A ~1 KB order: its size by DynamoDB's measure (attribute names plus values) is printed with the figures. */
function item(i: number, version = 0): Order {
  const seed = (i * 31 + version * 7) % 26;
  const payload = Array.from({ length: PAYLOAD_CHARS }, (_, c) => String.fromCharCode(97 + ((seed + c) % 26))).join('');
  return { pk: { S: keyOf(i) }, status: { S: version % 2 ? 'SHIPPED' : 'PAID' }, total: { N: String(1000 + i + version) }, payload: { S: payload } };
}

/** DynamoDB's item size: UTF-8 bytes of names and string values; numbers counted by their digits, near enough here. */
function itemBytes(value: Order): number {
  let bytes = 0;
  for (const [name, attribute] of Object.entries(value)) {
    bytes += Buffer.byteLength(name);
    bytes += 'S' in attribute ? Buffer.byteLength(attribute.S) : Math.ceil(attribute.N.length / 2) + 1;
  }
  return bytes;
}

/** The n-th call of the mix: even calls read, odd calls overwrite, each on a key spread over the table. */
function mixCall(n: number): { kind: 'get' | 'put'; index: number } {
  return { kind: n % 2 === 0 ? 'get' : 'put', index: ((n >> 1) * 7919) % ITEMS };
}

const label = (where: string) => `DynamoDB Put/GetItem 50/50, ${where}`;

async function inProcess(kit: BenchKit): Promise<void> {
  const clock = new VirtualClock({ start: SIM_START });
  const sim = createSimulator({ clock, seed: 7 });
  sim.world.module<DynamoDbModule>('dynamodb').model.seedTable({
    name: TABLE,
    region: REGION,
    key: { hash: { name: 'pk', type: 'S' } },
    items: Array.from({ length: ITEMS }, (_, i) => item(i)),
    // As a table made with CreateTable would be (and as over HTTP below): no PITR history kept.
    pitr: false,
  });
  const client = new DynamoDBClient(simClientConfig(sim, REGION));
  let misses = 0;
  const call = async (n: number) => {
    const { kind, index } = mixCall(n);
    if (kind === 'put') await client.send(new PutItemCommand({ TableName: TABLE, Item: item(index, n) }));
    else if (!(await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: keyOf(index) } } }))).Item) misses++;
  };
  for (let n = 0; n < 300; n++) await call(n); // warm-up
  const started = performance.now();
  for (let n = 0; n < IN_PROCESS_CALLS; n++) await call(n);
  const seconds = (performance.now() - started) / 1000;
  kit.report({ name: label('in-process SDK round trips'), value: IN_PROCESS_CALLS / seconds, unit: 'req/s', note: misses ? `${misses} GetItem misses` : undefined });
}

interface Captured {
  kind: 'get' | 'put';
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

function httpClient(port: number): DynamoDBClient {
  return new DynamoDBClient({
    region: REGION,
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
}

/** Create the table, let it become ACTIVE (`becomeActive` moves the sim's clock; moto's tables are active at once), and load it. */
async function seedOver(port: number, becomeActive: () => Promise<void>): Promise<void> {
  const client = httpClient(port);
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await becomeActive();
  for (let attempt = 0; ; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    if (Table?.TableStatus === 'ACTIVE') break;
    if (attempt === 100) throw new Error(`table ${TABLE} is still ${Table?.TableStatus}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (let from = 0; from < ITEMS; from += 25) {
    let pending: WriteRequest[] = Array.from({ length: Math.min(25, ITEMS - from) }, (_, i) => ({ PutRequest: { Item: item(from + i) } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === 10) throw new Error('BatchWriteItem kept items unprocessed');
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [TABLE]: pending } }));
      pending = out.UnprocessedItems?.[TABLE] ?? [];
    }
  }
  client.destroy();
}

/**
 * Signed requests as the SDK sends them, one Put and one Get for each of
 * CAPTURED_KEYS keys, interleaved as the mix calls them. Each is sent once
 * while captured, and each Get is checked to find its item.
 */
async function capturedMix(port: number): Promise<Captured[]> {
  const client = httpClient(port);
  let last: Omit<Captured, 'kind'> | undefined;
  // Low priority in finalizeRequest: after signing, as the request goes on the wire.
  client.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { path: string; headers: Record<string, string>; body: Uint8Array };
      // A view of the bytes: the SDK's JSON body warns when read as a string.
      last = { path: req.path, headers: { ...req.headers }, body: Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength) };
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'capture' },
  );
  const take = (kind: Captured['kind']): Captured => {
    if (!last?.headers['authorization']) throw new Error('captured a request without its signature');
    const taken = { kind, ...last };
    last = undefined;
    return taken;
  };
  const requests: Captured[] = [];
  for (let n = 0; n < 2 * CAPTURED_KEYS; n++) {
    const { kind, index } = mixCall(n);
    if (kind === 'put') {
      await client.send(new PutItemCommand({ TableName: TABLE, Item: item(index, n) }));
    } else {
      const out = await client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: keyOf(index) } } }));
      if (out.Item?.['pk']?.S !== keyOf(index)) throw new Error(`GetItem did not find ${keyOf(index)}`);
    }
    requests.push(take(kind));
  }
  client.destroy();
  return requests;
}

async function httpLoad(port: number): Promise<{ rate: number; errors: number }> {
  const requests = await capturedMix(port);
  const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONCURRENCY });
  const once = ({ path, headers, body }: Captured, read = false) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        if (read) res.on('data', (chunk: Buffer) => chunks.push(chunk));
        else res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  const take = () => requests[next++ % requests.length]!;
  // Warm up, checking that a replayed request is still answered as the SDK's was.
  for (let i = 0; i < 50; i++) {
    const replayed = take();
    const { status, text } = await once(replayed, true);
    if (status !== 200 || (replayed.kind === 'get' && !(JSON.parse(text) as { Item?: unknown }).Item)) {
      throw new Error(`a replayed ${replayed.kind} was answered ${status}: ${text.slice(0, 200)}`);
    }
  }
  let done = 0;
  let errors = 0;
  const until = performance.now() + HTTP_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: HTTP_CONCURRENCY }, async () => {
      while (performance.now() < until) {
        if ((await once(take())).status === 200) done++;
        else errors++;
      }
    }),
  );
  agent.destroy();
  return { rate: done / HTTP_SECONDS, errors };
}

function onPath(command: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = spawn(command, ['--help'], { stdio: 'ignore' });
    probe.on('error', () => resolve(false));
    probe.on('exit', (code) => resolve(code === 0));
  });
}

/** POST /_gameday/clock: move the sim's virtual clock, here past CreateTable's CREATING phase. */
function advanceSimClock(port: number, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/_gameday/clock', method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`/_gameday/clock answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ advanceSeconds: seconds }));
  });
}

async function overHttp(kit: BenchKit): Promise<void> {
  const where = `HTTP keep-alive, ${HTTP_CONCURRENCY} in flight`;
  const simPort = await kit.freePort();
  const sim = spawn(process.execPath, ['bin/gameday.js', 'sim', 'serve', '--port', String(simPort)], { cwd: kit.root, stdio: 'ignore' });
  let simRate = 0;
  try {
    await kit.waitForPort(simPort, sim, 'gameday sim serve');
    await seedOver(simPort, () => advanceSimClock(simPort, 60));
    const { rate, errors } = await httpLoad(simPort);
    simRate = rate;
    kit.report({ name: label(`${where}: gameday sim`), value: rate, unit: 'req/s', note: errors ? `${errors} errors` : undefined });
  } finally {
    sim.kill();
  }

  if (!(await onPath('moto_server'))) {
    console.log('  moto_server is not on PATH: skipping the DynamoDB side-by-side column');
    return;
  }
  const motoPort = await kit.freePort();
  const moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(motoPort)], { stdio: 'ignore' });
  try {
    await kit.waitForPort(motoPort, moto, 'moto_server');
    await seedOver(motoPort, async () => undefined);
    const { rate, errors } = await httpLoad(motoPort);
    kit.report({ name: label(`${where}: moto_server`), value: rate, unit: 'req/s', note: errors ? `${errors} errors` : undefined });
    kit.report({ name: 'DynamoDB mix: gameday sim ÷ moto_server', value: simRate / rate, unit: '×' });
  } finally {
    moto.kill();
  }
}

export async function dynamodbBench(kit: BenchKit): Promise<void> {
  console.log(`  DynamoDB: a table of ${ITEMS} items of ${itemBytes(item(0))} bytes; even calls GetItem, odd calls PutItem (overwrite)`);
  await inProcess(kit);
  await overHttp(kit);
}
