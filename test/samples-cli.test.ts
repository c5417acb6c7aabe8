import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnvironment } from '../src/env/index.js';
import type { SampleRecord } from '../src/report/samples.js';
import type { ObjectiveDistribution, RunResults } from '../src/report/types.js';
import { CLI_TEST_TIMEOUT, exists, FIXTURES, finishedRun, gameday, lines, memo, removeTemporary, ROOT, SETUP_TIMEOUT, type CliRun, type RunDir } from './fixtures/features/run-cli.js';

/**
 * `gameday run --samples N` through the real command (issue 14): each
 * scenario under N seeds derived from the run's, distributions and the
 * verdict against the environment's confidence in results.json (checked
 * against its schema by readRun), the same samples for the same seed, a
 * slow sample replayed exactly from the command results.json gives, and
 * --samples refused on aws before any AWS call.
 */

const FEATURE = `${FIXTURES}/samples/failover.feature`;
/** sim.samples: 6, sim.confidence: 0.9, sim.seed: 7. */
const ENV = `${FIXTURES}/samples/orders-only.yaml`;
const MEETS = `${FEATURE}:11`;
const CANNOT = `${FEATURE}:19`;

const runs = {
  /** The environment's own 6 samples of both scenarios. */
  sampled: memo(() => finishedRun([FEATURE, '--env', ENV, '--ui', 'plain'])),
  /** The first scenario alone, --samples 4 winning over sim.samples. */
  fewer: memo(() => finishedRun([MEETS, '--env', ENV, '--ui', 'plain', '--samples', '4'])),
  /** The same as `sampled`, samples 1…5 spread over two worker processes. */
  parallel: memo(() => finishedRun([FEATURE, '--env', ENV, '--ui', 'plain', '--parallel', '2'])),
  onAws: memo(() => gameday(['features/multi-az-failover.feature:12', '--env', 'scenarios/environments/staging.example.yaml', '--samples', '5', '--ui', 'plain'])),
};

beforeAll(async () => {
  await Promise.all([runs.sampled(), runs.fewer(), runs.parallel(), runs.onAws()]);
}, SETUP_TIMEOUT);

afterAll(removeTemporary);

async function records(dir: RunDir): Promise<SampleRecord[]> {
  const text = await readFile(join(dir.dir, 'samples.ndjson'), 'utf8');
  return lines(text).map((line) => JSON.parse(line) as SampleRecord);
}

function scenario(results: RunResults, line: number) {
  const found = results.scenarios.find((s) => s.line === line);
  if (!found) throw new Error(`no scenario at line ${line}`);
  return found;
}

/** The arguments of a replay command results.json gives (`gameday run …`), for the test's own `gameday run`. */
function argsOf(replay: string): string[] {
  const [gamedayWord, runWord, ...args] = replay.split(' ');
  expect([gamedayWord, runWord]).toEqual(['gameday', 'run']);
  return args;
}

describe('gameday run with sim.samples in the environment file', () => {
  it(
    "runs each scenario under the environment's 6 seeds, sample 0 being the plain run with its timeline",
    async () => {
      const { dir } = await runs.sampled();
      expect(dir.results.samples).toEqual({ count: 6 });
      for (const s of dir.results.scenarios) {
        expect(s.samples?.count, s.name).toBe(6);
        expect(s.samples?.confidence, s.name).toBe(0.9);
        // Sample 0's result is the plain run's, in full.
        expect(s.timeline.some((e) => e.kind === 'objective.checked')).toBe(true);
        expect(s.seed).toBeDefined();
      }
      const kept = await records(dir);
      expect(kept).toHaveLength(12);
      // Six distinct run seeds, the first the run's own (sim.seed: 7).
      const seeds = [...new Set(kept.map((r) => r.seed))];
      expect(seeds).toHaveLength(6);
      expect(kept.filter((r) => r.sample === 0).map((r) => r.seed)).toEqual([7, 7]);
      expect(dir.results.seed).toBe(7);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    "gives each objective its distribution, consistent with the samples' own figures",
    async () => {
      const { dir } = await runs.sampled();
      const kept = (await records(dir)).filter((r) => r.scenarioId === scenario(dir.results, 11).id);
      const rto = scenario(dir.results, 11).samples!.rto!;
      const figures = kept.map((r) => r.rto!.measuredSeconds!).sort((a, b) => a - b);
      expect(rto).toMatchObject({ targetSeconds: 300, count: 6, minSeconds: figures[0], p50Seconds: figures[2], p95Seconds: figures[5], p99Seconds: figures[5], maxSeconds: figures[5], unrecovered: 0 });
      // A Multi-AZ failover is 60–120 s with a slow tail: the samples differ.
      expect(new Set(figures).size).toBeGreaterThan(1);
      expect(rto).toMatchObject({ metCount: 6, metFraction: 1, met: true });
      expect(rto.metInterval.upper).toBe(1);
      expect(rto.metInterval.lower).toBeCloseTo(0.6097, 4);
      expect(rto.slowest).toHaveLength(1);
      expect(rto.slowest[0]!.measuredSeconds).toBe(figures[5]);
      const rpo = scenario(dir.results, 11).samples!.rpo!;
      expect(rpo).toMatchObject({ targetSeconds: 0, count: 6, maxSeconds: 0, metFraction: 1, met: true });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'judges each objective against the confidence: met in 6 of 6 passes, in 0 of 6 fails with the fraction and the interval (exit 1)',
    async () => {
      const { run, dir } = await runs.sampled();
      expect(run.code).toBe(1);
      expect(scenario(dir.results, 11).status).toBe('passed');
      const cannot = scenario(dir.results, 19);
      expect(cannot.status).toBe('failed');
      expect(cannot.samples!.rto).toMatchObject({ metCount: 0, metFraction: 0, met: false });
      expect(cannot.breaches).toEqual([expect.stringMatching(/^RTO of 30 s met in 0 of 6 samples \(0%, 95% interval 0%–39\.0%\), below the confidence of 90%; p95 /)]);
      expect(dir.results.summary).toMatchObject({ scenarios: 2, passed: 1, failed: 1, objectives: { met: 3, breached: 1 } });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'prints each scenario’s distribution line in plain output',
    async () => {
      const { run, dir } = await runs.sampled();
      const rto = scenario(dir.results, 11).samples!.rto!;
      expect(run.stdout).toContain('samples: 6 seeds per scenario, derived from seed 7');
      const line = lines(run.stdout).find((l) => l.includes('✔ RTO p50'));
      expect(line).toMatch(/✔ RTO p50 .+ · p95 .+ · max .+ \(target 5 min\); met in 6 of 6 samples \(100%, 95% interval 61\.0%–100%\), reaches the confidence of 90%/);
      expect(run.stdout).toContain(`slowest: `);
      expect(run.stdout).toContain(rto.slowest[0]!.replay);
      expect(lines(run.stdout).some((l) => l.includes('✘ RTO p50') && l.includes('below the confidence of 90%'))).toBe(true);
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'rebuilds the same results with gameday report from samples.ndjson',
    async () => {
      const { dir } = await runs.sampled();
      const before = dir.results;
      const report = await gamedayReport(dir.dir);
      expect(report.code, report.stderr).toBe(1);
      const after = JSON.parse(await readFile(join(dir.dir, 'results.json'), 'utf8')) as RunResults;
      expect(after.scenarios.map((s) => s.samples)).toEqual(before.scenarios.map((s) => s.samples));
      expect(after.scenarios.map((s) => s.status)).toEqual(before.scenarios.map((s) => s.status));
      expect(after.summary).toEqual(before.summary);
    },
    CLI_TEST_TIMEOUT,
  );
});

/** `gameday report DIR` (the helper runs `gameday run`; this is the other command). */
async function gamedayReport(runDir: string): Promise<{ code: number | null; stderr: string }> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/gameday.js', 'report', runDir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('samples are determined by the seed', () => {
  it(
    'gives the same samples for the same seed: --samples 4 of one scenario repeats the first 4 of the full run',
    async () => {
      const full = await runs.sampled();
      const fewer = await runs.fewer();
      expect(fewer.dir.results.samples).toEqual({ count: 4 });
      const id = scenario(full.dir.results, 11).id;
      const first4 = (await records(full.dir)).filter((r) => r.scenarioId === id && r.sample < 4);
      expect(await records(fewer.dir)).toEqual(first4);
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('--parallel with --samples', () => {
  it(
    'spreads the samples over worker processes and gives the same samples and verdicts as one process',
    async () => {
      const sequential = await runs.sampled();
      const parallel = await runs.parallel();
      expect(parallel.run.code).toBe(sequential.run.code);
      const order = (rs: SampleRecord[]) => [...rs].sort((a, b) => a.scenarioId.localeCompare(b.scenarioId) || a.sample - b.sample);
      expect(order(await records(parallel.dir))).toEqual(order(await records(sequential.dir)));
      expect(parallel.dir.results.scenarios.map((s) => [s.status, s.samples])).toEqual(sequential.dir.results.scenarios.map((s) => [s.status, s.samples]));
      expect(parallel.run.stdout).toContain('6 of 6 samples done');
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('replaying a slow sample', () => {
  it(
    'reproduces its figure exactly with the command results.json gives (gameday run file:LINE --seed S)',
    async () => {
      const { dir } = await runs.sampled();
      const slow: ObjectiveDistribution['slowest'][number] = scenario(dir.results, 19).samples!.rto!.slowest[0]!;
      // The environment sets sim.samples: the replay asks for the one sample.
      expect(slow.replay).toBe(`gameday run ${CANNOT} --seed ${slow.seed} --env ${ENV} --samples 1`);
      const replayed = await finishedRun([...argsOf(slow.replay), '--ui', 'plain']);
      const [result] = replayed.dir.results.scenarios;
      expect(replayed.dir.results.scenarios).toHaveLength(1);
      expect(replayed.dir.results.samples).toBeUndefined();
      expect(result!.seed).toBe(slow.scenarioSeed);
      expect(result!.rto?.measuredSeconds).toBe(slow.measuredSeconds);
      expect(result!.rto?.met).toBe(slow.met);
    },
    CLI_TEST_TIMEOUT,
  );
});

describe('--samples on aws', () => {
  it(
    'is bad input (exit 2) naming the flag and the environment file, before any AWS call and without a run folder',
    async () => {
      const run: CliRun = await runs.onAws();
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--samples 5: scenarios/environments/staging.example.yaml targets aws');
      expect(await exists(run.out)).toBe(false);
    },
    CLI_TEST_TIMEOUT,
  );

  it('refuses sim.samples in an aws environment file, naming the file and line', async () => {
    const text = [
      'target: aws',
      "allowedAccountIds: ['111122223333']",
      'regions: { primary: us-east-1 }',
      'sim:',
      '  samples: 50',
      '',
    ].join('\n');
    const error = await parseEnvironment(text, 'staging.yaml', () => Promise.reject(new Error('no other file'))).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/staging\.yaml:4:.*the sim section is only for target sim/);
  });

  it('takes sim.samples and sim.confidence from a sim environment, confidence 0.95 by default', async () => {
    const read = () => Promise.reject(new Error('no other file'));
    const sampled = await parseEnvironment('regions: { primary: us-east-1 }\nsim:\n  samples: 50\n  confidence: 0.99\n', 'env.yaml', read);
    expect(sampled.target === 'sim' && sampled.sim).toMatchObject({ samples: 50, confidence: 0.99 });
    const plain = await parseEnvironment('regions: { primary: us-east-1 }\n', 'env.yaml', read);
    expect(plain.target === 'sim' && plain.sim.confidence).toBe(0.95);
    expect(plain.target === 'sim' && plain.sim.samples).toBeUndefined();
    const wrong = await parseEnvironment('regions: { primary: us-east-1 }\nsim:\n  samples: 0\n  confidence: 1.5\n', 'env.yaml', read).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(wrong?.message).toMatch(/env\.yaml:3:/);
    expect(wrong?.message).toMatch(/env\.yaml:4:/);
  });
});

describe('--samples on the command line', () => {
  it(
    'refuses a count that is not a whole number from 1 (exit 2)',
    async () => {
      const run = await gameday([MEETS, '--env', ENV, '--samples', '0']);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/--samples.*expected a number of samples 1–100000, got "0"/);
    },
    CLI_TEST_TIMEOUT,
  );
});
