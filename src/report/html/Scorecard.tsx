import type { ResilienceScore, ScenarioReport } from './types.js';

/** Scenarios, objectives and the resilience score, with the score's formula printed beside it. */
export function Scorecard({ scenarios, score }: { scenarios: ScenarioReport[]; score: ResilienceScore }) {
  const passed = scenarios.filter((s) => s.status === 'passed').length;
  const skipped = scenarios.filter((s) => s.status === 'skipped').length;
  const failed = scenarios.length - passed - skipped;
  const neverStarted = scenarios.filter((s) => !s.started && s.status !== 'skipped').length;
  const checks = scenarios.flatMap((s) => s.objectives);
  const met = checks.filter((c) => c.met).length;
  return (
    <section aria-labelledby="scorecard-title">
      <h2 id="scorecard-title">Scorecard</h2>
      <div className="scorecard">
        <div className="card">
          <div className="label">Scenarios</div>
          <div className="figure">
            {passed}
            <small> / {scenarios.length} passed</small>
          </div>
          <div className="split">
            <span className="ok">✔ {passed} passed</span>
            <span className={failed > 0 ? 'bad' : 'muted'}>✘ {failed} failed</span>
            {skipped > 0 ? <span className="warn">○ {skipped} not run</span> : null}
          </div>
          {neverStarted > 0 ? <div className="small warn">{neverStarted} of the failed never started (interrupted)</div> : null}
        </div>
        <div className="card">
          <div className="label">Objectives (RTO / RPO)</div>
          <div className="figure">
            {met}
            <small> / {checks.length} met</small>
          </div>
          <div className="split">
            <span className="ok">✔ {met} met</span>
            <span className={checks.length - met > 0 ? 'bad' : 'muted'}>✘ {checks.length - met} BREACHED</span>
          </div>
        </div>
        <div className="card score">
          <div className="label">Resilience score</div>
          <div className="figure" id="resilience-score">
            {score.value}
            <small> / 100</small>
          </div>
          <div className="small muted">{score.worked}</div>
        </div>
      </div>
      <div className="formula" id="score-formula">
        <strong>How the score is computed.</strong> <code>{score.formula}</code>. Objectives weigh {score.weights.objectives === 0 ? 'nothing here (none was measured)' : `${score.weights.objectives}`}{' '}
        because they are the recovery targets the business agreed to; scenarios weigh {score.weights.scenarios} and also cover posture and safety checks. A scenario not run counts as not passed; rounding
        is down, so 100 means nothing failed.
      </div>
    </section>
  );
}
