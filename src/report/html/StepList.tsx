import type { StepResult } from '../types.js';
import type { ScenarioReport } from './types.js';
import { clock, duration, STATUS_GLYPH } from './format.js';

/**
 * When the step ran on the target's clock (`4:35` or `0:05–4:35`) and, when
 * it took a noticeable while, on the wall clock (on the sim, hours of target
 * time pass in a fraction of a wall second).
 */
function stepTime(step: StepResult): string {
  const span = step.startT === undefined || step.endT === undefined ? '' : Math.round(step.startT) === Math.round(step.endT) ? clock(step.endT) : `${clock(step.startT)}–${clock(step.endT)}`;
  const wall = step.wallSeconds >= 0.05 ? `${duration(step.wallSeconds)} wall` : '';
  return [span, wall].filter(Boolean).join(' · ');
}

/** The scenario as written, each step with its status, wall time and span on the target's clock. */
export function StepList({ scenario }: { scenario: ScenarioReport }) {
  return (
    <ol className="gherkin" aria-label="Steps">
      <li className="scenario-line">
        <span>
          {scenario.tags.join(' ')}
          {scenario.tags.length > 0 ? ' ' : ''}
          <span className="kw">Scenario:</span> {scenario.name}
        </span>
      </li>
      {scenario.steps.map((step, index) => (
        <li key={index} className={`step-${step.status}`}>
          <span className="n">{index + 1}</span>
          <span className={`st-${step.status}`} title={step.status}>
            {STATUS_GLYPH[step.status]}
          </span>
          <span>
            <span className="kw">{step.keyword.trim()}</span> {step.text}
            <span className="muted small"> ({step.status === 'skipped' ? 'not run' : step.status})</span>
          </span>
          <span className="time">{stepTime(step)}</span>
          {step.error ? <span className="step-error">{step.error}</span> : null}
        </li>
      ))}
    </ol>
  );
}
