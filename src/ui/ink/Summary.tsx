import { Box, Text } from 'ink';
import { join } from 'node:path';
import type { ObjectiveResult, RunResults, ScenarioResult } from '../../report/types.js';
import { Span } from './Span.js';
import type { Tone } from './event-lines.js';
import { count, fit } from './format.js';
import { objectiveCell, scenarioMark } from './marks.js';

const OBJECTIVE_WIDTH = 21;
const VERDICT_WIDTH = 11;

/** One row of the summary table, as text: what the table shows, testable without a terminal. */
export interface SummaryRow {
  scenario: string;
  rto: { text: string; tone: Tone };
  rpo: { text: string; tone: Tone };
  verdict: { text: string; tone: Tone };
}

export function summaryRows(results: RunResults): SummaryRow[] {
  return results.scenarios.map((scenario: ScenarioResult) => {
    const mark = scenarioMark(scenario.status);
    return {
      scenario: scenario.name,
      rto: objective(scenario.rto),
      rpo: objective(scenario.rpo),
      verdict: { text: `${mark.glyph} ${mark.word}`, tone: mark.tone },
    };
  });
}

function objective(result: ObjectiveResult | null): { text: string; tone: Tone } {
  return result ? objectiveCell(result, true) : { text: '—', tone: 'dim' };
}

/** The end of the run: scenario, RTO and RPO measured against target, verdict; the totals; where the HTML report is. */
export function Summary({ results, dir, width }: { results: RunResults; dir: string; width: number }) {
  const nameWidth = Math.max(12, width - 2 * OBJECTIVE_WIDTH - VERDICT_WIDTH - 3);
  const { summary } = results;
  const objectives = summary.objectives.met + summary.objectives.breached;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>
        {fit('Scenario', nameWidth)} {'RTO measured/target'.padEnd(OBJECTIVE_WIDTH)} {'RPO measured/target'.padEnd(OBJECTIVE_WIDTH)} Verdict
      </Text>
      {summaryRows(results).map((row, index) => (
        <Text key={index} wrap="truncate-end">
          {fit(row.scenario, nameWidth)} <Span tone={row.rto.tone}>{row.rto.text.padEnd(OBJECTIVE_WIDTH)}</Span>{' '}
          <Span tone={row.rpo.tone}>{row.rpo.text.padEnd(OBJECTIVE_WIDTH)}</Span> <Span tone={row.verdict.tone}>{row.verdict.text}</Span>
        </Text>
      ))}
      <Text>
        {count(summary.scenarios, 'scenario')}: {summary.passed} passed, {summary.failed} failed
        {summary.skipped ? `, ${summary.skipped} skipped` : ''}
        {objectives ? ` · objectives: ${summary.objectives.met} met, ${summary.objectives.breached} breached` : ''}
        {results.notes.length ? ` · ${count(results.notes.length, 'note')}` : ''}
      </Text>
      {results.interrupted ? <Span tone="warn">interrupted: experiments were stopped and cleanup ran; exit {results.exitCode}</Span> : null}
      <Text>
        report: <Span tone="accent">{join(dir, 'index.html')}</Span>
      </Text>
    </Box>
  );
}
