import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript beside the launcher, without declarations
import { staleBuild } from '../bin/stale-build.js';
import { main } from '../src/cli/main.js';
import type { SampleRecord } from '../src/report/samples.js';
import type { RunResults } from '../src/report/types.js';
import { rerender } from '../src/run/aftermath.js';
import { mergeRuns } from '../src/run/merge.js';
import type { RunManifest } from '../src/run/run-folder.js';
import { parseShard } from '../src/run/shard.js';
import { validateAgainst } from './support/json-schema.js';

/**
 * `gameday run --shard i/n` and `gameday report --merge` (issue 14): the
 * shards of a run, merged, give exactly the unsharded run's results.json
 * (but for its run id and wall-clock fields), with --samples (slices of the
 * samples) and without (slices of the scenarios). The runs are made by
 * runGameDay in one Node process of its own on the compiled dist/ (which
 * `npm test` builds first), as run-in-process.test.ts does: one process for
 * eight runs instead of eight `gameday` commands.
 */

const root = join(import.meta.dirname, '..');
const FEATURE = 'features/multi-az-failover.feature';
const SAMPLES = 12;

interface Made {
  unsharded: string;
  shards: string[];
  merged: string;
  /** The same without --samples: three shards of the feature's two scenarios (the third gets none). */
  scenarios: { unsharded: string; shards: string[]; merged: string; shardExitCodes: number[] };
}

let out: string;
let made: Made;

const script = (outDir: string) => `
  import { runGameDay } from ${JSON.stringify(join(root, 'dist', 'src', 'run', 'run-game-day.js'))};
  import { mergeRuns } from ${JSON.stringify(join(root, 'dist', 'src', 'run', 'merge.js'))};
  const out = ${JSON.stringify(outDir)};
  const run = async (where, options) => (await runGameDay(
    { paths: [${JSON.stringify(FEATURE)}], speed: 'max', outDir: out + '/' + where, parallel: 0, dryRun: false, seed: 42, ...options },
    { cwd: ${JSON.stringify(root)}, wallNow: () => Date.now() },
    () => {},
  ));
  const unsharded = (await run('unsharded', { samples: ${SAMPLES} })).dir;
  const shards = [];
  for (const index of [1, 2, 3, 4]) shards.push((await run('shards', { samples: ${SAMPLES}, shard: { index, count: 4 } })).dir);
  const merged = (await mergeRuns(${JSON.stringify(root)}, shards, out + '/merged')).dir;
  const plain = (await run('plain', {})).dir;
  const scenarioShards = [];
  const shardExitCodes = [];
  for (const index of [1, 2, 3]) {
    const outcome = await run('scenario-shards', { shard: { index, count: 3 } });
    scenarioShards.push(outcome.dir);
    shardExitCodes.push(outcome.exitCode);
  }
  const scenarioMerged = (await mergeRuns(${JSON.stringify(root)}, [...scenarioShards].reverse(), out + '/scenario-merged')).dir;
  console.log(JSON.stringify({ unsharded, shards, merged, scenarios: { unsharded: plain, shards: scenarioShards, merged: scenarioMerged, shardExitCodes } }));
`;

beforeAll(async () => {
  expect(staleBuild(root), 'dist/ must be built from these sources: npm run build').toBeUndefined();
  out = await mkdtemp(join(tmpdir(), 'gameday-shard-merge-'));
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script(out)], {
    cwd: root,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    maxBuffer: 1 << 22,
  });
  made = JSON.parse(stdout.trim().split('\n').at(-1)!) as Made;
}, 600_000);

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

async function results(dir: string): Promise<RunResults> {
  const parsed = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as RunResults;
  expect(validateAgainst('schemas/results.schema.json', parsed), `${dir}/results.json against the schema`).toEqual([]);
  return parsed;
}

async function manifest(dir: string): Promise<RunManifest> {
  return JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunManifest;
}

async function records(dir: string): Promise<SampleRecord[]> {
  const text = await readFile(join(dir, 'samples.ndjson'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as SampleRecord);
}

/** results.json without what the wall clock and the run's id decide, and without what says it was merged. */
function comparable(r: RunResults): unknown {
  const { runId: _runId, startedAt: _startedAt, finishedAt: _finishedAt, merged: _merged, ...rest } = r;
  return {
    ...rest,
    scenarios: r.scenarios.map(({ wallSeconds: _wall, steps, ...scenario }) => ({ ...scenario, steps: steps.map(({ wallSeconds: _stepWall, ...step }) => step) })),
  };
}

describe('--shard with --samples: slices of the samples', () => {
  it('gives each shard the samples whose number is its index − 1 modulo 4, each under the seed it has in the unsharded run', async () => {
    const all = await records(made.unsharded);
    expect(all).toHaveLength(SAMPLES * 2);
    const seedOf = new Map(all.map((r) => [r.sample, r.seed]));
    for (const [position, dir] of made.shards.entries()) {
      const own = await records(dir);
      const samples = [...new Set(own.map((r) => r.sample))].sort((a, b) => a - b);
      expect(samples).toEqual([0, 1, 2].map((k) => k * 4 + position));
      for (const record of own) expect(record.seed, `sample ${record.sample}`).toBe(seedOf.get(record.sample));
      // Each record is the unsharded run's own, figure for figure.
      for (const record of own) expect(all).toContainEqual(record);
      const r = await results(dir);
      expect(r.shard).toEqual({ index: position + 1, count: 4, of: 'samples' });
      expect((await manifest(dir)).shard).toMatchObject({ index: position + 1, count: 4, of: 'samples', inputs: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
      // The shard's plain run is its first sample: its scenarios carry that sample's own seeds.
      const first = own.filter((x) => x.sample === position);
      expect(r.scenarios.map((s) => s.seed)).toEqual(first.map((x) => x.scenarioSeed));
      expect(r.scenarios.every((s) => s.samples?.count === 3)).toBe(true);
    }
  });

  it('merged, gives exactly the unsharded results.json, field by field, but for the run id and wall-clock fields', async () => {
    const merged = await results(made.merged);
    const unsharded = await results(made.unsharded);
    expect(comparable(merged)).toEqual(comparable(unsharded));
    // What the distributions are made of is there too: every sample of both scenarios.
    expect(merged.scenarios.map((s) => s.samples?.count)).toEqual([SAMPLES, SAMPLES]);
    expect(merged.shard).toBeUndefined();
    expect(merged.merged?.runIds).toEqual(await Promise.all(made.shards.map(async (dir) => (await manifest(dir)).runId)));
    expect(await records(made.merged)).toEqual(await records(made.unsharded));
  });

  it('rebuilds the merged folder as gameday report does: junit.xml, index.html and cucumber.html beside its results.json', async () => {
    const merged = await results(made.merged);
    const html = await readFile(join(made.merged, 'index.html'), 'utf8');
    expect(html).toContain(merged.runId);
    expect(await readFile(join(made.merged, 'junit.xml'), 'utf8')).toContain('<testsuite');
    expect((await readFile(join(made.merged, 'cucumber.html'), 'utf8')).length).toBeGreaterThan(0);
    expect((await manifest(made.merged)).state).toBe('finished');
  });

  it('is a run folder gameday report rebuilds to the same results.json', async () => {
    const before = await results(made.merged);
    const again = await rerender(root, made.merged);
    expect(again).toEqual(before);
  });
});

describe('--shard without --samples: slices of the scenarios', () => {
  it('runs the scenarios at positions index − 1 modulo 3; a shard given none leaves an empty run that passes', async () => {
    const shards = await Promise.all(made.scenarios.shards.map(results));
    expect(shards.map((r) => r.scenarios.map((s) => s.line))).toEqual([[12], [19], []]);
    expect(shards.map((r) => r.shard)).toEqual([1, 2, 3].map((index) => ({ index, count: 3, of: 'scenarios' })));
    expect(made.scenarios.shardExitCodes[2]).toBe(0);
  });

  it('merged (in any order of the folders), gives exactly the unsharded results.json', async () => {
    expect(comparable(await results(made.scenarios.merged))).toEqual(comparable(await results(made.scenarios.unsharded)));
  });
});

/** A shard's run folder as far as the merge reads it before refusing: its run.json. */
async function fakeShard(dir: string, change: (m: RunManifest) => void): Promise<string> {
  const m: RunManifest = {
    runId: `run-${dir}`,
    state: 'finished',
    seed: 42,
    target: 'sim',
    environment: 'securecart',
    envFiles: { securecart: 'scenarios/environments/securecart.yaml' },
    regions: ['us-east-1', 'us-west-2'],
    startedAt: '2026-01-05T09:00:00.000Z',
    scenarios: { 'features/x.feature:3': { id: 'features/x.feature#x', environment: 'securecart' } },
    warnings: [],
    samples: { count: 12, confidence: { securecart: 0.95 } },
    shard: { index: 1, count: 2, of: 'samples', inputs: 'sha256:aa' },
  };
  change(m);
  const path = join(refusals, dir);
  await mkdir(path, { recursive: true });
  await writeFile(join(path, 'run.json'), JSON.stringify(m));
  return path;
}

let refusals: string;

describe('gameday report --merge refuses what is not every shard of one run', () => {
  beforeAll(async () => {
    refusals = await mkdtemp(join(tmpdir(), 'gameday-merge-refusals-'));
  });
  afterAll(async () => {
    await rm(refusals, { recursive: true, force: true });
  });

  const refusal = async (dirs: string[]) => {
    const error = await mergeRuns(refusals, dirs, join(refusals, 'merged')).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error?.code, 'bad input').toBe('BAD_INPUT');
    return error!.message;
  };

  it.each([
    ['seed', (m: RunManifest) => (m.seed = 7), /are shards of different runs: their seed differ \(42 vs 7\)/],
    ['sample count', (m: RunManifest) => (m.samples = { count: 20, confidence: { securecart: 0.95 } }), /their samples \(--samples, sim\.samples, sim\.confidence\) differ/],
    ['environment', (m: RunManifest) => (m.envOverride = 'scenarios/environments/other.yaml'), /their environment differ \(securecart vs scenarios\/environments\/other\.yaml\)/],
    ['features', (m: RunManifest) => (m.shard!.inputs = 'sha256:bb'), /their feature and environment files \(their contents\) differ/],
    ['selection', (m: RunManifest) => (m.scenarios = {}), /their selected scenarios \(paths, lines, --tags\) differ/],
    ['number of shards', (m: RunManifest) => (m.shard!.count = 3), /their number of shards differ \(2 vs 3\)/],
  ])('shards of runs of different %s', async (_what, change, message) => {
    const a = await fakeShard(`a-${_what}`, () => {});
    const b = await fakeShard(`b-${_what}`, (m) => {
      m.shard!.index = 2;
      change(m);
    });
    expect(await refusal([a, b])).toMatch(message);
  });

  it('a missing shard, naming it and those given', async () => {
    const a = await fakeShard('m1', (m) => (m.shard!.count = 3));
    const c = await fakeShard('m3', (m) => (m.shard = { ...m.shard!, index: 3, count: 3 }));
    expect(await refusal([a, c])).toBe('shard 2/3 missing: a merge needs every shard of the run (given: 1/3, 3/3)');
  });

  it('a shard given twice, naming both folders', async () => {
    const a = await fakeShard('d1', () => {});
    const b = await fakeShard('d1-again', () => {});
    expect(await refusal([a, b])).toBe(`shard 1/2 is given twice: ${a} and ${b}`);
  });

  it('a run that is no shard, one still running, a folder that is no run', async () => {
    const whole = await fakeShard('whole', (m) => delete m.shard);
    expect(await refusal([whole])).toMatch(/whole: run run-whole is not a shard \(it ran without --shard\)/);
    const running = await fakeShard('running', (m) => (m.state = 'running'));
    expect(await refusal([running])).toMatch(/running: shard 1\/2 has not finished/);
    expect(await refusal([join(refusals, 'nothing-here')])).toMatch(/nothing-here\/run\.json: not a gameday run directory/);
  });

  it('through the command: exit 2 with the message, nothing merged', async () => {
    const a = await fakeShard('c1', () => {});
    const io = cli(['report', '--merge', a, '--out', join(refusals, 'cli-merged')]);
    expect(await main(io.io)).toBe(2);
    expect(io.stderr()).toContain('shard 2/2 missing');
  });
});

/** The command in this process, its output captured. */
function cli(argv: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  return {
    io: { argv, cwd: root, env: {}, stdout, stderr, interrupt: new AbortController().signal, wallNow: () => 0 },
    stdout: () => out,
    stderr: () => err,
  };
}

describe('--shard values', () => {
  it.each([
    ['0/4', 'the shard must be 1–4 (counted from 1), not 0'],
    ['5/4', 'the shard must be 1–4 (counted from 1), not 5'],
    ['1/0', 'the number of shards must be 1–1000, not 0'],
    ['x', 'expected i/n, the i-th of n slices counted from 1, e.g. 2/4'],
    ['2/', 'expected i/n, the i-th of n slices counted from 1, e.g. 2/4'],
  ])('%s is bad input (exit 2): %s', async (value, message) => {
    expect(() => parseShard(value)).toThrow(message);
    const io = cli(['run', FEATURE, '--shard', value]);
    expect(await main(io.io)).toBe(2);
    expect(io.stderr()).toContain(`option '--shard <i/n>' argument '${value}' is invalid. ${message}`);
  });

  it('takes i/n from 1/1 to n/n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
  });

  it('with --samples on aws, is refused as --samples is (exit 2, before any AWS call)', async () => {
    const io = cli(['run', `${FEATURE}:12`, '--env', 'scenarios/environments/staging.example.yaml', '--samples', '8', '--shard', '2/4', '--ui', 'plain', '--out', join(tmpdir(), 'gameday-never-written')]);
    expect(await main(io.io)).toBe(2);
    expect(io.stderr()).toContain('--samples 8: scenarios/environments/staging.example.yaml targets aws');
  });
});
