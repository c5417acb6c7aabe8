import { clock, duration, instant, measured, STATUS_GLYPH, STATUS_WORD } from './format.js';
import { eventText } from './event-text.js';
import { EvidenceList } from './EvidenceList.js';
import { ExperimentTable } from './ExperimentTable.js';
import { JournalTable } from './JournalTable.js';
import { LostWrites } from './LostWrites.js';
import { ObjectiveBars } from './ObjectiveBars.js';
import { SampleDistributions } from './SampleHistogram.js';
import { NotesList } from './RunNotes.js';
import { STRATEGY_LABELS } from './report-data.js';
import { StepList } from './StepList.js';
import { TimelineChart, TimelineLegend } from './TimelineChart.js';
import { timelineLayout } from './timeline-layout.js';
import { TrendCharts } from './TrendChart.js';
import type { RunFacts, ScenarioReport } from './types.js';

const FAILED = new Set(['failed', 'undefined', 'ambiguous', 'pending']);

/** One scenario, folded: its verdict and figures in the summary; the evidence inside. */
export function ScenarioSection({ scenario, run }: { scenario: ScenarioReport; run: RunFacts }) {
  const notRun = !scenario.started;
  return (
    <details className={`scenario status-${scenario.status}`} id={scenario.anchor} data-scenario-id={scenario.id} data-failed={String(FAILED.has(scenario.status))}>
      <summary>
        <span className="glyph" aria-hidden="true">
          {STATUS_GLYPH[scenario.status]}
        </span>
        <span className="title">
          <span className="fold" aria-hidden="true">
            ▸
          </span>
          {scenario.name}{' '}
          <span className="muted small">
            — {STATUS_WORD[scenario.status]}
            {scenario.started ? '' : ', never started'}
            {scenario.strategy ? ` · ${STRATEGY_LABELS[scenario.strategy]}` : ''}
            {scenario.incident?.kind === 'planned' ? ' · drill' : ''}
          </span>
        </span>
        <span className="figures">
          {scenario.rto ? (
            <span className={scenario.rto.met ? 'ok' : 'bad'}>
              RTO {measured(scenario.rto).replace(/ ±.*/, '')} {scenario.rto.met ? '✔' : '✘'}
            </span>
          ) : null}
          {scenario.rpo ? (
            <span className={scenario.rpo.met ? 'ok' : 'bad'}>
              RPO {measured(scenario.rpo).replace(/ ±.*/, '')} {scenario.rpo.met ? '✔' : '✘'}
            </span>
          ) : null}
        </span>
      </summary>
      <div className="scenario-body">
        <p className="meta">
          <code>
            {scenario.uri}:{scenario.line}
          </code>{' '}
          · environment {scenario.environment}
          {scenario.seed !== undefined ? ` · seed ${scenario.seed}` : ''}
          {scenario.simulatedSeconds !== undefined ? ` · ${duration(scenario.simulatedSeconds)} on the target’s clock` : ''} · {duration(scenario.wallSeconds)} wall
          {scenario.tags.length > 0 ? ` · ${scenario.tags.join(' ')}` : ''}
        </p>
        {notRun ? <NotRun scenario={scenario} interrupted={run.interrupted} /> : <ScenarioDetail scenario={scenario} environment={run.environment} />}
      </div>
    </details>
  );
}

/** A scenario that never started: what it would have done, and why it did not. */
function NotRun({ scenario, interrupted }: { scenario: ScenarioReport; interrupted: boolean }) {
  return (
    <>
      <p className="warn">
        ○ Never started{interrupted ? ': the run was interrupted before this scenario began.' : '.'} Nothing it would show (objectives, timeline, evidence) was measured.
      </p>
      <h3>Steps</h3>
      <StepList scenario={scenario} />
    </>
  );
}

/** A scenario that ran: its incident, failure, objectives, timeline, notes, steps, writes, experiments, trend and evidence. */
function ScenarioDetail({ scenario, environment }: { scenario: ScenarioReport; environment: string }) {
  const layout = timelineLayout(scenario);
  return (
    <>
      {scenario.incident ? (
        <p>
          <strong>{scenario.incident.kind === 'planned' ? 'Planned incident (drill)' : 'Incident'}</strong> at {clock(scenario.incident.t)} ({instant(scenario.incident.at)}): {scenario.incident.what}
        </p>
      ) : null}
      {scenario.error || scenario.breaches.length > 0 ? (
        <div className="error-box" role="note">
          <strong>✘ Why it failed</strong>
          <pre>{scenario.error ?? scenario.breaches.join('\n')}</pre>
        </div>
      ) : null}

      <h3>Recovery objectives</h3>
      <ObjectiveBars objectives={scenario.objectives} targets={scenario.targets} />

      {scenario.samples ? (
        <>
          <h3>Over {scenario.samples.count} samples</h3>
          <p className="muted small">The figures above are the plain run’s (sample 0); the verdict is the samples’: an objective is met where the share of samples that met it reaches the confidence.</p>
          <SampleDistributions samples={scenario.samples} />
        </>
      ) : null}

      <h3>Timeline</h3>
      {layout.endT > 0 ? (
        <div className="timeline">
          <TimelineChart layout={layout} />
          <TimelineLegend layout={layout} />
          {layout.offChart.map((mark) => (
            <p className="small muted" key={mark.kind}>
              {mark.title}: past the end of the chart (the scenario ended at {clock(layout.scenarioEndT)}).
            </p>
          ))}
        </div>
      ) : (
        <p className="muted">Nothing happened over time in this scenario: every step took no time on the target’s clock.</p>
      )}
      {scenario.notes.length > 0 ? (
        <>
          <h3>Notes from the room</h3>
          <NotesList notes={scenario.notes} numbered />
        </>
      ) : null}

      <h3>Steps</h3>
      <StepList scenario={scenario} />

      {scenario.canaries.length > 0 ? (
        <>
          <h3>Writes and lost writes</h3>
          <LostWrites canaries={scenario.canaries} rpoMet={scenario.rpo ? scenario.rpo.met : null} />
        </>
      ) : null}

      {scenario.experiments.length > 0 ? (
        <>
          <h3>FIS experiments</h3>
          <ExperimentTable experiments={scenario.experiments} />
        </>
      ) : null}

      <h3>Trend</h3>
      {scenario.trend ? <TrendCharts trend={scenario.trend} environment={environment} /> : <p className="muted">This scenario has no RTO or RPO to follow across runs.</p>}

      <h3>Evidence</h3>
      <EvidenceList events={scenario.events} />
      <h4 className="small">Journal of mutating calls</h4>
      <JournalTable calls={scenario.journal} />

      <details className="raw">
        <summary>All {scenario.events.length} recorded events (probe samples and canary writes are summarised in the timeline)</summary>
        <table className="events small">
          <tbody>
            {scenario.events.map((event, index) => (
              <tr key={index}>
                <td className="num">{clock(event.t)}</td>
                <td className="num muted">{event.step !== undefined ? `step ${event.step + 1}` : 'hook'}</td>
                <td>{eventText(event)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
