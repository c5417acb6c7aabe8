import { execFile, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript beside the launcher, without declarations
import { staleBuild } from '../bin/stale-build.js';
import { buildSimulator, SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment, type SimEnvironment } from '../src/env/index.js';
import type { RunResults, ScenarioResult } from '../src/report/types.js';
import type { RunEvent } from '../src/run/types.js';
import type { Simulator } from '../src/sim/index.js';
import { startSimServer, type SimServer } from '../src/sim/server.js';
import {
  CLI_TEST_TIMEOUT,
  FIXTURES,
  RESULTS_SCHEMA,
  ROOT,
  SETUP_TIMEOUT,
  exists,
  finishedRun,
  freshOut,
  gameday,
  lines,
  memo,
  removeTemporary,
  type CliRun,
} from './fixtures/features/run-cli.js';
import { validateAgainst } from './support/json-schema.js';
import { stagingRunnerEnv } from './support/transport.js';

/**
 * The run's contract (issue "The run's contract"), through the real
 * `gameday run` and, where the world is passed in, through runGameDay in a
 * process of its own: every objective measured after a breach, drills,
 * exit codes that hold, stable seeds, selection by line, one event stream.
 */

const CONTRACT = `${FIXTURES}/contract`;
const DRILL = 'The orders database is failed over on purpose';
const UNRECOVERED = 'Nobody promotes the replica';
const LATEST = 'The orders database is copied at its latest restorable time';

const runs = {
  contract: memo(() => finishedRun([`${CONTRACT}/run`, '--ui', 'json'])),
  badInput: memo(() => gameday([`${CONTRACT}/bad-input`, '--dry-run'])),
  warningsDry: memo(() => gameday([`${CONTRACT}/warnings.feature`, '--dry-run'])),
  warnings: memo(() => finishedRun([`${CONTRACT}/warnings.feature`, '--ui', 'plain'])),
  outline: memo(() => finishedRun([`${CONTRACT}/selection.feature:12`, '--ui', 'plain'])),
};

beforeAll(async () => {
  await Promise.all(Object.values(runs).map((run) => run()));
}, SETUP_TIMEOUT);

afterAll(removeTemporary);

function scenario(results: RunResults, name: string): ScenarioResult {
  const found = results.scenarios.find((s) => s.name === name);
  expect(found, `scenario "${name}" in results.json`).toBeDefined();
  return found!;
}

function events(run: CliRun): RunEvent[] {
  return lines(run.stdout).map((line) => JSON.parse(line) as RunEvent);
}

/** `  file:line: message` lines of a refusal. */
function problems(run: CliRun): string[] {
  return run.stderr.split('\n').filter((line) => /^ {2}\S+\.feature:\d+: /.test(line));
}

describe('every objective is measured', () => {
  it(
    'a breached RTO that never recovers is watched for the observation window, says so with what it observed, and the RPO after it is measured',
    async () => {
      const { run, dir } = await runs.contract();
      expect(run.code, run.stderr).toBe(1);
      const s = scenario(dir.results, UNRECOVERED);
      expect(s.status).toBe('failed');
      // RTO 2 minutes: watched for 4 × 2 = 8 minutes after the incident, then "not recovered".
      expect(s.rto).toMatchObject({ targetSeconds: 120, measuredSeconds: null, met: false });
      expect(s.rto!.observedSeconds).toBeGreaterThanOrEqual(480);
      expect(s.rto!.observedSeconds).toBeLessThan(480 + 5);
      // The next step ran: the RPO has its figure (the outage lost nothing the region still holds).
      expect(s.rpo).toMatchObject({ targetSeconds: 60, measuredSeconds: 0, lostWrites: 0, met: true });
      expect(s.objectives.map((o) => [o.objective, o.met, o.step])).toEqual([
        ['rto', false, 5],
        ['rpo', true, 6],
      ]);
      expect(s.breaches).toEqual(['RTO breached: orders-db did not recover within 8 min of the incident (target 2 min)']);
      expect(s.error).toBe(s.breaches[0]);
      // The breached step failed, the one after it ran and passed: the scenario went on.
      expect(s.steps.map((step) => step.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'failed', 'passed']);
      expect(s.steps[5]!.error).toBe(s.breaches[0]);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'the live stream says so as it happens: the breached step finishes failed with the breach, and the run goes on to the next',
    async () => {
      const { run, dir } = await runs.contract();
      const s = scenario(dir.results, UNRECOVERED);
      const own = events(run).filter((e) => 'scenarioId' in e && e.scenarioId === s.id);
      const finished = own.flatMap((e) => (e.kind === 'step.finished' ? [e] : []));
      expect(finished.map((e) => [e.step, e.status, e.breached ?? false])).toEqual([
        [0, 'passed', false],
        [1, 'passed', false],
        [2, 'passed', false],
        [3, 'passed', false],
        [4, 'passed', false],
        [5, 'failed', true],
        [6, 'passed', false],
      ]);
      expect(finished[5]!.error).toBe(s.breaches[0]);
      // Each step that ran started first, at its start on the scenario's clock.
      const started = own.flatMap((e) => (e.kind === 'step.started' ? [[e.step, e.startT]] : []));
      expect(started).toEqual(s.steps.map((step, index) => [index, step.startT]));
      const end = own.find((e) => e.kind === 'scenario.finished');
      expect(end).toMatchObject({ status: 'failed', error: s.error, result: { id: s.id, rto: s.rto, rpo: s.rpo } });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'junit.xml carries the measured RTO and RPO as properties, and the breach as the failure message without stack frames',
    async () => {
      const { dir } = await runs.contract();
      const suite = (new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(dir.junit) as {
        testsuite: { testcase: { name: string; properties: { property: { name: string; value: string }[] }; failure?: { message: string; '#text'?: string } }[] };
      }).testsuite;
      const unrecovered = suite.testcase.find((c) => c.name === UNRECOVERED)!;
      const properties = Object.fromEntries(unrecovered.properties.property.map((p) => [p.name, p.value]));
      expect(properties).toMatchObject({
        'gameday.rto.targetSeconds': '120',
        'gameday.rto.measuredSeconds': 'not recovered',
        'gameday.rto.met': 'false',
        'gameday.rpo.measuredSeconds': '0',
        'gameday.rpo.met': 'true',
        'gameday.incident': 'fault: primary-region-outage: Isolate-Region-Subnets (aws:network:disrupt-connectivity)',
      });
      expect(unrecovered.failure?.message).toBe(scenario(dir.results, UNRECOVERED).error);
      expect(dir.junit).not.toMatch(/\bat .+\.(ts|js):\d+/);
      const drill = suite.testcase.find((c) => c.name === DRILL)!;
      expect(drill.failure).toBeUndefined();
      expect(Object.fromEntries(drill.properties.property.map((p) => [p.name, p.value]))['gameday.rto.met']).toBe('true');
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('drills', () => {
  it(
    'with no fault, the planned failover is the incident: the RTO and RPO are measured from its start',
    async () => {
      const { dir } = await runs.contract();
      const s = scenario(dir.results, DRILL);
      expect(s.status).toBe('passed');
      const failover = 4; // When "orders-db" fails over to its standby
      expect(s.incident).toMatchObject({ kind: 'planned', step: failover, what: 'forced failover of securecart-orders' });
      const started = s.timeline.find((e) => e.kind === 'action.started' && e.detail.action === 'failover')!;
      expect(started.step).toBe(failover);
      expect(s.incident!.t).toBeGreaterThanOrEqual(started.t);
      expect(s.incident!.t - started.t).toBeLessThan(1);
      // Multi-AZ failover takes 60–120 s on the sim; measured within the probe's resolution of the truth.
      expect(s.rto).toMatchObject({ targetSeconds: 300, met: true });
      expect(s.rto!.measuredSeconds! - s.rto!.truthSeconds!).toBeGreaterThanOrEqual(0);
      expect(s.rto!.measuredSeconds! - s.rto!.truthSeconds!).toBeLessThanOrEqual(s.rto!.resolutionSeconds + 1);
      expect(s.rto!.measuredSeconds).toBeGreaterThan(55);
      expect(s.rpo).toMatchObject({ targetSeconds: 0, measuredSeconds: 0, met: true });
      // A fault scenario says so too.
      expect(scenario(dir.results, UNRECOVERED).incident).toMatchObject({ kind: 'fault', step: 4 });
      // A scenario with no incident has none.
      expect(scenario(dir.results, LATEST).incident).toBeNull();
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'results.json names the commit the features come from, and the strategy from the tags (else from the environment)',
    async () => {
      const { dir } = await runs.contract();
      const head = await promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd: ROOT }).then(
        ({ stdout }) => stdout.trim(),
        () => undefined,
      );
      if (head) expect(dir.results.specsCommit).toMatch(new RegExp(`^${head}(\\+dirty)?$`));
      else expect(dir.results.specsCommit).toBeUndefined();
      expect(scenario(dir.results, UNRECOVERED).strategy).toBe('pilot-light');
      expect(scenario(dir.results, LATEST).strategy).toBe('backup-and-restore');
      expect(scenario(dir.results, DRILL).strategy).toBeUndefined();
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'a restore to the latest restorable time needs no incident, and the copy holds every order written before that time',
    async () => {
      const { dir } = await runs.contract();
      const s = scenario(dir.results, LATEST);
      expect(s.status).toBe('passed');
      const check = s.timeline.find((e) => e.kind === 'check.passed' && e.detail.check === 'restored data');
      expect(check?.detail).toMatchObject({ subject: 'orders-db-copy' });
      const restore = s.timeline.find((e) => e.kind === 'action.completed' && e.detail.action === 'point-in-time restore');
      expect(restore && 'outcome' in restore.detail ? restore.detail.outcome : '').toMatch(/^restored to its latest restorable time, /);
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('problems found before the run', () => {
  it(
    'an interval of zero, a recovery check with no incident and a restore to the incident itself: exit 2 at their lines, from --dry-run',
    async () => {
      const run = await runs.badInput();
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      const found = problems(run);
      const at = (file: string, line: number) => found.filter((p) => p.startsWith(`  ${CONTRACT}/bad-input/${file}:${line}: `));
      expect(at('zero-interval.feature', 9)[0]).toContain('orders must be written at an interval above zero');
      expect(at('no-incident.feature', 11)[0]).toContain('no incident to measure from');
      expect(at('no-incident.feature', 12)[0]).toContain('no incident to measure from');
      expect(at('pitr-zero.feature', 11)[0]).toContain('"orders-db" is restored to its latest restorable time as "orders-db-restored"');
      expect(found).toHaveLength(4);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'an RTO finer than the probes and two scenarios of one name are warnings with their file:line; the run goes on and results.json keeps them',
    async () => {
      const dry = await runs.warningsDry();
      expect(dry.code, dry.stderr).toBe(0);
      const file = `${CONTRACT}/warnings.feature`;
      expect(lines(dry.stdout)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(new RegExp(`^warning: ${file}:9: an RTO of 2 s is finer than the probes' resolution of 5 s`)),
          expect.stringMatching(new RegExp(`^warning: ${file}:12: another scenario of this file is named "Backups are kept" \\(line 7\\)`)),
        ]),
      );
      const { run, dir } = await runs.warnings();
      expect(run.code, run.stderr).toBe(0);
      expect(dir.results.warnings.map((w) => w.line)).toEqual([9, 12]);
      expect(lines(run.stdout).filter((line) => line.startsWith('warning: '))).toHaveLength(2);
      // Told apart by their order.
      expect(dir.results.scenarios.map((s) => s.id)).toEqual([`${file}#backups-are-kept`, `${file}#backups-are-kept~2`]);
      expect(new Set(dir.results.scenarios.map((s) => s.seed)).size).toBe(2);
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('file:LINE selects as cucumber-js does, and validates only what it selects', () => {
  const SELECTION = `${CONTRACT}/selection.feature`;
  const dryRun = async (line: number) => gameday([`${SELECTION}:${line}`, '--dry-run']);
  const listed = (run: CliRun) => lines(run.stdout).flatMap((line) => (line.startsWith(`${SELECTION}:`) ? [Number(line.split(':')[1]!.split(' ')[0])] : []));

  it(
    "an outline's line selects every example; an Examples line, its table; a row's line, that row; a scenario's line, the scenario",
    async () => {
      const cases: [number, number[]][] = [
        [12, [18, 19, 23]],
        [16, [18, 19]],
        [21, [23]],
        [19, [19]],
        [8, [8]],
      ];
      for (const [line, selected] of cases) {
        const run = await dryRun(line);
        // The broken scenario is not selected, so not checked.
        expect(run.code, `${SELECTION}:${line}\n${run.stderr}`).toBe(0);
        expect(listed(run), `${SELECTION}:${line}`).toEqual(selected);
      }
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'the run runs what the dry run listed: the outline line runs its three examples, each with an id of its own',
    async () => {
      const { run, dir } = await runs.outline();
      expect(run.code, run.stderr).toBe(0);
      expect(dir.results.scenarios.map((s) => [s.line, s.name])).toEqual([
        [18, 'Backups are kept for 2 days'],
        [19, 'Backups are kept for 3 days'],
        [23, 'Backups are kept for 7 days'],
      ]);
      expect(new Set(dir.results.scenarios.map((s) => s.id)).size).toBe(3);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'a line that selects nothing, and the broken scenario when it is selected, are bad input at their lines',
    async () => {
      const step = await dryRun(10);
      expect(step.code).toBe(2);
      expect(problems(step)[0]).toMatch(new RegExp(`^ {2}${SELECTION}:10: line 10 is not the line of a scenario, an outline, an Examples table or an example row; scenarios start at lines 8, 12, 25$`));
      const broken = await dryRun(25);
      expect(broken.code).toBe(2);
      expect(problems(broken)).toEqual([expect.stringMatching(new RegExp(`^ {2}${SELECTION}:27: .*no-such-database`))]);
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('output hygiene', () => {
  it(
    '`| head -1` ends the output quietly: the run goes on, writes results.json and exits as it would have',
    async () => {
      const out = await freshOut();
      const command = `node bin/gameday.js run ${CONTRACT}/run/drill.feature --ui plain --out ${out} | head -1; exit \${PIPESTATUS[0]}`;
      const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('bash', ['-c', command], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      expect(result.stderr).toBe('');
      expect(lines(result.stdout)).toHaveLength(1);
      expect(result.stdout).toMatch(/^gameday run \S+: 1 scenario, environment securecart on the simulator, seed 42\n$/);
      expect(result.code).toBe(0);
      const results = JSON.parse(await readFile(join(out, 'latest', 'results.json'), 'utf8')) as RunResults;
      expect(results.summary).toMatchObject({ scenarios: 1, passed: 1 });
      expect(validateAgainst(RESULTS_SCHEMA, results)).toEqual([]);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    "the AWS SDK's notice about Node versions never reaches the user, even when the shell does not silence it",
    async () => {
      const run = await gameday([`${CONTRACT}/run/drill.feature`, '--ui', 'plain'], { env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined } });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).not.toMatch(/NodeVersionSupportWarning|require node >=22/);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'plain output ends with a table of RTO and RPO measured against target and a verdict per scenario, and counts in words that agree with their number',
    async () => {
      const { run } = await runs.warnings();
      const out = lines(run.stdout);
      const header = out.findIndex((line) => /^scenario\s+RTO measured \/ target\s+RPO measured \/ target\s+verdict$/.test(line));
      expect(header, run.stdout).toBeGreaterThan(0);
      expect(out[header + 2]).toMatch(/^Backups are kept\s+—\s+—\s+✔ passed$/);
      expect(out).toContain('2 scenarios: 2 passed, 0 failed');
      const drill = await gameday([`${CONTRACT}/run/drill.feature`, '--ui', 'plain']);
      const drillLines = lines(drill.stdout);
      expect(drillLines[0]).toMatch(/: 1 scenario, /);
      expect(drillLines).toContain('1 scenario: 1 passed, 0 failed; 2 objectives: 2 met, 0 breached');
      expect(drillLines.find((line) => line.startsWith('The orders database is failed over on purpose'))).toMatch(/\d.* \/ 5 min\s+0 s \/ 0 s\s+✔ passed$/);
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('the account guard and credentials, on an aws environment (the sim behind AWS_ENDPOINT_URL)', () => {
  let server: SimServer | undefined;
  let sim: Simulator | undefined;
  let dir: string;

  beforeAll(async () => {
    const env = await loadEnvironment(join(ROOT, 'scenarios/environments/securecart.yaml'));
    const clock = new VirtualClock({ start: SIM_START, speed: 1 });
    sim = buildSimulator({ clock, seed: 42, env: env as SimEnvironment });
    server = await startSimServer({ host: '127.0.0.1', port: 0, create: () => ({ sim: sim!, clock }) });
    // The staging fixture, allowing another account than the sim's.
    dir = await mkdtemp(join(tmpdir(), 'gameday-guard-'));
    const staging = await readFile(join(ROOT, 'test/fixtures/env/aws/staging-on-sim.yaml'), 'utf8');
    const other = staging
      .replace('allowedAccountIds: ["123456789012"]', 'allowedAccountIds: ["111122223333"]')
      // Its templates named from where the copy is.
      .replaceAll('../../../../scenarios/templates/', `${join(ROOT, 'scenarios/templates')}/`)
      .replace(/\nroles:\n(?: {2}.*\n)*/, '\n');
    expect(other).toContain('111122223333');
    expect(other).not.toContain('roles:');
    await writeFile(join(dir, 'other-account.yaml'), other);
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'credentials of an account not in allowedAccountIds: exit 3 before any scenario, naming the account, with no mutating call and no run folder',
    async () => {
      const run = await gameday([`${CONTRACT}/run/drill.feature`, '--env', join(dir, 'other-account.yaml'), '--ui', 'plain'], { env: stagingRunnerEnv(server!.url) });
      expect(run.code, run.stderr).toBe(3);
      expect(run.stderr).toMatch(/the credentials belong to account 123456789012, which is not in allowedAccountIds \(111122223333\); refusing to touch it/);
      expect(run.stderr.match(/refusing/g)).toHaveLength(1);
      expect(await exists(run.out), `${run.out} should not exist`).toBe(false);
      // The only call: STS GetCallerIdentity, once.
      expect(sim!.world.audit.map((r) => r.eventName)).toEqual(['GetCallerIdentity']);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'no credentials the chain can find: exit 2 with what to set, before any call',
    async () => {
      const home = join(dir, 'home');
      await mkdir(home, { recursive: true });
      const before = sim!.world.audit.length;
      const run = await gameday([`${CONTRACT}/run/drill.feature`, '--env', 'test/fixtures/env/aws/staging-on-sim.yaml', '--ui', 'plain'], {
        env: {
          // Nowhere to find credentials: no keys, no profile, no files, no container or instance role; and an endpoint that is not AWS.
          AWS_ENDPOINT_URL: server!.url,
          AWS_ACCESS_KEY_ID: undefined,
          AWS_SECRET_ACCESS_KEY: undefined,
          AWS_SESSION_TOKEN: undefined,
          AWS_PROFILE: undefined,
          AWS_DEFAULT_PROFILE: undefined,
          AWS_CONFIG_FILE: join(home, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
          AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
          AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
          AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
          AWS_EC2_METADATA_DISABLED: 'true',
          HOME: home,
        },
      });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/^gameday: test\/fixtures\/env\/aws\/staging-on-sim\.yaml: no AWS credentials could be found for the aws target/m);
      expect(run.stderr).toMatch(/Set AWS_PROFILE .*AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
      expect(await exists(run.out)).toBe(false);
      expect(sim!.world.audit.length).toBe(before);
    },
    CLI_TEST_TIMEOUT,
  );
});

/**
 * runGameDay with the world passed in, in a Node process of its own on the
 * compiled dist/ (vitest's module graph would give the run and cucumber's
 * step files two copies of each module): what only an embedding program
 * or a live view can do.
 */
describe('runGameDay in process', () => {
  let dir: string;

  beforeAll(async () => {
    expect(staleBuild(ROOT), 'dist/ must be built from these sources: npm run build').toBeUndefined();
    dir = await mkdtemp(join(tmpdir(), 'gameday-contract-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function inProcess(cwd: string, body: string): Promise<unknown> {
    const script = `
      import { runGameDay } from ${JSON.stringify(join(ROOT, 'dist', 'src', 'run', 'run-game-day.js'))};
      import { rerender } from ${JSON.stringify(join(ROOT, 'dist', 'src', 'run', 'aftermath.js'))};
      ${body}
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout);
  }

  it(
    'a comment line added above a scenario changes none of its figures under the same seed',
    async () => {
      const feature = await readFile(join(ROOT, FIXTURES, 'objectives', 'pilot-light-rpo.feature'), 'utf8');
      const env = join(ROOT, 'scenarios/environments/securecart.yaml');
      const results: RunResults[] = [];
      for (const [name, text] of [
        ['plain', feature],
        ['commented', feature.replace('  Scenario:', '  # A note for the next reader, added later.\n  # And another.\n  Scenario:')],
      ] as const) {
        const cwd = join(dir, name);
        await mkdir(join(cwd, 'features'), { recursive: true });
        await writeFile(join(cwd, 'features', 'pilot-light.feature'), text);
        const outcome = (await inProcess(
          cwd,
          `const outcome = await runGameDay({ paths: ['features'], env: ${JSON.stringify(env)}, seed: 1, speed: 'max', outDir: 'reports', parallel: 0, dryRun: false }, { cwd: process.cwd(), wallNow: () => Date.now() }, () => {});
           console.log(JSON.stringify(outcome.results));`,
        )) as RunResults;
        results.push(outcome);
      }
      const [plain, commented] = results.map((r) => r.scenarios[0]!);
      expect(commented!.line).toBe(plain!.line + 2);
      expect(commented!.id).toBe(plain!.id);
      expect(commented!.seed).toBe(plain!.seed);
      expect(commented!.rto).toEqual(plain!.rto);
      expect(commented!.rpo).toEqual(plain!.rpo);
      expect(commented!.incident).toEqual(plain!.incident);
      expect(commented!.timeline.map((e) => [e.t, e.kind])).toEqual(plain!.timeline.map((e) => [e.t, e.kind]));
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    "a note typed during the run lands in results.json under the running scenario and survives `gameday report`; abort stops the run with exit 130 after cleanup",
    async () => {
      const cwd = join(dir, 'control');
      await cp(join(ROOT, 'scenarios'), join(cwd, 'scenarios'), { recursive: true });
      await cp(join(ROOT, FIXTURES, 'contract', 'run', 'drill.feature'), join(cwd, 'drill.feature'));
      await cp(join(ROOT, FIXTURES, 'objectives', 'pilot-light-rpo.feature'), join(cwd, 'pilot-light.feature'));
      const outcome = (await inProcess(
        cwd,
        `let control;
         const seen = [];
         const outcome = await runGameDay(
           { paths: ['drill.feature', 'pilot-light.feature'], speed: 'max', outDir: 'reports', parallel: 0, dryRun: false },
           { cwd: process.cwd(), wallNow: () => Date.now(), onControl: (c) => (control = c) },
           (event) => {
             seen.push(event.kind);
             // The scribe notes the failover as it starts; the room aborts once the region is lost.
             if (event.kind === 'incident' && event.detail.kind === 'planned') control.note('primary moved, writes paused for a minute', 'sre-on-call');
             if (event.kind === 'fault.injected') control.abort();
           },
         );
         const rebuilt = await rerender(process.cwd(), outcome.dir);
         console.log(JSON.stringify({ exitCode: outcome.exitCode, interrupted: outcome.interrupted, results: outcome.results, rebuilt, notes: seen.filter((k) => k === 'note').length, dir: outcome.dir }));`,
      )) as { exitCode: number; interrupted: boolean; results: RunResults; rebuilt: RunResults; notes: number; dir: string };
      expect(outcome.exitCode).toBe(130);
      expect(outcome.interrupted).toBe(true);
      const { results } = outcome;
      expect(validateAgainst(RESULTS_SCHEMA, results)).toEqual([]);
      expect(results).toMatchObject({ interrupted: true, exitCode: 130 });
      expect(outcome.notes).toBe(1);
      const drill = scenario(results, DRILL);
      expect(results.notes).toEqual([{ at: expect.any(String), text: 'primary moved, writes paused for a minute', by: 'sre-on-call', scenarioId: drill.id, t: expect.any(Number) }]);
      expect(drill.status).toBe('passed');
      // The aborted scenario stopped at its fault and cleaned up: its experiment was stopped.
      const aborted = results.scenarios.find((s) => s.uri === 'pilot-light.feature')!;
      expect(aborted.status).toBe('failed');
      expect(aborted.error).toMatch(/^interrupted/);
      expect(aborted.experiments.map((e) => e.state)).toEqual(['stopped']);
      expect(aborted.timeline.filter((e) => e.kind === 'cleanup.step').map((e) => e.detail)).toEqual(
        expect.arrayContaining([expect.objectContaining({ step: 'StopExperiment (experiment for primary-region-outage)', outcome: 'done' })]),
      );
      // The run folder says what happened, and `gameday report` rebuilds the same results from it.
      expect(outcome.rebuilt).toEqual(results);
      const manifest = JSON.parse(await readFile(join(outcome.dir, 'run.json'), 'utf8')) as { state: string; exitCode: number };
      expect(manifest).toMatchObject({ state: 'interrupted', exitCode: 130 });
      expect(lines(await readFile(join(outcome.dir, 'notes.ndjson'), 'utf8'))).toHaveLength(1);
      const history = lines(await readFile(join(cwd, 'reports', 'history.jsonl'), 'utf8')).map((line) => JSON.parse(line) as { runId: string; exitCode: number });
      expect(history).toEqual([expect.objectContaining({ runId: results.runId, exitCode: 130 })]);
      expect((await readdir(join(cwd, 'reports'))).sort()).toEqual([results.runId, 'history.jsonl', 'latest'].sort());
    },
    CLI_TEST_TIMEOUT,
  );
});
