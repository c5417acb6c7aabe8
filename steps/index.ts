import { After, AfterStep, Before, BeforeStep, defineParameterType, defineStep, setDefaultTimeout, setWorldConstructor } from '@cucumber/cucumber';
import type { GherkinDocument, Pickle } from '@cucumber/messages';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createTarget } from '../src/aws/index.js';
import { VirtualClock, type Speed } from '../src/clock/index.js';
import { loadEnvironment, sharedEnvironment, type Environment } from '../src/env/index.js';
import {
  awaitSteadyState,
  CleanupStack,
  DURATION_PARAMETER,
  executorFor,
  failBackMovedPrimaries,
  FileJournal,
  recordPrimaryHomes,
  refreshExperiments,
  ScenarioContext,
  scenarioSeed,
  startProbe,
  type StepDefinition,
  vocabulary,
} from '../src/harness/index.js';
import { lineIndex, pickleLine } from '../src/run/lines.js';
import { environmentNameOf, watchedBy } from '../src/run/validate.js';
import { SCENARIO_MEDIA_TYPE, STEP_MEDIA_TYPE, type ScenarioSummary, type StepClock } from '../src/run/attachments.js';
import { GameDayWorld } from './world.js';

// A sim step takes wall seconds even when it waits virtual hours, and a stall
// fails it through the clock's watchdog; against AWS a recovery takes real
// hours. So the wall-time limit is the longest a game day step may take.
setDefaultTimeout(6 * 3600 * 1000);
setWorldConstructor(GameDayWorld);

defineParameterType({
  name: DURATION_PARAMETER.name,
  regexp: DURATION_PARAMETER.regexp,
  transformer: (text: string) => DURATION_PARAMETER.transform(text),
  useForSnippets: false,
});

// The edge of a cucumber worker: Ctrl-C and SIGTERM reach every process of the
// group. Scenarios then stop waiting and their After hooks stop experiments
// and undo what was done; the CLI exits 130 once cleanup ran. A run in this
// process can also be interrupted by runGameDay (a live view's abort key, an
// embedding program's signal), through the global it calls.
const interrupts = new Map<string, AbortController>();
let signalled = false;
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals++;
    if (signals === 1) {
      signalled = true;
      for (const controller of interrupts.values()) controller.abort(signal);
      return;
    }
    // A second one asks what is left, which the CLI answers; cleanup goes on here (a
    // --parallel worker would otherwise die of it mid-cleanup). A third abandons:
    // a worker goes with the CLI, and so does a process where nobody else listens.
    if (signals >= 3 && (process.send !== undefined || process.listenerCount(signal) === 1)) process.exit(130);
  });
}

function interruptOf(runId: string): AbortController {
  let controller = interrupts.get(runId);
  if (!controller) {
    interrupts.set(runId, (controller = new AbortController()));
    if (signalled) controller.abort('signal');
  }
  return controller;
}

(globalThis as { [key: symbol]: unknown })[Symbol.for('gameday.interruptScenarios')] = (runId: string) => interruptOf(runId).abort('interrupt');

// The sim's pace as the run last set it (a live view's +/- and space), by
// run: a scenario's clock takes it when it is made, and the clocks running
// now take it when it changes. runGameDay reaches this through the global it calls, as
// it reaches the interrupt; under --parallel it does not (see there).
interface Pace {
  speed: Speed;
  paused: boolean;
}
const paces = new Map<string, Pace>();
const liveClocks = new Map<string, Set<VirtualClock>>();

(globalThis as { [key: symbol]: unknown })[Symbol.for('gameday.paceScenarios')] = (runId: string, pace: Pace) => {
  paces.set(runId, { ...pace });
  for (const clock of liveClocks.get(runId) ?? []) {
    clock.setSpeed(pace.speed);
    clock.setPaused(pace.paused);
  }
};

/** Environments this process loaded for the current run (in a parallel worker; in process, the run shares its own). */
const environments = { runId: '', loading: new Map<string, Promise<Environment>>() };

function environmentOf(world: GameDayWorld, steps: readonly { text: string }[]): Promise<Environment> {
  const { runId, cwd, envOverride, envFiles } = world.parameters;
  const named = environmentNameOf(steps);
  const envFile = envOverride ?? (named ? envFiles[named] : undefined);
  if (!envFile) throw new Error(`the scenario names no environment the run loaded (${named ?? 'none'})`);
  const shared = sharedEnvironment(runId, envFile);
  if (shared) return Promise.resolve(shared);
  if (environments.runId !== runId) environments.loading.clear();
  environments.runId = runId;
  let loading = environments.loading.get(envFile);
  if (!loading) environments.loading.set(envFile, (loading = loadEnvironment(envFile, (path) => readFile(resolve(cwd, path), 'utf8'))));
  return loading;
}

Before(async function (this: GameDayWorld, { pickle, gherkinDocument }) {
  // A scenario the interrupt came before does not start: skipped, not failed.
  if (interruptOf(this.parameters.runId).signal.aborted) return 'skipped';
  try {
    // Not in steady state (the previous scenario's fail-back still settling, a fault lingering) after the wait: skipped, saying why.
    if (await begin(this, pickle, gherkinDocument)) return 'skipped';
  } catch (error) {
    this.noteError(error);
    throw error;
  }
  return undefined;
});

/** Set the scenario up; returns why it cannot start, when it cannot. */
async function begin(world: GameDayWorld, pickle: Pickle, gherkinDocument: GherkinDocument): Promise<string | undefined> {
  const { runId, seed, speed, journalFile, scenarios } = world.parameters;
  const interrupted = interruptOf(runId);
  const env = await environmentOf(world, pickle.steps);
  const line = pickleLine(pickle, lineIndex(gherkinDocument));
  const identity = scenarios[`${pickle.uri}:${line}`];
  if (!identity) throw new Error(`${pickle.uri}:${line} is not one of the scenarios this run planned`);
  const derived = scenarioSeed(seed, identity.identityKey);
  // This file is a cucumber worker's edge: the SDK reads AWS_ENDPOINT_URL itself; an environment that rehearses against sim serve needs it too.
  const endpointUrl = process.env['AWS_ENDPOINT_URL'];
  const target = await createTarget(env, { seed: derived, speed, runId, ...(endpointUrl ? { endpointUrl } : {}) });
  const info = { name: pickle.name, uri: pickle.uri, line, runId };
  const startedAt = target.clock.now();
  const emit = world.emitter(() => target.clock.now(), startedAt);
  const cleanup = new CleanupStack(new FileJournal(journalFile, { durable: target.kind === 'aws' }), executorFor(target), emit, {
    runId,
    // The scenario's stable id: a journal entry names the scenario whatever lines move later.
    scenario: identity.id,
    now: () => target.clock.now(),
    afterScenario: env.afterScenario,
  });
  // The scenario's own signal, aborted with the run's. Its sleepers register on it, not on the
  // run's, which lives as long as the process: a scenario that ends with an actor asleep (a
  // probe stopped mid-sleep) would otherwise keep its whole simulator reachable from the run's
  // signal, and --samples, hundreds of scenarios in one run, would grow without bound.
  const scenarioInterrupt = new AbortController();
  const forward = () => scenarioInterrupt.abort(interrupted.signal.reason);
  if (interrupted.signal.aborted) forward();
  else interrupted.signal.addEventListener('abort', forward, { once: true });
  world.releaseInterrupt = () => interrupted.signal.removeEventListener('abort', forward);
  const ctx = (world.ctx = new ScenarioContext(info, target, emit, cleanup, scenarioInterrupt.signal));
  if (target.clock instanceof VirtualClock) {
    // The pace a person set during the run, not the one it started with.
    const pace = paces.get(runId);
    if (pace) {
      target.clock.setSpeed(pace.speed);
      target.clock.setPaused(pace.paused);
    }
    let clocks = liveClocks.get(runId);
    if (!clocks) liveClocks.set(runId, (clocks = new Set()));
    clocks.add(target.clock);
  }
  emit({ kind: 'scenario.started', detail: { name: pickle.name, uri: pickle.uri, line, target: target.kind, ...(target.sim ? { seed: derived } : {}) } });
  // Probe from the first second whatever a "healthy again" step will judge, so
  // the recovery instant is observed, not inferred; restored aliases are
  // probed from the moment a step creates them.
  for (const alias of watchedBy(pickle.steps)) ctx.watched.add(alias);
  return ctx.clock.run('start probes', async () => {
    for (const alias of ctx.watched) if (alias in env.resources) startProbe(ctx, alias);
    // Steady state first (every service the scenario judges healthy), then where the primaries are: what fail-back restores.
    return (await awaitSteadyState(ctx)) ?? (await recordPrimaryHomes(ctx));
  });
}

// When the step starts on the target's clock, attached under the step: a live view times the running step from it.
BeforeStep(async function (this: GameDayWorld) {
  const ctx = this.ctx;
  this.stepStartedAt = ctx?.clock.now();
  if (!ctx || this.stepStartedAt === undefined) return;
  const clock: StepClock = { startT: (this.stepStartedAt - ctx.startedAt) / 1000 };
  await this.attach(JSON.stringify(clock), STEP_MEDIA_TYPE);
});

// The step's span on the target's clock, attached under the step itself.
AfterStep(async function (this: GameDayWorld) {
  const ctx = this.ctx;
  if (!ctx || this.stepStartedAt === undefined) return;
  const clock: StepClock = { startT: (this.stepStartedAt - ctx.startedAt) / 1000, endT: (ctx.clock.now() - ctx.startedAt) / 1000 };
  await this.attach(JSON.stringify(clock), STEP_MEDIA_TYPE);
});

/** The objectives a scenario breached, reported at its end: each was measured and the scenario went on. */
class ObjectivesBreached extends Error {
  override readonly name = 'ObjectivesBreached';
  constructor(breaches: readonly string[]) {
    super(breaches.length === 1 ? breaches[0]! : `${breaches.length} objectives breached:\n${breaches.map((b) => `  - ${b}`).join('\n')}`);
  }
}

After(async function (this: GameDayWorld) {
  const ctx = this.ctx;
  if (!ctx) {
    // The Before hook failed: say what it means for the run's exit code all the same.
    const summary: ScenarioSummary = { target: 'sim', rto: null, rpo: null, breaches: [], experiments: [], simulatedSeconds: 0, ...(this.exitCode ? { exitCode: this.exitCode } : {}) };
    await this.attach(JSON.stringify(summary), SCENARIO_MEDIA_TYPE);
    return;
  }
  for (const probe of ctx.probes.values()) probe.stop();
  for (const canary of ctx.canaries.values()) canary.stop();
  try {
    await ctx.clock.run('cleanup', async () => {
      await failBackMovedPrimaries(ctx);
      await ctx.cleanup.run();
      // Cleanup may have stopped experiments: report the state they ended in.
      await refreshExperiments(ctx);
    });
  } finally {
    const summary: ScenarioSummary = {
      target: ctx.target.kind,
      ...(ctx.target.sim ? { seed: ctx.target.sim.seed } : {}),
      rto: ctx.rto ?? null,
      rpo: ctx.rpo ?? null,
      breaches: [...ctx.breaches],
      experiments: ctx.experiments.map(({ experimentId, templateId, fault, region, state, reason, actions }) => ({
        id: experimentId,
        templateId,
        fault,
        region,
        state,
        ...(reason ? { reason } : {}),
        ...(actions ? { actions } : {}),
      })),
      simulatedSeconds: (ctx.clock.now() - ctx.startedAt) / 1000,
      ...(this.exitCode ? { exitCode: this.exitCode } : {}),
      ...(ctx.target.awsClock.offsetMs !== undefined ? { awsClockOffsetSeconds: ctx.target.awsClock.offsetMs / 1000 } : {}),
    };
    await this.attach(JSON.stringify(summary), SCENARIO_MEDIA_TYPE);
    if (ctx.clock instanceof VirtualClock) liveClocks.get(ctx.info.runId)?.delete(ctx.clock);
    this.releaseInterrupt?.();
    ctx.target.close();
    // A scenario that never waits on its clock runs in microtasks alone, and so
    // could a whole outline of them: give the event loop a turn, so signals are
    // heard and the finished scenario's last clock turn runs and lets its
    // simulator go (else every one stays in memory until the run ends).
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (ctx.breaches.length > 0) throw new ObjectivesBreached(ctx.breaches);
});

/**
 * Each phrase becomes a cucumber step whose body runs as the clock's main
 * actor: on the sim, virtual time advances only while a step runs. Cucumber
 * reads a step function's arity, so each gets one of exactly its arguments.
 */
function register(definition: StepDefinition): void {
  const run = async (world: GameDayWorld, args: unknown[]) => {
    try {
      const ctx = world.scenario;
      // After Ctrl-C no step starts: the next one might make a mutating call (a promotion) before any wait notices.
      ctx.checkInterrupted();
      return await ctx.clock.run(definition.phrase, () => definition.run(ctx, args));
    } catch (error) {
      world.noteError(error);
      throw error;
    }
  };
  const arity = (definition.phrase.match(/\{\w*\}/g) ?? []).length;
  const bodies = [
    async function (this: GameDayWorld) {
      return run(this, []);
    },
    async function (this: GameDayWorld, a: unknown) {
      return run(this, [a]);
    },
    async function (this: GameDayWorld, a: unknown, b: unknown) {
      return run(this, [a, b]);
    },
    async function (this: GameDayWorld, a: unknown, b: unknown, c: unknown) {
      return run(this, [a, b, c]);
    },
  ];
  const body = bodies[arity];
  if (!body) throw new Error(`step "${definition.phrase}" takes ${arity} parameters; the glue handles at most 3`);
  defineStep(definition.phrase, body);
}

for (const definition of vocabulary) register(definition);
