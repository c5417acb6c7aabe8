import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CreateDBInstanceCommand,
  DBInstanceNotFoundFault,
  DescribeDBInstancesCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_START } from '../src/aws/sim-target.js';
import { ACCOUNT } from './support/sim.js';

/**
 * `gameday sim serve` as a user starts it: the real CLI in a child process,
 * reached over HTTP by the SDK with an endpoint override and by the AWS CLI.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SPEED = 1000;
const credentials = { accessKeyId: 'AKIASIMSERVETEST0001', secretAccessKey: 'gameday-sim-secret' };
const realNow = () => performance.now();
/** The wall clock, which the server's virtual clock starts from (tests may read it; the product takes it at its edge). */
const wallNow = () => Date.now();
const realSleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const hasAwsCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasAwsCli) console.warn('test/sim-serve.test.ts: the aws CLI is not on PATH; the `aws --endpoint-url` test is skipped');

interface ClockView {
  now: string;
  epochMs: number;
}

let child: ChildProcessWithoutNullStreams;
let url: string;
let stdout = '';
let stderr = '';
let exited: Promise<number | null>;
let spawnedAt: number;
let spawnedAtWall: number;

/** The first stdout line names the URL: `gameday sim listening on http://127.0.0.1:PORT`. */
function listeningUrl(): Promise<string> {
  return new Promise((resolve, reject) => {
    const onData = () => {
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      child.stdout.off('data', onData);
      const first = stdout.slice(0, newline);
      const match = /^gameday sim listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
      if (match) resolve(match[1]!);
      else reject(new Error(`unexpected first line: ${JSON.stringify(first)}\nstderr: ${stderr}`));
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gameday sim serve exited with ${code} before listening\nstderr: ${stderr}`)));
  });
}

async function control<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${url}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as T };
}

function rds(region: string): RDSClient {
  return new RDSClient({ region, endpoint: url, credentials, maxAttempts: 1 });
}

beforeAll(async () => {
  spawnedAt = realNow();
  spawnedAtWall = wallNow();
  child = spawn(
    process.execPath,
    ['bin/gameday.js', 'sim', 'serve', '--port', '0', '--env', 'scenarios/environments/securecart.yaml', '--speed', String(SPEED)],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  exited = once(child, 'exit').then(([code]) => code as number | null);
  url = await listeningUrl();
});

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
});

describe('gameday sim serve', () => {
  it('reports its health', async () => {
    const { status, json } = await control<{ status: string; seed: number; now: string; services: string[] }>('GET', '/_gameday/health');
    expect(status).toBe(200);
    expect(json.status).toBe('ok');
    expect(Number.isInteger(json.seed)).toBe(true);
    expect(json.services).toEqual(expect.arrayContaining(['rds', 'fis']));
    // Its clock starts at the wall clock's now, so an aws run against it measures on one clock.
    expect(Date.parse(json.now)).toBeGreaterThanOrEqual(spawnedAtWall);
    expect(stdout).toContain('environment: scenarios/environments/securecart.yaml');
  });

  it('runs its clock at real time × speed, and jumps when told', async () => {
    const first = (await control<ClockView>('GET', '/_gameday/clock')).json;
    expect(first.epochMs).toBeGreaterThanOrEqual(spawnedAtWall);
    expect(new Date(first.epochMs).toISOString()).toBe(first.now);
    let later = first;
    // Poll until virtual time has moved; a real-time guard, not a timing assertion.
    for (let i = 0; i < 100 && later.epochMs <= first.epochMs; i++) {
      await realSleep(20);
      later = (await control<ClockView>('GET', '/_gameday/clock')).json;
    }
    expect(later.epochMs).toBeGreaterThan(first.epochMs);
    // Virtual time started at the wall clock's now, after the spawn, and runs at real time × speed (+1 ms for flooring).
    const elapsed = realNow() - spawnedAt;
    expect(later.epochMs).toBeLessThanOrEqual(spawnedAtWall + elapsed * SPEED + 2);

    const jumped = await control<ClockView>('POST', '/_gameday/clock', { advanceSeconds: 3600 });
    expect(jumped.status).toBe(200);
    expect(jumped.json.epochMs).toBeGreaterThanOrEqual(later.epochMs + 3600 * 1000);
    const after = (await control<ClockView>('GET', '/_gameday/clock')).json;
    expect(after.epochMs).toBeGreaterThanOrEqual(jumped.json.epochMs);

    const refused = await control<{ error: string }>('POST', '/_gameday/clock', { advanceSeconds: -5 });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe('ValidationException');

    // Past what a Date can hold: refused, and the clock keeps answering (it once broke until a reset).
    const absurd = await control<{ error: string }>('POST', '/_gameday/clock', { advanceSeconds: 9e12 });
    expect(absurd.status).toBe(400);
    expect((await control<ClockView>('GET', '/_gameday/clock')).status).toBe(200);
  });

  it('answers DescribeDBInstances for the seeded SecureCart instances through the SDK', async () => {
    const east = await rds('us-east-1').send(new DescribeDBInstancesCommand({}));
    // The checkout cluster's members are DB instances too, as RDS lists Aurora instances.
    expect(east.DBInstances?.map((d) => [d.DBInstanceIdentifier, d.DBClusterIdentifier])).toEqual([
      ['securecart-checkout-1', 'securecart-checkout'],
      ['securecart-checkout-2', 'securecart-checkout'],
      ['securecart-checkout-3', 'securecart-checkout'],
      ['securecart-orders', undefined],
    ]);
    expect(east.DBInstances!.find((d) => d.DBInstanceIdentifier === 'securecart-orders')).toMatchObject({
      DBInstanceStatus: 'available',
      Engine: 'postgres',
      MultiAZ: true,
      BackupRetentionPeriod: 7,
      ReadReplicaDBInstanceIdentifiers: [`arn:aws:rds:us-west-2:${ACCOUNT}:db:securecart-orders-replica`],
    });
    const west = await rds('us-west-2').send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'securecart-orders-replica' }));
    expect(west.DBInstances![0]).toMatchObject({
      DBInstanceStatus: 'available',
      ReadReplicaSourceDBInstanceIdentifier: `arn:aws:rds:us-east-1:${ACCOUNT}:db:securecart-orders`,
    });
    await expect(rds('us-west-2').send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'securecart-orders' }))).rejects.toBeInstanceOf(
      DBInstanceNotFoundFault,
    );
  });

  it.skipIf(!hasAwsCli)('answers `aws --endpoint-url … rds describe-db-instances` (skipped when the aws CLI is not installed)', async () => {
    const { stdout: out } = await promisify(execFile)(
      'aws',
      ['--endpoint-url', url, 'rds', 'describe-db-instances', '--region', 'us-east-1', '--output', 'json'],
      {
        timeout: 30_000,
        env: {
          // Only the test's own AWS settings: nothing of a developer's profile or session leaks in.
          ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_'))),
          AWS_ACCESS_KEY_ID: credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_PAGER: '',
        },
      },
    );
    const parsed = JSON.parse(out) as { DBInstances: { DBInstanceIdentifier: string; DBInstanceStatus: string; MultiAZ: boolean }[] };
    expect(parsed.DBInstances.map((d) => [d.DBInstanceIdentifier, d.DBInstanceStatus, d.MultiAZ])).toEqual([
      ['securecart-checkout-1', 'available', false],
      ['securecart-checkout-2', 'available', false],
      ['securecart-checkout-3', 'available', false],
      ['securecart-orders', 'available', true],
    ]);
  });

  it('goes back to the steady state on /_gameday/reset', async () => {
    const east = rds('us-east-1');
    await east.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: 'scratch-db', DBInstanceClass: 'db.t4g.micro', Engine: 'postgres', AllocatedStorage: 20 }));
    expect((await east.send(new DescribeDBInstancesCommand({}))).DBInstances).toHaveLength(5);
    const advanced = (await control<ClockView>('GET', '/_gameday/clock')).json;
    expect(advanced.epochMs).toBeGreaterThan(spawnedAtWall + 3600 * 1000);

    const reset = await control<{ status: string } & ClockView>('POST', '/_gameday/reset');
    expect(reset.status).toBe(200);
    expect(reset.json.status).toBe('reset');
    expect(reset.json.epochMs).toBeGreaterThanOrEqual(spawnedAtWall);
    expect(reset.json.epochMs).toBeLessThan(advanced.epochMs);

    await expect(east.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'scratch-db' }))).rejects.toBeInstanceOf(DBInstanceNotFoundFault);
    const steady = (await east.send(new DescribeDBInstancesCommand({}))).DBInstances!;
    expect(steady.map((d) => [d.DBInstanceIdentifier, d.DBInstanceStatus])).toEqual([
      ['securecart-checkout-1', 'available'],
      ['securecart-checkout-2', 'available'],
      ['securecart-checkout-3', 'available'],
      ['securecart-orders', 'available'],
    ]);
    const { json } = await control<{ events: { kind: string; detail: Record<string, unknown> }[] }>('GET', '/_gameday/events');
    expect(json.events.some((e) => e.detail['id'] === 'scratch-db')).toBe(false);
  });

  it('starts its clock where --start says', async () => {
    const other = spawn(process.execPath, ['bin/gameday.js', 'sim', 'serve', '--port', '0', '--start', '2026-01-05T09:00:00Z', '--speed', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      other.stdout.setEncoding('utf8');
      const listening = await new Promise<string>((resolve, reject) => {
        other.stdout.on('data', (chunk: string) => {
          out += chunk;
          const match = /gameday sim listening on (http:\/\/\S+)\n/.exec(out);
          if (match && out.includes('clock: ')) resolve(match[1]!);
        });
        other.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      expect(out).toMatch(/clock: 2026-01-05T09:00:0\d\.\d{3}Z/);
      const { epochMs } = (await (await fetch(`${listening}/_gameday/clock`)).json()) as ClockView;
      expect(epochMs).toBeGreaterThanOrEqual(SIM_START);
      expect(epochMs).toBeLessThan(SIM_START + 60_000);
    } finally {
      other.kill('SIGKILL');
    }
    const refused = spawnSync(process.execPath, ['bin/gameday.js', 'sim', 'serve', '--start', 'yesterday'], { cwd: ROOT, encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('expected an ISO-8601 instant like 2026-01-05T09:00:00Z, got "yesterday"');
  });

  it('a port already taken is bad input (exit 2), said as such, not a stack trace', () => {
    const port = new URL(url).port;
    const refused = spawnSync(process.execPath, ['bin/gameday.js', 'sim', 'serve', '--port', port], { cwd: ROOT, encoding: 'utf8' });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`--port ${port}: something already listens on 127.0.0.1:${port} (another gameday sim serve?)`);
    expect(refused.stderr).not.toMatch(/^\s+at /m);
  });

  it('stops on SIGINT with exit code 130', async () => {
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('gameday sim stopped');
  });
});
