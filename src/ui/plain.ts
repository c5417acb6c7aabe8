import type { Writable } from 'node:stream';
import { formatSeconds } from '../harness/duration.js';
import { histogramLines, metText, type ObjectiveDistribution, type ObjectiveResult, type RunResults, type ScenarioResult } from '../report/index.js';
import type { RunEvent } from '../run/types.js';

/** "1 scenario", "2 scenarios". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * One line per meaningful event, for CI logs and pipes: virtual time since the
 * scenario started, wall time since the run started, what happened. Under
 * --parallel, scenarios interleave: each line then says which one it is
 * (`[3]`, its place in the plan). The run ends with a table of objectives.
 */
export function plainRenderer(out: Writable): (event: RunEvent) => void {
  let wallStart = 0;
  let parallel = false;
  const numbers = new Map<string, number>();
  const write = (wallMs: number, t: number | undefined, text: string, scenarioId?: string) => {
    const virtual = t === undefined ? ''.padStart(9) : `t+${formatClock(t)}`.padStart(9);
    const wall = `${((wallMs - wallStart) / 1000).toFixed(2)}s`.padStart(8);
    const prefix = parallel && scenarioId !== undefined ? `[${numbers.get(scenarioId) ?? '?'}] ` : '';
    out.write(`${virtual} ${wall}  ${prefix}${text}\n`);
  };
  return (event) => {
    switch (event.kind) {
      case 'run.started': {
        wallStart = event.wallMs;
        parallel = event.parallel > 0;
        event.plan.forEach((scenario, index) => numbers.set(scenario.id, index + 1));
        const where = event.target === 'aws' ? `aws (account ${event.account ?? '?'}, ${event.regions.join(', ')})` : 'the simulator';
        const shard = event.shard ? `, shard ${event.shard.index}/${event.shard.count} of the ${event.shard.of}` : '';
        out.write(`gameday run ${event.runId}: ${plural(event.plan.length, 'scenario')}, environment ${event.environment} on ${where}, seed ${event.seed}${shard}\n`);
        for (const warning of event.warnings) out.write(`warning: ${warning.uri}:${warning.line}: ${warning.message}\n`);
        return;
      }
      case 'scenario.started':
        return write(event.wallMs, event.t, `▶ ${event.scenario}  (${event.detail.uri}:${event.detail.line})`, event.scenarioId);
      case 'info':
        return write(event.wallMs, event.t, `  i ${event.detail.message}`, event.scenarioId);
      case 'scenario.finished': {
        const [first, ...more] = (event.error ?? '').split('\n');
        write(event.wallMs, undefined, `${event.status === 'passed' ? '✔' : '✘'} ${event.scenario}: ${event.status}${first ? `: ${first}` : ''}`, event.scenarioId);
        for (const line of more) write(event.wallMs, undefined, `    ${line.trim()}`, event.scenarioId);
        return;
      }
      case 'step.finished':
        // An objective's breach has its own line (objective.checked); other failures say which step.
        if (event.status === 'failed' && !event.breached) {
          return write(event.wallMs, event.endT, `  ✘ step failed: ${event.text}: ${event.error ?? 'failed'}`, event.scenarioId);
        }
        if (event.status === 'undefined' || event.status === 'ambiguous' || event.status === 'pending') {
          return write(event.wallMs, event.endT, `  ✘ step ${event.status}: ${event.text}`, event.scenarioId);
        }
        return;
      case 'incident':
        return write(event.wallMs, event.detail.t, `  ⚑ incident (${event.detail.kind === 'fault' ? 'fault' : 'planned, a drill'}): ${event.detail.what}`, event.scenarioId);
      case 'fault.injected':
        return write(event.wallMs, event.t, `  ⚡ fault ${event.detail.fault}: ${event.detail.action}${event.detail.experimentId ? ` (${event.detail.experimentId})` : ''}`, event.scenarioId);
      case 'experiment.state': {
        const { endedAt } = event.detail;
        const seenAfter = endedAt ? (Date.parse(event.at) - Date.parse(endedAt)) / 1000 : 0;
        const ended = seenAfter > 0 ? ` (ended ${formatSeconds(seenAfter)} before this look)` : '';
        return write(event.wallMs, event.t, `  FIS ${event.detail.experimentId} ${event.detail.state}${ended}${event.detail.reason ? `: ${event.detail.reason}` : ''}`, event.scenarioId);
      }
      case 'action.started':
        return write(event.wallMs, event.t, `  → ${event.detail.action} ${event.detail.target}${event.detail.region ? ` (${event.detail.region})` : ''}`, event.scenarioId);
      case 'action.completed':
        return write(event.wallMs, event.t, `  ✓ ${event.detail.action} ${event.detail.target} in ${formatSeconds(event.detail.seconds)}${event.detail.outcome ? `: ${event.detail.outcome}` : ''}`, event.scenarioId);
      case 'recovered':
        return write(event.wallMs, event.t, `  ♥ ${event.detail.target} healthy again ${formatSeconds(event.detail.seconds)} after the incident`, event.scenarioId);
      case 'objective.checked': {
        const d = event.detail;
        const measured = d.measuredSeconds === null ? `not recovered within ${formatSeconds(d.observedSeconds ?? 0)}` : `${formatSeconds(d.measuredSeconds)} ±${d.resolutionSeconds} s`;
        const truth = d.truthSeconds !== undefined ? `, truth ${formatSeconds(d.truthSeconds)}` : '';
        const lost = d.lostWrites !== undefined ? `, ${plural(d.lostWrites, 'write')} lost` : '';
        return write(event.wallMs, event.t, `  ${d.met ? '✔' : '✘'} ${d.objective.toUpperCase()} ${d.target}: ${measured} (target ${formatSeconds(d.targetSeconds)}${truth}${lost}) ${d.met ? 'met' : 'BREACHED'}`, event.scenarioId);
      }
      case 'check.passed':
      case 'check.failed':
        return write(event.wallMs, event.t, `  ${event.kind === 'check.passed' ? '✔' : '✘'} ${event.detail.check} ${event.detail.subject}: ${event.detail.evidence}`, event.scenarioId);
      case 'cleanup.started':
        return write(event.wallMs, event.t, `  ↺ cleanup: ${plural(event.detail.steps.length, 'undo')} to make, newest first`, event.scenarioId);
      case 'cleanup.step':
        return write(event.wallMs, event.t, `  ↺ cleanup ${event.detail.step}: ${event.detail.outcome}${event.detail.error ? ` (${event.detail.error})` : ''}`, event.scenarioId);
      case 'note':
        return write(event.wallMs, event.note.t, `✎ note${event.note.by ? ` by ${event.note.by}` : ''}: ${event.note.text}`, event.note.scenarioId);
      case 'sample.finished':
        // A line per tenth of the samples: enough to see a long study move, few enough for a CI log.
        if (event.done === 2 || event.done === event.samples || Math.floor((event.done * 10) / event.samples) > Math.floor(((event.done - 1) * 10) / event.samples)) {
          write(event.wallMs, undefined, `◆ ${event.done} of ${event.samples} samples done (the last: sample ${event.sample}, seed ${event.seed})`);
        }
        return;
      case 'run.finished':
        out.write(`\n${summaryTable(event.results)}`);
        out.write(sampleLines(event.results));
        out.write(`${summaryLine(event.results)}\n`);
        for (const change of event.results.leftChanged ?? []) {
          out.write(`left changed: ${change.description} (${change.why === 'irreversible' ? 'irreversible' : 'afterScenario: leave'})\n`);
        }
        out.write(`report: ${event.report}\n`);
        return;
      default:
        // probe.sample, canary.write and the like are too many for a line each; the JSON renderer has them.
        return;
    }
  };
}

/** "18 scenarios: 17 passed, 1 failed; objectives 30 met, 1 breached". */
export function summaryLine(results: RunResults): string {
  const { summary } = results;
  const objectives = summary.objectives.met + summary.objectives.breached;
  return (
    `${plural(summary.scenarios, 'scenario')}: ${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}` +
    (objectives ? `; ${plural(objectives, 'objective')}: ${summary.objectives.met} met, ${summary.objectives.breached} breached` : '') +
    (results.interrupted ? '; interrupted' : '')
  );
}

function objectiveCell(objective: ObjectiveResult | null, sampled?: ObjectiveDistribution | null): string {
  if (sampled) return `p95 ${sampled.p95Seconds === null ? 'not recovered' : formatSeconds(sampled.p95Seconds)} / ${formatSeconds(sampled.targetSeconds)}${sampled.met ? '' : ' ✘'}`;
  if (!objective) return '—';
  const measured = objective.measuredSeconds === null ? 'not recovered' : formatSeconds(objective.measuredSeconds);
  return `${measured} / ${formatSeconds(objective.targetSeconds)}${objective.met ? '' : ' ✘'}`;
}

function verdictOf(scenario: ScenarioResult): string {
  return scenario.status === 'passed' ? '✔ passed' : `✘ ${scenario.status}`;
}

/** The run's scenarios, one row each: RTO and RPO measured against their targets, and the verdict. */
export function summaryTable(results: RunResults, width = 120): string {
  const header = ['scenario', 'RTO measured / target', 'RPO measured / target', 'verdict'];
  const rows = results.scenarios.map((s) => [s.name, objectiveCell(s.rto, s.samples?.rto), objectiveCell(s.rpo, s.samples?.rpo), verdictOf(s)]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  // The name gives way first, so the figures stay on one line.
  const rest = widths.slice(1).reduce((sum, w) => sum + w + 2, 0);
  widths[0] = Math.max(20, Math.min(widths[0]!, width - rest));
  const cell = (text: string, column: number) => (text.length > widths[column]! ? `${text.slice(0, widths[column]! - 1)}…` : text.padEnd(widths[column]!));
  const line = (row: string[]) => `${row.map(cell).join('  ').trimEnd()}\n`;
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('');
}

function formatClock(signed: number): string {
  // An instant from AWS's clock can precede the scenario's start on the runner's (clock skew).
  if (signed < 0) return `-${formatClock(-signed)}`;
  const seconds = signed;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

function figure(seconds: number | null): string {
  return seconds === null ? 'not recovered' : formatSeconds(seconds);
}

/**
 * With --samples: per scenario, each objective's distribution (p50, p95,
 * max), how often it was met with its interval, the slowest sample's replay,
 * and what the slow samples have in common.
 */
export function sampleLines(results: RunResults): string {
  if (!results.samples) return '';
  const lines: string[] = [`\nsamples: ${plural(results.samples.count, 'seed')} per scenario, derived from seed ${results.seed}`];
  for (const scenario of results.scenarios) {
    const samples = scenario.samples;
    if (!samples) continue;
    lines.push(`${scenario.name}  (${scenario.uri}:${scenario.line})`);
    for (const which of ['rto', 'rpo'] as const) {
      const d = samples[which];
      if (!d) continue;
      lines.push(
        `  ${d.met ? '✔' : '✘'} ${which.toUpperCase()} p50 ${figure(d.p50Seconds)} · p95 ${figure(d.p95Seconds)} · max ${figure(d.maxSeconds)} (target ${formatSeconds(d.targetSeconds)}); ${metText(d)}, ${d.met ? 'reaches' : 'below'} the confidence of ${Math.round(samples.confidence * 1000) / 10}%`,
      );
      const slowest = d.slowest[0];
      // Where every sample measured the same, none is slowest.
      if (slowest && d.maxSeconds !== d.minSeconds) lines.push(`      slowest: ${figure(slowest.measuredSeconds)} in sample ${slowest.sample}: ${slowest.replay}`);
      if (d.slowCause) {
        lines.push(`      the slowest ${plural(d.slowCause.samples, 'sample')}: ${d.slowCause.what} took ${formatSeconds(d.slowCause.slowSeconds)} vs ${formatSeconds(d.slowCause.medianSeconds)} in the median sample`);
      }
      // Where every sample measured the same, the line above says all a histogram would.
      if (d.histogram && (d.maxSeconds !== d.minSeconds || d.unrecovered > 0)) lines.push(...histogramLines(d.histogram, d, '      '));
    }
    if (samples.failed > 0) lines.push(`  ✘ ${samples.failed} of ${plural(samples.count, 'sample')} failed; the first: ${samples.failedSamples[0]!.replay}`);
  }
  return `${lines.join('\n')}\n`;
}
