/**
 * A server that runs for days: `gameday sim serve` on SecureCart answers a
 * long stream of requests (a mix of the reads a dashboard or a game day makes
 * on every service) while its resident set size is sampled. Nothing in the
 * server may grow per request: the audit trail keeps 90 days of virtual time
 * and at most a bounded number of calls, dropping its oldest first, so after
 * it fills the RSS stays flat. The figure is the growth from the first sample
 * (taken once the trail is full) to the largest; the issue's bound is 50 MB
 * over 1,000,000 requests.
 *
 *   npm run bench                                   # a shorter soak (SOAK_DEFAULT requests)
 *   GAMEDAY_SOAK_REQUESTS=1000000 npm run bench     # the full soak, minutes
 *   node dist/bench/soak.js [requests]              # the soak alone (after npm run build)
 *
 * Each request is one the SDK signed, captured once and replayed over
 * keep-alive, so the client costs little and the server is what is measured.
 */
import { DescribeAutoScalingGroupsCommand, AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeInstancesCommand, DescribeSubnetsCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { FisClient, ListActionsCommand } from '@aws-sdk/client-fis';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { ListHostedZonesCommand, Route53Client } from '@aws-sdk/client-route-53';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { packageRoot } from './root.js';

/** What `npm run bench` runs unless told otherwise: long enough to fill the audit trail several times over. */
export const SOAK_DEFAULT = 100_000;
export const SOAK_FULL = 1_000_000;
const CONCURRENCY = 8;
const SAMPLES = 20;
/** Requests before the first RSS sample: the audit trail (20,000 calls) has filled and been trimmed by then. */
const WARM_UP = 30_000;
const BOUND_MB = 50;

export interface SoakFigure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

interface Captured {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`gameday sim serve exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/_gameday/health', method: 'GET' }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`gameday sim serve did not start listening on ${port}`);
}

/** The child's resident set size in MB: /proc where there is one, ps elsewhere. */
function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    if (kb) return Number(kb[1]) / 1024;
  } catch {
    // Not Linux: ask ps.
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
}

/** Send each command once through the SDK, keeping the signed request it sent. */
async function capture(port: number): Promise<Captured[]> {
  const config = {
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIASOAKBENCH0000001', secretAccessKey: 'bench' },
    maxAttempts: 1,
  };
  const captured: Captured[] = [];
  type Sendable = { send(command: unknown): Promise<unknown>; middlewareStack: { add(m: unknown, o: unknown): void } };
  const keep = (name: string, client: Sendable): Sendable => {
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>) => async (args: { request: { method: string; path: string; query?: Record<string, string>; headers: Record<string, string>; body?: unknown } }) => {
        const req = args.request;
        const query = new URLSearchParams(Object.entries(req.query ?? {})).toString();
        const body = typeof req.body === 'string' ? req.body : req.body instanceof Uint8Array ? Buffer.from(req.body).toString('utf8') : '';
        captured.push({ name, method: req.method, path: req.path + (query ? `?${query}` : ''), headers: { ...req.headers }, body });
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'capture' },
    );
    return client;
  };
  const calls: [string, Sendable, unknown][] = [
    ['rds DescribeDBInstances', new RDSClient(config) as unknown as Sendable, new DescribeDBInstancesCommand({})],
    ['ec2 DescribeInstances', new EC2Client(config) as unknown as Sendable, new DescribeInstancesCommand({})],
    ['ec2 DescribeSubnets', new EC2Client(config) as unknown as Sendable, new DescribeSubnetsCommand({})],
    ['ec2 DescribeVolumes', new EC2Client(config) as unknown as Sendable, new DescribeVolumesCommand({})],
    [
      'dynamodb GetItem',
      new DynamoDBClient(config) as unknown as Sendable,
      new GetItemCommand({ TableName: 'securecart-order-history', Key: { orderId: { S: 'order-history-000001' } } }),
    ],
    ['s3 GetObject', new S3Client({ ...config, forcePathStyle: true }) as unknown as Sendable, new GetObjectCommand({ Bucket: 'securecart-invoices', Key: 'invoices/000001.json' })],
    ['sts GetCallerIdentity', new STSClient(config) as unknown as Sendable, new GetCallerIdentityCommand({})],
    ['cloudtrail LookupEvents', new CloudTrailClient(config) as unknown as Sendable, new LookupEventsCommand({ MaxResults: 5 })],
    ['fis ListActions', new FisClient(config) as unknown as Sendable, new ListActionsCommand({})],
    ['route53 ListHostedZones', new Route53Client(config) as unknown as Sendable, new ListHostedZonesCommand({})],
    ['cloudwatch DescribeAlarms', new CloudWatchClient(config) as unknown as Sendable, new DescribeAlarmsCommand({})],
    ['autoscaling DescribeAutoScalingGroups', new AutoScalingClient(config) as unknown as Sendable, new DescribeAutoScalingGroupsCommand({})],
  ];
  for (const [name, client, command] of calls) {
    // A request the sim refuses is replayed all the same: its answers are counted as not 2xx.
    const response = (await keep(name, client).send(command).catch(() => ({}))) as { Body?: { transformToString(): Promise<string> } };
    // Read a payload to its end, so the connection is free for the next request.
    await response.Body?.transformToString();
  }
  return captured;
}

/**
 * Run `requests` replayed requests against `gameday sim serve` on SecureCart,
 * sampling its RSS; report the figures through `report`. Returns whether the
 * growth stayed within the bound.
 */
export async function soakBench(report: (figure: SoakFigure) => void, requests = SOAK_DEFAULT): Promise<boolean> {
  const root = packageRoot(import.meta.url);
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/gameday.js', 'sim', 'serve', '--port', String(port), '--env', 'scenarios/environments/securecart.yaml'], {
    cwd: root,
    stdio: 'ignore',
  });
  try {
    await waitForHealth(port, child);
    const mix = await capture(port);
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const once = (req: Captured) =>
      new Promise<number>((resolve, reject) => {
        const outgoing = request({ host: '127.0.0.1', port, path: req.path, method: req.method, headers: req.headers, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        outgoing.on('error', reject);
        outgoing.end(req.body || undefined);
      });

    const warmUp = Math.min(WARM_UP, Math.floor(requests / 4));
    const every = Math.max(1, Math.floor((requests - warmUp) / SAMPLES));
    const samples: { at: number; mb: number }[] = [];
    const errors = new Map<string, number>();
    let sent = 0;
    let done = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < requests) {
          const req = mix[sent++ % mix.length]!;
          const status = await once(req);
          if (status < 200 || status >= 300) errors.set(`${req.name} ${status}`, (errors.get(`${req.name} ${status}`) ?? 0) + 1);
          done++;
          if (done >= warmUp && (done - warmUp) % every === 0) samples.push({ at: done, mb: rssMb(child.pid!) });
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    samples.push({ at: done, mb: rssMb(child.pid!) });
    agent.destroy();

    const first = samples[0]!;
    const peak = Math.max(...samples.map((s) => s.mb));
    const last = samples[samples.length - 1]!;
    const growth = peak - first.mb;
    const within = growth <= BOUND_MB;
    const failed = [...errors.values()].reduce((a, b) => a + b, 0);
    report({ name: `soak: ${done.toLocaleString('en')} requests of ${mix.length} kinds, ${CONCURRENCY} in flight`, value: done / seconds, unit: 'req/s', note: `${seconds.toFixed(0)} s${failed ? `, ${failed} not 2xx: ${[...errors].map(([k, n]) => `${k} ×${n}`).join(', ')}` : ''}` });
    report({
      name: `soak: sim serve RSS growth after ${first.at.toLocaleString('en')} requests`,
      value: growth,
      unit: 'MB',
      note: `${first.mb.toFixed(0)} MB → peak ${peak.toFixed(0)} MB → ${last.mb.toFixed(0)} MB at the end; bound ${BOUND_MB} MB: ${within ? 'within' : 'EXCEEDED'}`,
    });
    if (requests < SOAK_FULL) console.log(`  (the full soak: GAMEDAY_SOAK_REQUESTS=${SOAK_FULL} npm run bench, or node dist/bench/soak.js ${SOAK_FULL})`);
    return within;
  } finally {
    child.kill();
  }
}

/** The number of requests from the environment, read here at the edge. */
export function soakRequestsFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env['GAMEDAY_SOAK_REQUESTS'];
  if (raw === undefined || raw === '') return SOAK_DEFAULT;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1000) throw new Error(`GAMEDAY_SOAK_REQUESTS=${raw}: give a whole number of requests, at least 1000`);
  return n;
}

// Run alone: node dist/bench/soak.js [requests]
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const requests = process.argv[2] ? Number(process.argv[2]) : soakRequestsFromEnv(process.env);
  console.log(`gameday soak (node ${process.version})`);
  const ok = await soakBench((f) => console.log(`  ${f.name.padEnd(58)} ${f.value.toFixed(f.value >= 100 ? 0 : 2).padStart(12)} ${f.unit}${f.note ? `   (${f.note})` : ''}`), requests);
  process.exitCode = ok ? 0 : 1;
}
