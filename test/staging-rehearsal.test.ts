import { DescribeDBInstancesCommand, RDSClient, RebootDBInstanceCommand } from '@aws-sdk/client-rds';
import { FisClient, ListExperimentsCommand, ListExperimentTemplatesCommand } from '@aws-sdk/client-fis';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_START } from '../src/aws/sim-target.js';
import { CLI_TEST_TIMEOUT, FIXTURES, ROOT, freshOut, gameday, lines, readRun, removeTemporary, startGameday, type CliRun } from './fixtures/features/run-cli.js';
import { startSecureCartServer, type SecureCartServer } from './support/securecart-server.js';
import { STAGING_RUNNER, stagingRunnerEnv } from './support/transport.js';
import { EAST } from './support/sim.js';

/**
 * A staging run rehearsed against `gameday sim serve` (issue 17), as CI
 * would run one against a real account: the aws target's own calls over
 * HTTP, its clock the runner's, the sim's clock eleven months behind it (as
 * badly skewed as a clock gets). The sim runs at 1× real time; its Multi-AZ
 * failover is calibrated short (8–12 s) so the test takes seconds, not minutes.
 */

const REHEARSAL = 'scenarios/environments/rehearsal.yaml';
const ORDERS = { region: EAST, identifier: 'securecart-orders' };

let served: SecureCartServer;
const sim = () => served.sim();

beforeAll(async () => {
  // SecureCart with a short failover.
  served = await startSecureCartServer({
    folder: 'gameday-rehearsal',
    edit: (text) => {
      const quick = text.replace('rds.instance.failover: { minSeconds: 60, maxSeconds: 120 }', 'rds.instance.failover: { minSeconds: 8, maxSeconds: 12, tailShare: 0 }');
      expect(quick).toContain('minSeconds: 8');
      return quick;
    },
  });
}, 60_000);

afterAll(async () => {
  await served?.close();
  await removeTemporary();
});

const rds = () => new RDSClient({ region: EAST, endpoint: served.server.url, credentials: STAGING_RUNNER, maxAttempts: 1 });
const fis = () => new FisClient({ region: EAST, endpoint: served.server.url, credentials: STAGING_RUNNER, maxAttempts: 1 });

async function zoneOfOrders(): Promise<{ zone?: string; status?: string }> {
  const { DBInstances } = await rds().send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: ORDERS.identifier }));
  return { zone: DBInstances?.[0]?.AvailabilityZone, status: DBInstances?.[0]?.DBInstanceStatus };
}

describe('an aws environment against gameday sim serve at 1× real time', () => {
  it(
    'measures a forced failover on the runner’s clock within the probe resolution of the sim’s truth, the RPO through the canary contract, and fails the primary back',
    async () => {
      const before = await zoneOfOrders();
      const eventsBefore = sim().world.events.length;
      const { run, dir } = await finishedRunWith(['features/multi-az-failover.feature:12', '--env', REHEARSAL, '--ui', 'plain']);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const [scenario] = dir.results.scenarios;
      expect(scenario!.status).toBe('passed');
      // The truth, from the sim's own log: when FIS started the reboot, and when the database took writes again.
      const events = sim().world.events.slice(eventsBefore);
      const started = events.find((e) => e.kind === 'fis.action.state' && e.detail['status'] === 'running');
      expect(started, 'the FIS action started').toBeDefined();
      // The first failover's end (the fail-back at the scenario's end is a second one).
      const completed = events.find((e) => e.kind === 'rds.failover.completed' && e.detail['id'] === ORDERS.identifier && e.at >= started!.at);
      expect(completed, 'the failover completed').toBeDefined();
      const truth = (completed!.at - started!.at) / 1000;
      const rto = scenario!.rto!;
      expect(truth).toBeGreaterThan(7);
      // Measured on the runner's clock, AWS's instants converted with the skew its Date headers showed.
      expect(Math.abs(rto.measuredSeconds! - truth), `measured ${rto.measuredSeconds} s, truth ${truth} s`).toBeLessThanOrEqual(rto.resolutionSeconds + 1.5);
      expect(scenario!.incident!.kind).toBe('fault');
      // The canary wrote through the orders API on the server's port (httpVia: endpoint-url) and read back.
      expect(scenario!.rpo).toMatchObject({ measuredSeconds: 0, lostWrites: 0, met: true });
      expect(scenario!.timeline.filter((e) => e.kind === 'canary.write' && e.detail.ok).length).toBeGreaterThan(2);
      // The skew the run saw is in run.json: the sim's clock started eleven months before the runner's now.
      const manifest = JSON.parse(await readFile(join(dir.dir, 'run.json'), 'utf8')) as { awsClockOffsetSeconds: number; startedAt: string };
      const expected = (SIM_START - Date.parse(manifest.startedAt)) / 1000;
      expect(Math.abs(manifest.awsClockOffsetSeconds - expected)).toBeLessThan(120);
      // Fail-back (aws's default): the end of the scenario moved the primary back where the scenario found it.
      expect(scenario!.timeline.some((e) => e.kind === 'cleanup.step' && e.detail.step.startsWith('RebootDBInstance (primary of securecart-orders back in') && e.detail.outcome === 'done')).toBe(true);
      let after = await zoneOfOrders();
      const deadline = performance.now() + 30_000;
      while ((after.status !== 'available' || after.zone !== before.zone) && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        after = await zoneOfOrders();
      }
      expect(after).toEqual(before);
      expect(dir.results.leftChanged).toBeUndefined();
      // Journalled before the fault could move it (a run killed mid-fault leaves `gameday cleanup` its home), made an undo at the end, undone.
      const journal = lines(await readFile(join(dir.dir, 'journal.ndjson'), 'utf8')).map((line) => JSON.parse(line) as { kind: string; id: number; description: string; home?: string });
      const home = journal.filter((entry) => entry.description === `primary of securecart-orders back in ${before.zone}`);
      expect(home.map((entry) => entry.kind)).toEqual(['home', 'undo', 'undone']);
      expect(new Set(home.map((entry) => entry.id)).size).toBe(1);
      expect(home[0]!.home).toBe(before.zone);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'runs a region-outage feature too: the template of real FIS actions staging runs isolates us-east-1, stops its instances and pauses replication, and the scenario passes with objectives as the sim’s truth has them',
    async () => {
      const eventsBefore = sim().world.events.length;
      const { run, dir } = await finishedRunWith(['features/active-active.feature:8', '--env', REHEARSAL, '--ui', 'plain']);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const [scenario] = dir.results.scenarios;
      expect(scenario!.status).toBe('passed');
      expect(scenario!.experiments[0]?.templateId).toBeDefined();
      const events = sim().world.events.slice(eventsBefore);
      // Every action of scenarios/templates/primary-region-outage.json ran: no sim-only action among them.
      const started = new Set(events.filter((e) => e.kind === 'fis.action.state' && e.detail['status'] === 'running').map((e) => String(e.detail['actionId'])));
      expect([...started].sort()).toEqual([
        'aws:dynamodb:global-table-pause-replication',
        'aws:ec2:asg-insufficient-instance-capacity-error',
        'aws:ec2:stop-instances',
        'aws:network:disrupt-connectivity',
        'aws:network:route-table-disrupt-cross-region-connectivity',
        'aws:s3:bucket-pause-replication',
      ]);
      expect(events.some((e) => e.kind === 'region.down'), 'no region is taken down: FIS cannot').toBe(false);
      const isolated = new Set(events.filter((e) => e.kind === 'subnet.down').map((e) => String(e.detail['subnetId'])));
      expect([...isolated].sort()).toEqual(['subnet-0e1a0000000000001', 'subnet-0e1b0000000000001']);
      expect(events.some((e) => e.kind === 'ec2.instance.state' && e.detail['region'] === EAST && e.detail['state'] === 'stopping')).toBe(true);
      // The experiment ended with the scenario: the region's network is back for the tests after this one.
      expect(events.filter((e) => e.kind === 'subnet.restored').length).toBe(2);
      // Order history: the us-east-1 replica keeps answering a client outside the region's network, so nothing is lost.
      expect(scenario!.rto).toMatchObject({ met: true });
      expect(scenario!.rpo).toMatchObject({ measuredSeconds: 0, lostWrites: 0, met: true });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'after SIGKILL during a fault, `gameday cleanup` with no run folder finds the run, stops the experiment and deletes its template; again, it finds nothing to do; twice in a row',
    async () => {
      const env = stagingRunnerEnv(served.server.url);
      // Twice: the second crash finds the account as the first cleanup left it, with nothing of the first run in the way.
      for (const round of [1, 2]) {
        const out = await freshOut();
        const started = await startGameday([`${FIXTURES}/aws/interrupted-fault.feature:7`, '--env', 'test/fixtures/env/aws/interrupt-on-sim.yaml', '--ui', 'plain'], { env, out });
        const deadline = performance.now() + 60_000;
        while (!started.stdout().includes('⚡ fault long-wait') && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(started.stdout(), `round ${round}`).toContain('⚡ fault long-wait');
        started.child.kill('SIGKILL');
        await started.result;
        const running = async () => (await fis().send(new ListExperimentsCommand({}))).experiments?.filter((e) => e.state?.status === 'running' || e.state?.status === 'initiating') ?? [];
        const templates = async () => (await fis().send(new ListExperimentTemplatesCommand({}))).experimentTemplates ?? [];
        expect((await running()).length).toBe(1);
        expect((await templates()).length).toBeGreaterThan(0);

        const cleanup = () => cli(['cleanup', '--out', out], env);
        const first = await cleanup();
        expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0);
        const runId = (await readdir(out)).find((name) => /seed/.test(name))!;
        expect(first.stdout).toContain(`${join(out, runId)}: 3 of 3 pending undos done`);
        expect(lines(first.stdout)).toEqual(
          expect.arrayContaining([
            '  ↺ fis:StopExperiment (experiment for long-wait): done',
            '  ↺ fis:DeleteExperimentTemplate (experiment template for long-wait): done',
            // The primary's home, journalled as the scenario started: the fault did not move it, so nothing is rebooted.
            expect.stringMatching(/^ {2}↺ rds:RebootDBInstance \(primary of securecart-orders back in us-east-1[a-f]\): already done$/),
          ]),
        );
        expect(await running()).toEqual([]);
        expect(await templates()).toEqual([]);
        // Idempotent: nothing is left to do, and nothing is done twice.
        const second = await cleanup();
        expect(second.code).toBe(0);
        expect(second.stdout.trim()).toBe(`${out}: no run has undos pending`);
      }
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'every feature `npm run rehearse` runs passes the aws dry run against the server: rehearsal.yaml knows every alias, fault and template they use',
    async () => {
      // scripts/rehearse.mjs runs every feature, the @aurora ones through the checkout API, whose database is the cluster.
      // As the rehearsal starts: SecureCart in steady state (the tests before left instances stopped and a replica promoted).
      expect((await fetch(new URL('/_gameday/reset', served.server.url), { method: 'POST' })).ok).toBe(true);
      const audited = sim().world.audit.length;
      const run = await gameday(['features', '--dry-run', '--env', REHEARSAL], { env: stagingRunnerEnv(served.server.url) });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/^features\/aurora-cluster-failover\.feature:\d+\s/m);
      // Every call one the sim serves (the transit gateways' reads included), and a read.
      const calls = sim().world.audit.slice(audited);
      for (const call of calls) {
        expect(call.eventName, 'a dry run only reads').toMatch(/^(GetCallerIdentity|Describe|List|Get)/);
        expect(call.readOnly, call.eventName).toBe(true);
      }
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'an environment requiring a tag its resources lack is refused (exit 3) before any mutating call, naming each resource',
    async () => {
      const text = (await readFile(join(ROOT, REHEARSAL), 'utf8')).replaceAll('../templates/', `${join(ROOT, 'scenarios/templates')}/`).replace('httpVia: endpoint-url', 'httpVia: endpoint-url\nrequireTag: { gameday: allowed }');
      await writeFile(join(served.work, 'tagged.yaml'), text);
      const audited = sim().world.audit.length;
      const run = await gameday(['features/multi-az-failover.feature:12', '--env', join(served.work, 'tagged.yaml'), '--ui', 'plain'], { env: stagingRunnerEnv(served.server.url) });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(3);
      expect(run.stderr).toContain('requireTag gameday=allowed refuses what this run would touch; nothing was changed');
      expect(run.stderr).toMatch(/"orders-db" \(rds-instance securecart-orders\) does not carry gameday=allowed/);
      expect(run.stderr).toMatch(/the target "orders-db-primary" of .*rds-reboot-with-failover\.json selects by tags without gameday=allowed/);
      const calls = sim().world.audit.slice(audited).map((r) => r.eventName);
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) expect(call, 'only reads before the refusal').toMatch(/^(GetCallerIdentity|Describe|List|Get)/);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'a scenario whose services are not in steady state waits probes.steadyStateWithin, then is skipped with the reason; nothing is changed',
    async () => {
      const text = (await readFile(join(ROOT, REHEARSAL), 'utf8'))
        .replaceAll('../templates/', `${join(ROOT, 'scenarios/templates')}/`)
        .replace('  consecutiveSuccesses: 3\n', '  consecutiveSuccesses: 3\n  steadyStateWithin: 6 seconds\n');
      expect(text).toContain('steadyStateWithin: 6 seconds');
      await writeFile(join(served.work, 'unsteady.yaml'), text);
      // An outage of the region's STS before the run: nothing can be checked, so nothing runs (exit 4, not a failed game day).
      sim().world.faults.setRegionUp(EAST, false, 'a test: the region is down before the run');
      try {
        const audited = sim().world.audit.length;
        const refused = await gameday(['features/multi-az-failover.feature:12', '--env', join(served.work, 'unsteady.yaml'), '--ui', 'plain'], { env: stagingRunnerEnv(served.server.url) });
        expect(refused.code, `${refused.stdout}\n${refused.stderr}`).toBe(4);
        expect(refused.stderr).toContain('AWS could not be asked what the run checks before it starts');
        expect(refused.stderr).toContain('Nothing was changed');
        expect(refused.stderr, 'a message, not a stack trace').not.toMatch(/^\s+at /m);
        for (const call of sim().world.audit.slice(audited).map((r) => r.eventName)) expect(call, 'only reads before it stopped').toMatch(/^(GetCallerIdentity|Describe|List|Get)/);
      } finally {
        sim().world.faults.setRegionUp(EAST, true, 'a test: the region is back');
      }

      // The orders database still rebooting when the scenario would start (a lingering change from before it).
      await rds().send(new RebootDBInstanceCommand({ DBInstanceIdentifier: ORDERS.identifier }));
      const audited = sim().world.audit.length;
      const { run, dir } = await finishedRunWith(['features/multi-az-failover.feature:12', '--env', join(served.work, 'unsteady.yaml'), '--ui', 'plain']);
      const [scenario] = dir.results.scenarios;
      expect(scenario!.status, `${run.stdout}\n${run.stderr}`).toBe('skipped');
      expect(run.stdout).toContain('waiting up to 6 s for steady state before the scenario: orders-db (rebooting)');
      expect(run.stdout).toContain('✘ steady state before the scenario: not healthy after 6 s: orders-db (rebooting)');
      expect(run.stdout).toContain('✘ A forced failover injected by FIS loses no confirmed order: skipped');
      expect(scenario!.timeline.some((e) => e.kind === 'check.failed' && e.detail.check === 'steady state'), 'the steady-state check is on the timeline').toBe(true);
      const calls = sim().world.audit.slice(audited).map((r) => r.eventName);
      for (const call of calls) expect(call, 'only reads while it waited').toMatch(/^(GetCallerIdentity|Describe|List|Get)/);
      // Leave the sim steady for the tests after this one.
      let after = await zoneOfOrders();
      const deadline = performance.now() + 150_000;
      while (after.status !== 'available' && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        after = await zoneOfOrders();
      }
      expect(after.status).toBe('available');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'credentials never appear in what a run prints or writes: stdout, stderr, every file of the run folder',
    async () => {
      const secret = 'gAmEdAySeCrEt+Key/NeverToBeSeen0000000001';
      const token = 'gAmEdAySeSsIoNtOkEn//NeverToBeSeen0000000002';
      const out = await freshOut();
      const env = { ...stagingRunnerEnv(served.server.url), AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: token };
      // Through STS AssumeRole too (the intruder, whose temporary credentials the sim hands out).
      const run = await cli(['run', `${FIXTURES}/aws/intruder.feature`, '--env', 'test/fixtures/env/aws/staging-on-sim.yaml', '--ui', 'json', '--out', out], env);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const folder = join(out, (await readdir(out)).find((name) => /seed/.test(name))!);
      const texts: [string, string][] = [
        ['stdout', run.stdout],
        ['stderr', run.stderr],
        ...(await Promise.all((await readdir(folder)).map(async (name) => [name, await readFile(join(folder, name), 'utf8')] as [string, string]))),
      ];
      expect(texts.length).toBeGreaterThan(6);
      for (const [name, text] of texts) {
        expect(text.includes(secret), `the secret key in ${name}`).toBe(false);
        expect(text.includes(token), `the session token in ${name}`).toBe(false);
        expect(/SecretAccessKey|SessionToken|secretAccessKey|sessionToken/.test(text), `a credentials field in ${name}`).toBe(false);
      }
    },
    CLI_TEST_TIMEOUT,
  );
});

/** A run that finished with a result, and what it wrote. */
async function finishedRunWith(args: string[]): Promise<{ run: CliRun; dir: Awaited<ReturnType<typeof readRun>> }> {
  const run = await gameday(args, { env: stagingRunnerEnv(served.server.url) });
  expect([0, 1], `${run.stdout}\n${run.stderr}`).toContain(run.code);
  return { run, dir: await readRun(run.out) };
}

/** `node bin/gameday.js …args` to its end (not only `run`). */
async function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/gameday.js', ...args], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

