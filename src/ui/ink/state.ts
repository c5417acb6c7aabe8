/**
 * What the live view knows, folded from the run's events (src/run/types.ts)
 * and the view's own keys. Plain TypeScript, no React: events arrive in
 * bursts of thousands (a probe sample every few virtual seconds, at 1000×),
 * and folding one must cost a few field writes. React draws from this state
 * at a paced rate (view-store.ts), never once per event.
 *
 * `reduce` folds in place, on purpose: copying the state per event is the
 * very cost the pacing exists to avoid, and a frame only ever needs the
 * latest picture. The one exception is `printed`, see there.
 */
import type { Speed } from '../../clock/types.js';
import type { RunResults, ScenarioStatus, StepStatus } from '../../report/types.js';
import type { NoteAdded, PlannedScenario, RunEvent, RunStarted, ScenarioEvent, ScenarioFinished, ScenarioScope } from '../../run/types.js';
import { describeEvent, type LogLine } from './event-lines.js';

export type { LogLine, Tone } from './event-lines.js';

/** Not yet started (`queued`), running, or cucumber's own status once finished. */
export type ScenarioState = 'queued' | 'running' | ScenarioStatus;
export type StepState = 'queued' | 'running' | StepStatus;

export interface StepView {
  keyword: string;
  text: string;
  state: StepState;
  /** Seconds since the scenario started (target's clock) when the step started and ended. */
  startT?: number;
  endT?: number;
  wallSeconds?: number;
  error?: string;
}

export interface ExperimentView {
  id: string;
  templateId: string;
  fault: string;
  state: string;
  reason?: string;
  /** The FIS action that injected the fault, once it did. */
  action?: string;
  region?: string;
}

/** A recovery action (a promotion, a DNS failover): running while `seconds` is unknown. */
export interface ActionView {
  action: string;
  target: string;
  region?: string;
  startT: number;
  seconds?: number;
  outcome?: string;
}

export interface CanaryView {
  name: string;
  /** Writes the database acknowledged / refused so far. */
  acknowledged: number;
  failed: number;
  /** From the readback after recovery: sequence numbers acknowledged but gone. */
  lost?: number[];
}

export interface ProbeView {
  name: string;
  target: string;
  resolutionSeconds: number;
  /** The latest samples, oldest first (true: up), at most PROBE_SAMPLES_KEPT. */
  samples: boolean[];
  up: number;
  down: number;
}

/** A measured objective, from `objective.checked` and then from the scenario's result. */
export interface ObjectiveFigure {
  targetSeconds: number;
  measuredSeconds: number | null;
  resolutionSeconds: number;
  met: boolean;
  lostWrites?: number;
  /** RTO not recovered: how long the harness watched. */
  observedSeconds?: number;
  /** The scenario's own objective, not a limit one step stated ("within 3 minutes"). */
  scenarioObjective?: boolean;
}

export type CleanupOutcome = 'pending' | 'done' | 'failed' | 'skipped' | 'left';

export interface CleanupStepView {
  step: string;
  outcome: CleanupOutcome;
  error?: string;
}

export interface ScenarioView {
  id: string;
  name: string;
  uri: string;
  line: number;
  state: ScenarioState;
  /** Cucumber's id of the attempt shown (a retry starts afresh). */
  attempt?: string;
  /** Latest `t` seen: the scenario's virtual now (seconds since it started). */
  now: number;
  steps: StepView[];
  currentStep?: number;
  targets: { rtoSeconds?: number; rpoSeconds?: number };
  incident?: { t: number; what: string; kind: 'fault' | 'planned' };
  /** Seconds from the incident until a probe saw the service healthy again. */
  recoveredAfter?: number;
  rto?: ObjectiveFigure;
  rpo?: ObjectiveFigure;
  experiments: ExperimentView[];
  actions: ActionView[];
  canaries: CanaryView[];
  probes: ProbeView[];
  /** The newest notable lines, for the live tail (at most RECENT_LINES_KEPT). */
  recent: LogLine[];
  /** Notable lines for the block printed when the scenario finishes (at most LOG_LINES_KEPT). */
  log: LogLine[];
  logDropped: number;
  /** The undo list of the scenario's cleanup, once it began. */
  cleanup?: CleanupStepView[];
  error?: string;
  /** Seconds on the target's clock from start to end, once finished. */
  simulatedSeconds?: number;
}

/** What goes to Ink's `<Static>`: printed once, above the live region, kept in scrollback. */
export type PrintedBlock =
  | { kind: 'run'; key: string; run: RunInfo; warnings: string[] }
  | {
      kind: 'scenario';
      key: string;
      name: string;
      uri: string;
      line: number;
      state: ScenarioState;
      error?: string;
      rto?: ObjectiveFigure;
      rpo?: ObjectiveFigure;
      lines: LogLine[];
      dropped: number;
    }
  | { kind: 'note'; key: string; text: string; by?: string }
  | { kind: 'summary'; key: string; results: RunResults; dir: string };

export type RunInfo = Omit<RunStarted, 'plan' | 'warnings' | 'kind'>;

export interface ViewState {
  run: RunInfo | null;
  /** Scenario ids in plan order. */
  order: string[];
  scenarios: Map<string, ScenarioView>;
  /** Ids of the scenarios running now, in the order they started (the last is shown in detail). */
  running: string[];
  /** Scenarios that have started at least once: the header's "scenario n of m". */
  started: Set<string>;
  /** The newest wall-clock instant seen (an event's, or the view's own tick). */
  wallNowMs: number;
  /** The sim's pace and pause, as the keys last set them. */
  speed: Speed;
  paused: boolean;
  /**
   * Ctrl-C presses (and `q`): 1 aborting, 2 asked what is left (cleanup goes
   * on), 3 abandoned cleanup (the CLI exits 130 at once).
   */
  interrupts: 0 | 1 | 2 | 3;
  /**
   * After a second Ctrl-C: the undos the run's journal still holds pending
   * (the CLI reads them), and whether the run is on the simulator, where
   * nothing outlives the process. Null until read.
   */
  left: { undos: string[]; simulator: boolean; command?: string } | null;
  /** With --samples: how many samples have finished (the plain run's included), of how many. */
  sampling: { done: number; samples: number } | null;
  /** The note being typed, or null when the input is closed. */
  noteDraft: string | null;
  notes: number;
  /**
   * Blocks for `<Static>`. Replaced, never pushed to: Static memoizes on the
   * array's identity and would skip an item appended to the same array.
   */
  printed: PrintedBlock[];
  finished: { results: RunResults; dir: string } | null;
  /** The CLI finished the view (the run ended, or failed before saying so): keys no longer do anything. */
  closed: boolean;
  terminal: { columns: number; rows: number };
}

/** The view's own inputs, besides the run's events. */
export type ViewAction =
  | { kind: 'view.resize'; columns: number; rows: number }
  | { kind: 'view.tick'; wallMs: number }
  | { kind: 'view.interrupt' }
  | { kind: 'view.left'; undos: string[]; simulator: boolean; command?: string }
  | { kind: 'view.speed'; speed: Speed }
  | { kind: 'view.pause'; paused: boolean }
  | { kind: 'view.note'; draft: string | null }
  | { kind: 'view.closed' };

export type ViewInput = RunEvent | ViewAction;

export const PROBE_SAMPLES_KEPT = 240;
export const RECENT_LINES_KEPT = 12;
export const LOG_LINES_KEPT = 80;

const TERMINAL_EXPERIMENT_STATES = new Set(['completed', 'stopped', 'failed', 'cancelled']);

export function createViewState(terminal: { columns: number; rows: number } = { columns: 80, rows: 24 }): ViewState {
  return {
    run: null,
    order: [],
    scenarios: new Map(),
    running: [],
    started: new Set(),
    wallNowMs: 0,
    speed: 'max',
    paused: false,
    interrupts: 0,
    left: null,
    sampling: null,
    noteDraft: null,
    notes: 0,
    printed: [],
    finished: null,
    closed: false,
    terminal,
  };
}

export function reduce(state: ViewState, input: ViewInput): void {
  if ('wallMs' in input && input.wallMs > state.wallNowMs) state.wallNowMs = input.wallMs;
  switch (input.kind) {
    case 'view.resize':
      state.terminal = { columns: input.columns, rows: input.rows };
      return;
    case 'view.tick':
      return;
    case 'view.interrupt':
      state.interrupts = Math.min(3, state.interrupts + 1) as ViewState['interrupts'];
      return;
    case 'view.left':
      state.left = { undos: input.undos, simulator: input.simulator, ...(input.command !== undefined ? { command: input.command } : {}) };
      return;
    case 'view.speed':
      state.speed = input.speed;
      return;
    case 'view.pause':
      state.paused = input.paused;
      return;
    case 'sample.finished':
      state.sampling = { done: input.done, samples: input.samples };
      return;
    case 'run.pace':
      // What the run applied, which settles what the keys asked for.
      state.speed = input.speed;
      state.paused = input.paused;
      return;
    case 'view.note':
      state.noteDraft = input.draft;
      return;
    case 'view.closed':
      state.closed = true;
      state.noteDraft = null;
      return;
    case 'run.started':
      return runStarted(state, input);
    case 'run.finished':
      state.finished = { results: input.results, dir: input.dir };
      state.running = [];
      print(state, { kind: 'summary', key: 'summary', results: input.results, dir: input.dir });
      return;
    case 'step.started': {
      const scenario = scenarioFor(state, input);
      const step = stepAt(scenario, input.step, input.text);
      step.state = 'running';
      step.startT = input.startT;
      if (input.startT > scenario.now) scenario.now = input.startT;
      scenario.currentStep = input.step;
      return;
    }
    case 'step.finished': {
      const scenario = scenarioFor(state, input);
      const step = stepAt(scenario, input.step, input.text);
      step.state = input.status;
      step.wallSeconds = input.wallSeconds;
      if (input.startT !== undefined) step.startT = input.startT;
      if (input.endT !== undefined) {
        step.endT = input.endT;
        if (input.endT > scenario.now) scenario.now = input.endT;
      }
      if (input.error !== undefined) {
        step.error = input.error;
        addLine(scenario, { t: scenario.now, mark: '✘', tone: 'bad', text: `${stepText(step)}: ${input.error}` });
      }
      return;
    }
    case 'scenario.finished':
      return scenarioFinished(state, input);
    default:
      if (isNote(input)) return noteAdded(state, input);
      // A kind this view does not know yet, outside any scenario: nothing to show it in.
      if (typeof input.scenarioId !== 'string') return;
      return timelineEvent(state, input);
  }
}

/** A person's note: told apart by its `note` (it has no scenario scope), not by its kind, which has changed once already (`info` → `note`). */
function isNote(event: NoteAdded | ScenarioEvent): event is NoteAdded {
  return 'note' in event;
}

function runStarted(state: ViewState, event: RunStarted): void {
  const { plan, warnings, kind: _kind, ...run } = event;
  state.run = run;
  state.speed = event.speed;
  state.order = plan.map((planned) => planned.id);
  state.scenarios = new Map(plan.map((planned) => [planned.id, plannedView(planned)]));
  print(state, { kind: 'run', key: `run:${event.runId}`, run, warnings: warnings.map((w) => `${w.uri}:${w.line} ${w.message}`) });
}

function plannedView(planned: PlannedScenario): ScenarioView {
  return scenarioView(planned.id, planned.name, planned.uri, planned.line, planned.steps, { ...planned.objectives });
}

function scenarioView(id: string, name: string, uri: string, line: number, steps: { keyword: string; text: string }[], targets: ScenarioView['targets']): ScenarioView {
  return {
    id,
    name,
    uri,
    line,
    state: 'queued',
    now: 0,
    steps: steps.map((step) => ({ keyword: step.keyword, text: step.text, state: 'queued' })),
    targets,
    experiments: [],
    actions: [],
    canaries: [],
    probes: [],
    recent: [],
    log: [],
    logDropped: 0,
  };
}

/** The scenario an event belongs to; a new attempt (a retry) starts from the plan again. */
function scenarioFor(state: ViewState, scope: ScenarioScope): ScenarioView {
  let scenario = state.scenarios.get(scope.scenarioId);
  if (!scenario) {
    // Not in the plan (no run.started seen): show it from what the event says.
    scenario = scenarioView(scope.scenarioId, scope.scenario, '', 0, [], {});
    state.scenarios.set(scope.scenarioId, scenario);
    state.order.push(scope.scenarioId);
  }
  if (scenario.attempt !== scope.testCaseStartedId) {
    if (scenario.attempt !== undefined) {
      scenario = scenarioView(scenario.id, scenario.name, scenario.uri, scenario.line, scenario.steps, scenario.targets);
      state.scenarios.set(scenario.id, scenario);
    }
    scenario.attempt = scope.testCaseStartedId;
    scenario.state = 'running';
    state.started.add(scenario.id);
    if (!state.running.includes(scenario.id)) state.running.push(scenario.id);
  }
  return scenario;
}

function stepAt(scenario: ScenarioView, index: number, text: string): StepView {
  let step = scenario.steps[index];
  if (!step) {
    for (let i = scenario.steps.length; i <= index; i++) scenario.steps.push({ keyword: '', text: i === index ? text : '', state: 'queued' });
    step = scenario.steps[index]!;
  }
  return step;
}

function scenarioFinished(state: ViewState, event: ScenarioFinished): void {
  const scenario = scenarioFor(state, event);
  const { result } = event;
  scenario.state = event.status;
  if (event.error !== undefined) scenario.error = event.error;
  if (result.rto) scenario.rto = figure(result.rto);
  if (result.rpo) scenario.rpo = figure(result.rpo);
  if (result.simulatedSeconds !== undefined) {
    scenario.simulatedSeconds = result.simulatedSeconds;
    if (result.simulatedSeconds > scenario.now) scenario.now = result.simulatedSeconds;
  }
  if (result.incident && !scenario.incident) scenario.incident = { t: result.incident.t, what: result.incident.what, kind: result.incident.kind };
  state.running = state.running.filter((id) => id !== scenario.id);
  print(state, {
    kind: 'scenario',
    key: `scenario:${event.testCaseStartedId}`,
    name: scenario.name,
    uri: scenario.uri,
    line: scenario.line,
    state: scenario.state,
    ...(scenario.error !== undefined ? { error: scenario.error } : {}),
    ...(scenario.rto ? { rto: scenario.rto } : {}),
    ...(scenario.rpo ? { rpo: scenario.rpo } : {}),
    lines: scenario.log,
    dropped: scenario.logDropped,
  });
}

function figure(result: ObjectiveFigure): ObjectiveFigure {
  return {
    targetSeconds: result.targetSeconds,
    measuredSeconds: result.measuredSeconds,
    resolutionSeconds: result.resolutionSeconds,
    met: result.met,
    ...(result.lostWrites !== undefined ? { lostWrites: result.lostWrites } : {}),
    ...(result.observedSeconds !== undefined ? { observedSeconds: result.observedSeconds } : {}),
  };
}

function noteAdded(state: ViewState, event: NoteAdded): void {
  const { note } = event;
  state.notes++;
  const scenario = note.scenarioId !== undefined ? state.scenarios.get(note.scenarioId) : undefined;
  const line: LogLine = { mark: '✎', tone: 'accent', text: `note${note.by ? ` (${note.by})` : ''}: ${note.text}` };
  if (note.t !== undefined) line.t = note.t;
  if (scenario && scenario.state === 'running') addLine(scenario, line);
  else print(state, { kind: 'note', key: `note:${state.notes}:${note.at}`, text: note.text, ...(note.by !== undefined ? { by: note.by } : {}) });
}

function timelineEvent(state: ViewState, event: ScenarioEvent): void {
  const scenario = scenarioFor(state, event);
  if (event.t > scenario.now) scenario.now = event.t;
  switch (event.kind) {
    case 'probe.sample': {
      // The hottest path: thousands per scenario at high speed. No line, no allocation but the sample.
      const probe = probeFor(scenario, event.detail.probe);
      probe.samples.push(event.detail.ok);
      // Trim in batches: one splice per PROBE_SAMPLES_KEPT samples, not one shift per sample.
      if (probe.samples.length >= PROBE_SAMPLES_KEPT * 2) probe.samples.splice(0, probe.samples.length - PROBE_SAMPLES_KEPT);
      if (event.detail.ok) probe.up++;
      else probe.down++;
      return;
    }
    case 'canary.write': {
      const canary = canaryFor(scenario, event.detail.canary);
      if (event.detail.ok) canary.acknowledged++;
      else canary.failed++;
      return;
    }
    case 'objectives.set':
      // The plan's targets stand: they include a later step's own ("healthy again within 15 minutes"),
      // which is what the objective is judged against. The event fills in what the plan could not say.
      scenario.targets = { rtoSeconds: scenario.targets.rtoSeconds ?? event.detail.rtoSeconds, rpoSeconds: scenario.targets.rpoSeconds ?? event.detail.rpoSeconds };
      return;
    case 'probe.started': {
      const probe = probeFor(scenario, event.detail.probe);
      probe.target = event.detail.target;
      probe.resolutionSeconds = event.detail.resolutionSeconds;
      break;
    }
    case 'fault.injected': {
      const d = event.detail;
      if (d.experimentId) {
        const experiment = experimentFor(scenario, d.experimentId, d.fault);
        experiment.action = d.action;
        experiment.region = d.region;
      }
      break;
    }
    case 'experiment.state': {
      const d = event.detail;
      const experiment = experimentFor(scenario, d.experimentId, d.fault);
      experiment.templateId = d.templateId;
      // FIS is polled: the same state is reported again at every look. One line per change is enough.
      if (experiment.state === d.state) return;
      experiment.state = d.state;
      if (d.reason !== undefined) experiment.reason = d.reason;
      break;
    }
    case 'incident':
      scenario.incident = { t: event.detail.t, what: event.detail.what, kind: event.detail.kind };
      break;
    case 'action.started': {
      const d = event.detail;
      scenario.actions.push({ action: d.action, target: d.target, ...(d.region !== undefined ? { region: d.region } : {}), startT: event.t });
      break;
    }
    case 'action.completed': {
      const d = event.detail;
      const running = scenario.actions.find((a) => a.seconds === undefined && a.action === d.action && a.target === d.target);
      const action = running ?? { action: d.action, target: d.target, startT: event.t - d.seconds };
      if (!running) scenario.actions.push(action);
      action.seconds = d.seconds;
      if (d.outcome !== undefined) action.outcome = d.outcome;
      break;
    }
    case 'canary.readback': {
      const canary = canaryFor(scenario, event.detail.canary);
      canary.lost = event.detail.lost;
      break;
    }
    case 'recovered':
      scenario.recoveredAfter ??= event.detail.seconds;
      break;
    case 'objective.checked': {
      // As results.json picks them: the scenario's own objective, else the first limit a step stated. The result settles it at the end.
      const d = event.detail;
      const own = 'scenarioObjective' in d && d.scenarioObjective === true;
      const shown = scenario[d.objective];
      if (!shown || (own && !shown.scenarioObjective)) scenario[d.objective] = { ...figure(d), scenarioObjective: own };
      break;
    }
    case 'cleanup.started':
      scenario.cleanup = event.detail.steps.map((step) => ({ step, outcome: 'pending' }));
      break;
    case 'cleanup.step': {
      const d = event.detail;
      scenario.cleanup ??= [];
      const step = scenario.cleanup.find((s) => s.outcome === 'pending' && s.step === d.step);
      const settled: CleanupStepView = { step: d.step, outcome: d.outcome, ...(d.error !== undefined ? { error: d.error } : {}) };
      if (step) Object.assign(step, settled);
      else scenario.cleanup.push(settled);
      break;
    }
    default:
      break;
  }
  const line = describeEvent(event);
  if (line) addLine(scenario, line);
}

function addLine(scenario: ScenarioView, line: LogLine): void {
  scenario.recent.push(line);
  if (scenario.recent.length > RECENT_LINES_KEPT) scenario.recent.shift();
  if (scenario.log.length < LOG_LINES_KEPT) scenario.log.push(line);
  else scenario.logDropped++;
}

function probeFor(scenario: ScenarioView, name: string): ProbeView {
  let probe = scenario.probes.find((p) => p.name === name);
  if (!probe) {
    probe = { name, target: name.replace(/^probe:/, ''), resolutionSeconds: 0, samples: [], up: 0, down: 0 };
    scenario.probes.push(probe);
  }
  return probe;
}

function canaryFor(scenario: ScenarioView, name: string): CanaryView {
  let canary = scenario.canaries.find((c) => c.name === name);
  if (!canary) {
    canary = { name, acknowledged: 0, failed: 0 };
    scenario.canaries.push(canary);
  }
  return canary;
}

function experimentFor(scenario: ScenarioView, id: string, fault: string): ExperimentView {
  let experiment = scenario.experiments.find((e) => e.id === id);
  if (!experiment) {
    experiment = { id, templateId: '', fault, state: '' };
    scenario.experiments.push(experiment);
  }
  return experiment;
}

function print(state: ViewState, block: PrintedBlock): void {
  state.printed = [...state.printed, block];
}

// Questions the panels ask of the state.

/** `Given the "securecart" environment`: the run's plan gives keywords trimmed, cucumber's own carry their space. */
export function stepText(step: { keyword: string; text: string }): string {
  const keyword = step.keyword.trim();
  return keyword ? `${keyword} ${step.text}` : step.text;
}

/** The scenario shown in detail: the newest of those running. */
export function focusedScenario(state: ViewState): ScenarioView | undefined {
  const id = state.running[state.running.length - 1];
  return id === undefined ? undefined : state.scenarios.get(id);
}

/** Virtual seconds the run has covered: each started scenario's own clock, summed (under --parallel they overlap). */
export function virtualSeconds(state: ViewState): number {
  let total = 0;
  for (const id of state.started) total += state.scenarios.get(id)?.now ?? 0;
  return total;
}

export function wallSeconds(state: ViewState): number {
  return state.run ? Math.max(0, (state.wallNowMs - state.run.wallMs) / 1000) : 0;
}

/** How the RTO budget stands: elapsed since the incident against the target, frozen once the service recovered. */
export interface RtoBudget {
  targetSeconds: number;
  /** undefined: the incident has not happened yet. */
  elapsedSeconds?: number;
  /** The service came back (a probe saw it, or the objective was measured). */
  recovered: boolean;
  /** Settled: the objective step has judged it. */
  verdict?: ObjectiveFigure;
}

export function rtoBudget(scenario: ScenarioView): RtoBudget | undefined {
  const targetSeconds = scenario.rto?.targetSeconds ?? scenario.targets.rtoSeconds;
  if (targetSeconds === undefined) return undefined;
  const verdict = scenario.rto;
  if (verdict) {
    const elapsed = verdict.measuredSeconds ?? (scenario.incident ? scenario.now - scenario.incident.t : undefined);
    return { targetSeconds, ...(elapsed !== undefined ? { elapsedSeconds: elapsed } : {}), recovered: verdict.measuredSeconds !== null, verdict };
  }
  if (scenario.recoveredAfter !== undefined) return { targetSeconds, elapsedSeconds: scenario.recoveredAfter, recovered: true };
  if (!scenario.incident) return { targetSeconds, recovered: false };
  return { targetSeconds, elapsedSeconds: Math.max(0, scenario.now - scenario.incident.t), recovered: false };
}

export function isExperimentEnded(experiment: ExperimentView): boolean {
  return TERMINAL_EXPERIMENT_STATES.has(experiment.state);
}

/** What an abandoned cleanup leaves behind: undos not done, experiments of running scenarios not ended, per scenario. */
export interface LeftBehind {
  scenario: string;
  undos: CleanupStepView[];
  experiments: ExperimentView[];
}

export function leftBehind(state: ViewState): LeftBehind[] {
  const left: LeftBehind[] = [];
  for (const id of state.order) {
    const scenario = state.scenarios.get(id)!;
    const undos = (scenario.cleanup ?? []).filter((step) => step.outcome === 'pending' || step.outcome === 'failed');
    // A finished scenario's cleanup stopped its experiments even when the last look at FIS came before that.
    const experiments = scenario.state === 'running' ? scenario.experiments.filter((e) => !isExperimentEnded(e)) : [];
    if (undos.length || experiments.length) left.push({ scenario: scenario.name, undos, experiments });
  }
  return left;
}

/** Scenarios whose cleanup the abort view follows: those running, and any whose undos are still being worked through. */
export function scenariosCleaningUp(state: ViewState): ScenarioView[] {
  return state.order
    .map((id) => state.scenarios.get(id)!)
    .filter((s) => s.state === 'running' || (s.cleanup ?? []).some((step) => step.outcome === 'pending'));
}
