/**
 * `npm run bench`: simulator throughput, measured in one run. Figures, not
 * assertions: machines here are shared and noisy, so tests never time things.
 *
 *   1. virtual seconds simulated per wall second, 1,000 forced failovers
 *   2. in-process SDK round trips per second (DescribeDBInstances)
 *   3. HTTP requests per second, DescribeDBInstances over keep-alive from one
 *      Node client, against `gameday sim serve` and, side by side when it is
 *      installed, `moto_server` (the ratio is printed)
 *   4. figures 2 and 3 for a 50/50 DynamoDB PutItem/GetItem mix of ~1 KB
 *      items, moto_server's column included (bench/dynamodb.ts)
 *   5. the game-day harness, in a process of its own: the SecureCart suite's
 *      wall and simulated time, per-scenario overhead of a 200-row Scenario
 *      Outline, the process's peak RSS; then `npm start` end to end
 *      (bench/harness.ts)
 *   6. the HTML report: the SecureCart report's size and how long
 *      `gameday report` takes to rebuild it (bench/report.ts)
 *   7. a soak of `gameday sim serve`: its RSS over a long stream of requests
 *      (bench/soak.ts; GAMEDAY_SOAK_REQUESTS=1000000 for the full soak)
 *   8. the live view: the SecureCart suite through `gameday run --ui ink`
 *      on a 100×30 terminal against `--ui plain`, and their ratio (bench/ui.ts)
 *   9. `gameday run --samples 200` of features/multi-az-failover.feature in
 *      a process of its own: wall and CPU time (CPU time does not grow when
 *      the machine is shared), per sample, and RSS after 50 and 200 samples;
 *      then the whole SecureCart suite at --samples 100 --parallel 2, which
 *      takes minutes (GAMEDAY_BENCH_SUITE_SAMPLES=0 leaves it out)
 *      (bench/samples.ts)
 */
import { CreateDBInstanceCommand, DescribeDBInstancesCommand, RDSClient, RebootDBInstanceCommand } from '@aws-sdk/client-rds';
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/virtual-clock.js';
import { createSimulator, simClientConfig } from '../src/sim/index.js';
import type { RdsModule } from '../src/sim/services/rds/index.js';
import { harnessBench } from './harness.js';
import { packageRoot } from './root.js';
import { dynamodbBench } from './dynamodb.js';
import { reportBench } from './report.js';
import { samplesBench } from './samples.js';
import { uiBench } from './ui.js';
import { soakBench, soakRequestsFromEnv } from './soak.js';

const root = packageRoot(import.meta.url);
const FAILOVERS = 1000;
const INSTANCES = 20;
const HTTP_SECONDS = 5;
const HTTP_CONCURRENCY = 8;

interface Figure {
  name: string;
  value: number;
  unit: string;
  note?: string;
}
const figures: Figure[] = [];
const report = (figure: Figure) => {
  figures.push(figure);
  console.log(`  ${figure.name.padEnd(58)} ${figure.value.toFixed(figure.value >= 100 ? 0 : 2).padStart(12)} ${figure.unit}${figure.note ? `   (${figure.note})` : ''}`);
};

async function failovers(): Promise<void> {
  const clock = new VirtualClock({ start: SIM_START });
  const sim = createSimulator({ clock, seed: 7 });
  const rds = sim.world.module<RdsModule>('rds').model;
  for (let i = 0; i < INSTANCES; i++) {
    rds.seedInstance({ identifier: `db-${i}`, region: 'us-east-1', multiAZ: true, allocatedStorage: 100, backupRetentionDays: 7 });
  }
  const client = new RDSClient(simClientConfig(sim, 'us-east-1'));
  const started = performance.now();
  await clock.run('bench', async () => {
    const perInstance = FAILOVERS / INSTANCES;
    await clock.wait(
      Promise.all(
        Array.from({ length: INSTANCES }, (_, i) =>
          clock.spawn(`operator-${i}`, async () => {
            for (let n = 0; n < perInstance; n++) {
              await client.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: `db-${i}`, ForceFailover: true }));
              for (;;) {
                await clock.sleep(5000, 'waiting for the failover');
                const { DBInstances } = await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: `db-${i}` }));
                if (DBInstances?.[0]?.DBInstanceStatus === 'available') break;
              }
            }
          }),
        ),
      ),
      'operators',
    );
  });
  const wall = (performance.now() - started) / 1000;
  const simulated = (clock.now() - SIM_START) / 1000;
  const completed = sim.world.events.filter((e) => e.kind === 'rds.failover.completed').length;
  report({ name: `${completed} forced failovers: virtual seconds per wall second`, value: simulated / wall, unit: '×', note: `${simulated.toFixed(0)} s simulated in ${wall.toFixed(2)} s, ${sim.world.audit.length} API calls` });
}

async function inProcess(): Promise<void> {
  const clock = new VirtualClock({ start: SIM_START });
  const sim = createSimulator({ clock, seed: 7 });
  sim.world.module<RdsModule>('rds').model.seedInstance({ identifier: 'orders', region: 'us-east-1', multiAZ: true });
  const client = new RDSClient(simClientConfig(sim, 'us-east-1'));
  const command = new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'orders' });
  for (let i = 0; i < 300; i++) await client.send(command); // warm-up
  const n = 5000;
  const started = performance.now();
  for (let i = 0; i < n; i++) await client.send(command);
  const seconds = (performance.now() - started) / 1000;
  report({ name: 'in-process SDK round trips per second (DescribeDBInstances)', value: n / seconds, unit: 'req/s' });
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

async function waitForPort(port: number, child: ChildProcess, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET' }, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
      req.end();
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not start listening on ${port}`);
}

/** A signed DescribeDBInstances request as the SDK sends it, captured once and replayed. */
async function capturedRequest(port: number): Promise<{ path: string; headers: Record<string, string>; body: string }> {
  let captured: { path: string; headers: Record<string, string>; body: string } | undefined;
  const client = new RDSClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench' },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const req = args.request as { path: string; headers: Record<string, string>; body: string };
      captured = { path: req.path, headers: { ...req.headers }, body: String(req.body) };
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'capture' },
  );
  await client.send(new DescribeDBInstancesCommand({}));
  if (!captured) throw new Error('no request captured');
  return captured;
}

async function httpLoad(port: number): Promise<{ rate: number; errors: number }> {
  const { path, headers, body } = await capturedRequest(port);
  const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONCURRENCY });
  const once = () =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  // Warm up, then count for a fixed window.
  for (let i = 0; i < 50; i++) await once();
  let done = 0;
  let errors = 0;
  const until = performance.now() + HTTP_SECONDS * 1000;
  await Promise.all(
    Array.from({ length: HTTP_CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const status = await once();
        if (status === 200) done++;
        else errors++;
      }
    }),
  );
  agent.destroy();
  return { rate: done / HTTP_SECONDS, errors };
}

async function seedOver(port: number): Promise<void> {
  const client = new RDSClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIABENCH', secretAccessKey: 'bench' },
  });
  await client.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'orders',
      DBInstanceClass: 'db.r6g.large',
      Engine: 'postgres',
      AllocatedStorage: 100,
      MasterUsername: 'admin',
      MasterUserPassword: 'benchmark-only',
      MultiAZ: true,
    }),
  );
}

async function http(): Promise<void> {
  const simPort = await freePort();
  const sim = spawn(process.execPath, ['bin/gameday.js', 'sim', 'serve', '--port', String(simPort)], { cwd: root, stdio: 'ignore' });
  let simRate = 0;
  try {
    await waitForPort(simPort, sim, 'gameday sim serve');
    await seedOver(simPort);
    const { rate, errors } = await httpLoad(simPort);
    simRate = rate;
    report({ name: `HTTP DescribeDBInstances, keep-alive, ${HTTP_CONCURRENCY} in flight: gameday sim`, value: rate, unit: 'req/s', note: errors ? `${errors} errors` : undefined });
  } finally {
    sim.kill();
  }

  const moto = await new Promise<boolean>((resolve) => {
    const probe = spawn('moto_server', ['--help'], { stdio: 'ignore' });
    probe.on('error', () => resolve(false));
    probe.on('exit', (code) => resolve(code === 0));
  });
  if (!moto) {
    console.log('  moto_server is not installed here: skipping the side-by-side column');
    return;
  }
  const motoPort = await freePort();
  const server = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(motoPort)], { stdio: 'ignore' });
  try {
    await waitForPort(motoPort, server, 'moto_server');
    await seedOver(motoPort);
    const { rate, errors } = await httpLoad(motoPort);
    report({ name: `HTTP DescribeDBInstances, keep-alive, ${HTTP_CONCURRENCY} in flight: moto_server`, value: rate, unit: 'req/s', note: errors ? `${errors} errors` : undefined });
    report({ name: 'gameday sim ÷ moto_server (target ≥ 10×)', value: simRate / rate, unit: '×' });
  } finally {
    server.kill();
  }
}

console.log(`gameday bench (node ${process.version})`);
await failovers();
await inProcess();
await http();
await dynamodbBench({ root, report, freePort, waitForPort });
await harnessBench((name, value, unit, note) => report({ name, value, unit, ...(note ? { note } : {}) }));
await reportBench(root, report);
await soakBench(report, soakRequestsFromEnv(process.env));
await uiBench(report);
await samplesBench((name, value, unit, note) => report({ name, value, unit, ...(note ? { note } : {}) }));
