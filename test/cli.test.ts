import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT, RUN_TIMEOUT, SETUP_TIMEOUT, exists, FIXTURES, gameday, lines, memo, removeTemporary, SECURECART, startGameday, type CliRun } from './fixtures/features/run-cli.js';

/**
 * `gameday run` refuses bad input with exit code 2 (DESIGN §7), naming the
 * file and the line, before any AWS call: no run folder appears under --out
 * and no scenario starts. `--dry-run` validates and prints the calls it would
 * make without making any. Ctrl-C stops a game day with exit code 130 after
 * cleanup. Each case runs the real command as a child process.
 */

const BAD = `${FIXTURES}/bad-input`;
const OBJECTIVES = `${FIXTURES}/objectives`;

// The feature-level fixtures go through one run: validation reports every
// problem at once, each with its own file:line, and a CLI start costs seconds.
// Each test below checks its own fixture's line, so a problem that slipped
// past validation still fails its test.
const FEATURE_PROBLEMS = ['unknown-alias', 'unknown-fault', 'undefined-step', 'unparsable-duration', 'gherkin-syntax'].map((name) => `${BAD}/${name}.feature`);

const runs = {
  malformedEnvironment: memo(() => gameday([`${OBJECTIVES}/multi-az-rto.feature`, '--env', `${FIXTURES}/env/securecart.yaml`, '--ui', 'plain'])),
  badFeatures: memo(() => gameday([...FEATURE_PROBLEMS, '--env', SECURECART, '--ui', 'plain'])),
  speedFast: memo(() => gameday([OBJECTIVES, '--env', SECURECART, '--speed', 'fast'])),
  uiTty: memo(() => gameday([OBJECTIVES, '--env', SECURECART, '--ui', 'tty'])),
  tagsSelectNothing: memo(() => gameday([OBJECTIVES, '--env', SECURECART, '--tags', '@no-scenario-has-this-tag', '--ui', 'plain'])),
  dryRun: memo(() => gameday([OBJECTIVES, '--dry-run', '--ui', 'plain'])),
  // Mostly waiting, so it runs beside the others rather than in their queue.
  interrupted: memo(() => interruptAfterFault()),
};

/** How long cleanup on the sim may take after SIGINT before the test gives up on the process. */
const AFTER_SIGINT_MS = 30_000;

interface Interrupted {
  run: CliRun;
  /** stdout when SIGINT was sent. */
  before: string;
  /** The undo operations the journal records as done. */
  undone: (string | undefined)[] | undefined;
}

/**
 * The pilot-light fixture's region outage, paced at twice real time (--speed 2)
 * so the scenario is still running when SIGINT comes, right after the fault.
 */
async function interruptAfterFault(): Promise<Interrupted> {
  const started = await startGameday([`${OBJECTIVES}/pilot-light-rpo.feature`, '--seed', '7', '--speed', '2', '--ui', 'plain'], { timeoutMs: RUN_TIMEOUT });
  const { child } = started;
  // Wait until the fault is in (there is something to undo), then press Ctrl-C.
  const faulted = await new Promise<boolean>((resolve) => {
    const poll = setInterval(() => {
      if (started.stdout().includes('⚡ fault')) resolve(true);
      else if (child.exitCode !== null || child.signalCode !== null) resolve(false);
      else return;
      clearInterval(poll);
    }, 100);
  });
  const before = started.stdout();
  if (faulted) child.kill('SIGINT');
  const giveUp = setTimeout(() => child.kill('SIGKILL'), AFTER_SIGINT_MS);
  const run = await started.result;
  clearTimeout(giveUp);
  const journal = join(run.out, 'latest', 'journal.ndjson');
  const undone = (await exists(journal))
    ? lines(await readFile(journal, 'utf8'))
        .map((line) => JSON.parse(line) as { kind: string; undo?: { operation: string } | null })
        .filter((e) => e.kind === 'undone')
        .map((e) => e.undo?.operation)
    : undefined;
  return { run, before, undone };
}

beforeAll(async () => {
  // Start every run now (at most a few at a time), so the tests below only read results.
  await Promise.all(Object.values(runs).map((run) => run()));
}, SETUP_TIMEOUT);

afterAll(removeTemporary);

/** Exit 2, nothing run, nothing written. */
async function expectRefusedBeforeAnyAwsCall(run: CliRun): Promise<void> {
  expect(run.timedOut, 'the command did not finish').toBe(false);
  expect(run.code, `exit code of gameday run ${run.args.join(' ')}; stderr:\n${run.stderr}`).toBe(2);
  // No scenario started...
  expect(run.stdout).not.toContain('▶');
  // ...and no run folder (results, journal) was made: validation comes before the run.
  expect(await exists(run.out), `${run.out} should not exist`).toBe(false);
}

/** The `gameday: …` lines on stderr (the AWS SDK may add a Node version warning). */
function problems(run: CliRun): string {
  return run.stderr
    .split('\n')
    .filter((line) => line.startsWith('gameday:') || line.startsWith('  '))
    .join('\n');
}

/** The problem line for `file:line`, which must be reported exactly once. */
function problemAt(run: CliRun, file: string, line: number): string {
  const found = problems(run)
    .split('\n')
    .filter((text) => text.includes(`${file}:${line}:`));
  expect(found, `a problem at ${file}:${line} in:\n${run.stderr}`).toHaveLength(1);
  return found[0]!;
}

describe('gameday run refuses bad input with exit code 2 before any AWS call', () => {
  it(
    'a malformed YAML environment file: names the file and the line of the syntax error',
    async () => {
      const run = await runs.malformedEnvironment();
      await expectRefusedBeforeAnyAwsCall(run);
      const message = problemAt(run, `${FIXTURES}/env/securecart.yaml`, 29);
      expect(message).toMatch(/unclosed double quote/);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'an unknown alias: names the feature, the line, the alias and the aliases that exist',
    async () => {
      const run = await runs.badFeatures();
      await expectRefusedBeforeAnyAwsCall(run);
      const message = problemAt(run, `${BAD}/unknown-alias.feature`, 12);
      expect(message).toContain('unknown alias "orders-database"');
      expect(message).toContain('"orders-db"');
      // Only the one bad step of the fixture is reported; its neighbours are fine.
      expect(problems(run).split('\n').filter((line) => line.includes(`${BAD}/unknown-alias.feature:`))).toHaveLength(1);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'an unknown fault: names the feature, the line and the closest fault the environment maps',
    async () => {
      const run = await runs.badFeatures();
      await expectRefusedBeforeAnyAwsCall(run);
      const message = problemAt(run, `${BAD}/unknown-fault.feature`, 13);
      expect(message).toContain('unknown fault "rds-reboot-without-failover"');
      expect(message).toContain('did you mean "rds-reboot-with-failover"?');
      expect(problems(run).split('\n').filter((line) => line.includes(`${BAD}/unknown-fault.feature:`))).toHaveLength(1);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'an undefined step: names the feature and the line and suggests the closest phrase',
    async () => {
      const run = await runs.badFeatures();
      await expectRefusedBeforeAnyAwsCall(run);
      const misspelt = problemAt(run, `${BAD}/undefined-step.feature`, 12);
      expect(misspelt).toContain('undefined step');
      expect(misspelt).toContain('is healty again within the RTO');
      expect(misspelt).toContain('did you mean "{string} is healthy again within the RTO"?');
      // The second scenario's step is reported too (every problem at once), at its own line.
      expect(problemAt(run, `${BAD}/undefined-step.feature`, 17)).toContain('undefined step');
    },
    CLI_TEST_TIMEOUT,
  );

  // Regression (was a product bug, now fixed): src/run/validate.ts closest() scores a phrase
  // by the share of ITS words found in the step, so the short "{string} is
  // healthy" (2 of 2 words) beats "{string} is healthy again within the RTO"
  // (5 of 6) for "is healthy once more within the RTO".
  it(
    'regression: an undefined step that rewords a phrase is pointed at that phrase, not a shorter one',
    async () => {
      const run = await runs.badFeatures();
      expect(run.code).toBe(2);
      expect(problemAt(run, `${BAD}/undefined-step.feature`, 17)).toContain('did you mean "{string} is healthy again within the RTO"?');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'an unparsable duration ("RTO 15 minuets"): reported as a duration at its line, not as an undefined step',
    async () => {
      const run = await runs.badFeatures();
      await expectRefusedBeforeAnyAwsCall(run);
      const message = problemAt(run, `${BAD}/unparsable-duration.feature`, 10);
      expect(message).toContain('"15 minuets" is not a duration');
      expect(message).not.toContain('undefined step');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'a Gherkin syntax error: names the feature and the offending line',
    async () => {
      const run = await runs.badFeatures();
      await expectRefusedBeforeAnyAwsCall(run);
      const message = problemAt(run, `${BAD}/gherkin-syntax.feature`, 11);
      expect(message).toContain('Gherkin syntax');
      expect(message).toContain('"orders-db" is healthy again within the RTO');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'every problem in the features is reported at once, each at its own file:line',
    async () => {
      const run = await runs.badFeatures();
      await expectRefusedBeforeAnyAwsCall(run);
      const reported = problems(run)
        .split('\n')
        .flatMap((line) => /^ {2}(\S+\.feature):(\d+): /.exec(line)?.slice(1, 3).join(':') ?? []);
      expect(reported.sort()).toEqual(
        [
          `${BAD}/gherkin-syntax.feature:11`,
          `${BAD}/undefined-step.feature:12`,
          `${BAD}/undefined-step.feature:17`,
          `${BAD}/unknown-alias.feature:12`,
          `${BAD}/unknown-fault.feature:13`,
          `${BAD}/unparsable-duration.feature:10`,
        ].sort(),
      );
      expect(problems(run)).toMatch(/\b6 problems\b/);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'a bad --speed ("fast"): names the flag and the value',
    async () => {
      const run = await runs.speedFast();
      await expectRefusedBeforeAnyAwsCall(run);
      expect(run.stderr).toMatch(/--speed\b/);
      expect(run.stderr).toContain('fast');
      expect(run.stderr).toMatch(/max/);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'a bad --ui ("tty"): names the flag, the value and the modes there are',
    async () => {
      const run = await runs.uiTty();
      await expectRefusedBeforeAnyAwsCall(run);
      expect(run.stderr).toMatch(/--ui\b/);
      expect(run.stderr).toContain('tty');
      expect(run.stderr).toMatch(/plain/);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'a --tags expression that selects no scenario: says so, naming the expression',
    async () => {
      const run = await runs.tagsSelectNothing();
      await expectRefusedBeforeAnyAwsCall(run);
      expect(problems(run)).toContain('@no-scenario-has-this-tag');
      expect(problems(run)).toMatch(/no scenario/);
    },
    CLI_TEST_TIMEOUT,
  );
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('gameday run --dry-run', () => {
  it(
    'exits 0, prints every scenario with the experiments and calls it would make, and writes no run folder',
    async () => {
      const run = await runs.dryRun();
      expect(run.code, run.stderr).toBe(0);
      expect(await exists(run.out), `${run.out} should not exist`).toBe(false);
      expect(run.stdout).not.toContain('▶');
      const out = run.stdout;
      expect(out).toMatch(/^dry run: 4 scenarios\b.*\bsecurecart\b.*\btarget sim\b.*no AWS call was made$/m);
      for (const [file, line, name] of [
        ['multi-az-rto.feature', 10, 'A Multi-AZ failover cannot meet an RTO of 30 seconds'],
        ['multi-az-rto.feature', 18, 'The same failover meets an RTO of 5 minutes'],
        ['multi-az-rto.feature', 26, 'A check that sets no recovery objective'],
        ['pilot-light-rpo.feature', 8, 'A promoted read replica cannot promise zero data loss'],
      ] as const) {
        expect(out).toMatch(new RegExp(`^${escape(`${OBJECTIVES}/${file}:${line}  ${name}`)}\\b`, 'm'));
      }
      // The FIS experiments: which template file, which action ids, marked mutating.
      expect(out).toMatch(/fis:CreateExperimentTemplate \(mutating\) in us-east-1 from scenarios\/templates\/rds-reboot-with-failover\.json: aws:rds:reboot-db-instances/);
      expect(out).toMatch(/fis:CreateExperimentTemplate \(mutating\) in us-east-1 from scenarios\/templates\/primary-region-outage\.json: aws:network:disrupt-connectivity, aws:network:route-table-disrupt-cross-region-connectivity, aws:ec2:stop-instances, /);
      expect(out).toMatch(/fis:StartExperiment \(mutating\)/);
      // Recovery calls, with their region; an irreversible one says so.
      expect(out).toMatch(/rds:PromoteReadReplica \(mutating, irreversible\) in us-west-2/);
      // Each step is listed under its line in the feature.
      expect(out).toMatch(/^\s+14 {2}When the FIS experiment "rds-reboot-with-failover" runs$/m);
      expect(out).toMatch(/^\s+14 {2}And the read replica "orders-db-replica" is promoted$/m);
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('gameday run interrupted', () => {
  it(
    'the interrupt lands mid-scenario, after the fault was injected',
    async () => {
      const { before } = await runs.interrupted();
      expect(before).toContain('▶ A promoted read replica cannot promise zero data loss');
      expect(before).toContain('⚡ fault primary-region-outage');
      expect(before).not.toContain('passed, ');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'SIGINT after the fault stops the experiment, runs the undo stack and exits 130',
    async () => {
      const { run, undone } = await runs.interrupted();
      expect(run.signal, `gameday ignored SIGINT for ${AFTER_SIGINT_MS / 1000} s and was killed`).toBeNull();
      expect(run.code, run.stderr).toBe(130);
      expect(run.stderr).toMatch(/^gameday: interrupted\b/m);
      // The undo stack ran, newest first: the experiment was stopped, then its template deleted.
      expect(undone).toEqual(['StopExperiment', 'DeleteExperimentTemplate']);
    },
    CLI_TEST_TIMEOUT,
  );
});
