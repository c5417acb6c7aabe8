/**
 * From a run folder's contents to the report's data (types.ts): every
 * figure the page shows is computed here, once, so the components only lay
 * it out and the embedded JSON says exactly what the page says.
 */
import type { JournalEntry } from '../../harness/index.js';
import type { DrStrategy, HistoryEntry, RunResults, ScenarioResult, TimelineEntry } from '../types.js';
import { resilienceScore } from './score.js';
import {
  REPORT_DATA_FORMAT,
  type CanaryTrack,
  type JournalCall,
  type LostWrite,
  type ProbeTrack,
  type ReportData,
  type ReportInput,
  type RunFacts,
  type ScenarioReport,
  type StrategyGroup,
  type Trend,
  type TrendPoint,
  type Verdict,
} from './types.js';

/** How many runs a trend shows, this one included. */
export const TREND_RUNS = 10;

/** The DR strategies in order of cost and speed, as AWS's DR whitepaper lists them. */
export const STRATEGY_LABELS: Record<DrStrategy, string> = {
  'backup-and-restore': 'Backup & restore',
  'pilot-light': 'Pilot light',
  'warm-standby': 'Warm standby',
  'active-active': 'Multi-site active-active',
};

export function reportData(input: ReportInput): ReportData {
  const { results } = input;
  const journal = journalCalls(input.journal);
  const scenarioIds = new Set(results.scenarios.map((s) => s.id));
  const scenarios = results.scenarios.map((scenario, index) => scenarioReport(scenario, index, input, journal));
  const claimed = new Set(scenarios.flatMap((s) => s.journal));
  return {
    format: REPORT_DATA_FORMAT,
    run: runFacts(input),
    verdict: verdictOf(results),
    score: resilienceScore(results),
    strategies: strategyGroups(scenarios),
    scenarios,
    notes: results.notes.filter((n) => n.scenarioId === undefined || !scenarioIds.has(n.scenarioId)),
    warnings: results.warnings,
    unmatchedJournal: journal.filter((call) => !claimed.has(call)),
    readProblems: input.readProblems ?? [],
  };
}

function runFacts({ results, specsCommit = results.specsCommit }: ReportInput): RunFacts {
  const incidents = results.scenarios.flatMap((s) => (s.incident ? [s.incident] : []));
  return {
    runId: results.runId,
    environment: results.environment,
    environments: [...new Set([results.environment, ...results.scenarios.map((s) => s.environment)])],
    target: results.target,
    ...(results.account !== undefined ? { account: results.account } : {}),
    regions: results.regions,
    seed: results.seed,
    startedAt: results.startedAt,
    finishedAt: results.finishedAt,
    wallSeconds: Math.max(0, (Date.parse(results.finishedAt) - Date.parse(results.startedAt)) / 1000),
    simulatedSeconds: results.scenarios.reduce((sum, s) => sum + (s.simulatedSeconds ?? 0), 0),
    ...(results.gamedayVersion !== undefined ? { gamedayVersion: results.gamedayVersion } : {}),
    ...(specsCommit !== undefined ? { specsCommit } : {}),
    interrupted: results.interrupted,
    exitCode: results.exitCode,
    drill: incidents.length > 0 && incidents.every((i) => i.kind === 'planned'),
  };
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function verdictOf(results: RunResults): Verdict {
  const scenarios = results.scenarios;
  const passed = scenarios.filter((s) => s.status === 'passed').length;
  const skipped = scenarios.filter((s) => s.status === 'skipped').length;
  const failed = scenarios.length - passed - skipped;
  const checks = scenarios.flatMap((s) => s.objectives);
  const breached = checks.filter((c) => !c.met).length;
  const notRun = skipped > 0 ? `, ${skipped} not run` : '';
  if (results.interrupted || results.exitCode === 130) {
    // Scenarios the interrupt came before are reported failed; say they never started.
    const neverStarted = scenarios.filter((s) => s.status !== 'passed' && !startedAtAll(s)).length;
    const failedHere = scenarios.filter((s) => s.status !== 'passed' && startedAtAll(s)).length;
    return {
      outcome: 'interrupted',
      headline: 'INTERRUPTED',
      detail: `Stopped before the end (exit 130), then cleaned up: ${passed} passed, ${failedHere} failed or stopped, ${neverStarted} never started, of ${plural(scenarios.length, 'scenario')}.`,
    };
  }
  if (results.exitCode === 3) return { outcome: 'refused', headline: 'REFUSED', detail: 'A safety guard refused the run (exit 3).' };
  if (results.exitCode === 2) return { outcome: 'bad-input', headline: 'BAD INPUT', detail: 'The run stopped on bad input (exit 2), before any AWS call.' };
  if (scenarios.length === 0) return { outcome: 'empty', headline: 'NOTHING RAN', detail: 'No scenario ran.' };
  if (failed > 0 || breached > 0 || results.exitCode !== 0) {
    const objectives = checks.length > 0 ? `; ${breached} of ${plural(checks.length, 'objective')} breached` : '';
    return { outcome: 'failed', headline: 'FAILED', detail: `${failed} of ${plural(scenarios.length, 'scenario')} failed${notRun}${objectives}.` };
  }
  const objectives = checks.length > 0 ? ` and ${checks.length === 1 ? 'its objective was' : `all ${checks.length} objectives were`} met` : '';
  const all = scenarios.length === 1 ? 'The scenario' : `All ${scenarios.length} scenarios`;
  return { outcome: 'passed', headline: 'PASSED', detail: `${all} passed${objectives}${notRun}.` };
}

/**
 * The strategy table's groups: every scenario of a strategy, and those with
 * no strategy tag that measure an objective (Multi-AZ failover, backups
 * tagged only @backup). Untagged scenarios without objectives (posture and
 * safety checks) have no row: they have nothing to put in its columns.
 */
function strategyGroups(scenarios: ScenarioReport[]): StrategyGroup[] {
  const order: (DrStrategy | null)[] = [...(Object.keys(STRATEGY_LABELS) as DrStrategy[]), null];
  return order.flatMap((strategy) => {
    const members = scenarios.filter((s) => (s.strategy ?? null) === strategy && (strategy !== null || s.objectives.length > 0));
    if (members.length === 0) return [];
    return [
      {
        strategy,
        label: strategy ? STRATEGY_LABELS[strategy] : 'No DR-strategy tag',
        rows: members.map((s) => ({ scenarioId: s.id, anchor: s.anchor, name: s.name, status: s.status, rto: s.rto, rpo: s.rpo, targets: s.targets })),
      },
    ];
  });
}

function scenarioReport(scenario: ScenarioResult, index: number, input: ReportInput, journal: JournalCall[]): ScenarioReport {
  const { timeline, ...rest } = scenario;
  // A journal names its scenario by id; journals written before ids existed used `uri:line`.
  const legacyKey = `${scenario.uri}:${scenario.line}`;
  const set = timeline.findLast((e) => e.kind === 'objectives.set');
  return {
    ...rest,
    started: startedAtAll(scenario),
    anchor: `scenario-${index + 1}`,
    targets: set?.kind === 'objectives.set' ? { rtoSeconds: set.detail.rtoSeconds, rpoSeconds: set.detail.rpoSeconds } : null,
    events: timeline.filter((e) => e.kind !== 'probe.sample' && e.kind !== 'canary.write'),
    probes: probeTracks(timeline),
    canaries: canaryTracks(timeline),
    journal: journal.filter((call) => call.scenario === scenario.id || call.scenario === legacyKey),
    notes: input.results.notes.filter((n) => n.scenarioId === scenario.id),
    trend: trendOf(scenario, input.results, input.history),
  };
}

/** Whether a scenario ran at all: an event, or a step that did not skip. */
export function startedAtAll(scenario: Pick<ScenarioResult, 'timeline' | 'steps'>): boolean {
  return scenario.timeline.length > 0 || scenario.steps.some((s) => s.status !== 'skipped');
}

export function probeTracks(timeline: readonly TimelineEntry[]): ProbeTrack[] {
  const tracks = new Map<string, ProbeTrack>();
  const trackOf = (probe: string) => {
    let track = tracks.get(probe);
    if (!track) tracks.set(probe, (track = { probe, runs: [], up: 0, down: 0 }));
    return track;
  };
  for (const event of timeline) {
    if (event.kind === 'probe.started') {
      const track = trackOf(event.detail.probe);
      track.target = event.detail.target;
      track.kind = event.detail.kind;
      track.resolutionSeconds = event.detail.resolutionSeconds;
    } else if (event.kind === 'probe.sample') {
      const track = trackOf(event.detail.probe);
      const { ok } = event.detail;
      const status = event.detail.status ?? '';
      if (ok) track.up++;
      else track.down++;
      const last = track.runs[track.runs.length - 1];
      if (last && last[3] === ok && last[4] === status) {
        last[1] = event.t;
        last[2]++;
      } else track.runs.push([event.t, event.t, 1, ok, status]);
    }
  }
  return [...tracks.values()];
}

export function canaryTracks(timeline: readonly TimelineEntry[]): CanaryTrack[] {
  const tracks = new Map<string, CanaryTrack & { writtenAt: Map<number, number> }>();
  const trackOf = (canary: string) => {
    let track = tracks.get(canary);
    if (!track) tracks.set(canary, (track = { canary, runs: [], acknowledged: 0, failed: 0, lost: [], writtenAt: new Map() }));
    return track;
  };
  for (const event of timeline) {
    if (event.kind === 'canary.write') {
      const track = trackOf(event.detail.canary);
      const { ok, seq } = event.detail;
      const error = event.detail.error ?? '';
      if (ok) {
        track.acknowledged++;
        track.writtenAt.set(seq, event.t);
      } else track.failed++;
      const last = track.runs[track.runs.length - 1];
      if (last && last[3] === ok && last[5] === error) {
        last[1] = event.t;
        last[2]++;
      } else track.runs.push([event.t, event.t, 1, ok, seq, error]);
    } else if (event.kind === 'canary.readback') {
      const track = trackOf(event.detail.canary);
      track.written = event.detail.written;
      track.survived = event.detail.survived;
      track.lost = event.detail.lost.map((seq) => ({ seq, t: track.writtenAt.get(seq) ?? null }));
    }
  }
  return [...tracks.values()].map(({ writtenAt: _writtenAt, ...track }) => track);
}

/** Lost writes as runs of consecutive sequence numbers (a restore to an earlier instant loses a whole stretch). */
export function lostRanges(lost: readonly LostWrite[]): LostWrite[][] {
  const ranges: LostWrite[][] = [];
  for (const write of [...lost].sort((a, b) => a.seq - b.seq)) {
    const range = ranges[ranges.length - 1];
    const last = range?.[range.length - 1];
    if (range && last && write.seq === last.seq + 1) range.push(write);
    else ranges.push([write]);
  }
  return ranges;
}

/** The journal's lines folded into one row per mutating call (its call, its undo, what became of the undo). */
export function journalCalls(entries: readonly JournalEntry[]): JournalCall[] {
  const calls = new Map<string, JournalCall>();
  for (const entry of entries) {
    // A primary's home is no call: it shows as one only once the scenario's end made it an undo.
    if (entry.kind === 'home' || entry.kind === 'settled') continue;
    const key = `${entry.scenario}\n${entry.id}`;
    let call = calls.get(key);
    if (!call) calls.set(key, (call = { id: entry.id, scenario: entry.scenario, description: entry.description, at: entry.at, outcome: 'no-undo' }));
    switch (entry.kind) {
      case 'call':
        if (entry.call) call.call = entry.call;
        call.at = entry.at;
        break;
      case 'undo':
        call.undo = entry.undo ?? null;
        break;
      case 'undone':
        call.undoneAt = entry.at;
        call.outcome = 'undone';
        delete call.error;
        break;
      case 'undo-failed':
        call.undoneAt = entry.at;
        call.outcome = 'undo-failed';
        if (entry.error !== undefined) call.error = entry.error;
        break;
    }
  }
  for (const call of calls.values()) {
    if (call.outcome !== 'no-undo') continue;
    if (call.undo === null) call.outcome = 'irreversible';
    else if (call.undo !== undefined) call.outcome = 'pending';
  }
  return [...calls.values()];
}

/**
 * The scenario's figures over the last runs before this one on the same
 * environment and target (a staging run's RTO next to the simulator's would
 * compare different things), this run last. Later runs are left out, so a
 * report re-rendered from an old run shows what was known then.
 */
export function trendOf(scenario: ScenarioResult, results: RunResults, history: readonly HistoryEntry[], runs = TREND_RUNS): Trend | null {
  const seen = new Set<string>([results.runId]);
  const earlier: TrendPoint[] = [];
  const sorted = [...history].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  for (const entry of sorted) {
    if (seen.has(entry.runId) || entry.environment !== results.environment || entry.target !== results.target) continue;
    if (entry.startedAt >= results.startedAt) continue;
    const own = entry.scenarios.find((s) => s.id === scenario.id);
    if (!own) continue;
    seen.add(entry.runId);
    earlier.push({ runId: entry.runId, startedAt: entry.startedAt, status: own.status, current: false, rto: own.rto, rpo: own.rpo });
  }
  if (!scenario.rto && !scenario.rpo && earlier.every((p) => !p.rto && !p.rpo)) return null;
  const figure = (o: ScenarioResult['rto']) => (o ? { measuredSeconds: o.measuredSeconds, targetSeconds: o.targetSeconds, met: o.met } : null);
  const current: TrendPoint = {
    runId: results.runId,
    startedAt: results.startedAt,
    status: scenario.status,
    current: true,
    rto: figure(scenario.rto),
    rpo: figure(scenario.rpo),
  };
  return { points: [...earlier.slice(-(runs - 1)), current] };
}
