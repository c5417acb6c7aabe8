import type { ReactNode } from 'react';
import { duration, instant } from './format.js';
import type { RunFacts, Verdict } from './types.js';

const VERDICT_GLYPH: Record<Verdict['outcome'], string> = {
  passed: '✔',
  failed: '✘',
  interrupted: '■',
  refused: '⊘',
  'bad-input': '✘',
  empty: '○',
};

/** The title, the overall verdict and the run's facts: what an auditor checks first. */
export function RunHeader({ run, verdict }: { run: RunFacts; verdict: Verdict }) {
  const otherEnvironments = run.environments.filter((e) => e !== run.environment);
  return (
    <header>
      <div className="masthead">
        <div>
          <div className="kicker">Disaster-recovery game day report</div>
          <h1>
            {run.environment} <span className="muted">on {run.target === 'sim' ? 'the simulator' : 'AWS'}</span>
          </h1>
          <div className="run-id">run {run.runId}</div>
        </div>
        <div>
          {run.drill ? <span className="chip drill">drill: planned incidents, no fault injected</span> : null}
          {run.interrupted ? <span className="chip drill">interrupted</span> : null}
        </div>
      </div>
      <section className={`verdict ${verdict.outcome}`} aria-label="Verdict">
        <div className="glyph" aria-hidden="true">
          {VERDICT_GLYPH[verdict.outcome]}
        </div>
        <div>
          <div className="headline" id="verdict">
            {verdict.headline}
          </div>
          <div>{verdict.detail}</div>
        </div>
      </section>
      <dl className="facts" aria-label="Run facts">
        <Fact term="Environment">
          {run.environment}
          {otherEnvironments.length > 0 ? <span className="muted"> (also {otherEnvironments.join(', ')})</span> : null}
        </Fact>
        <Fact term="Target">{run.target === 'sim' ? 'sim (simulated AWS, virtual time)' : 'aws (real account)'}</Fact>
        <Fact term="Account">{run.account ?? '—'}</Fact>
        <Fact term="Regions">{run.regions.join(', ') || '—'}</Fact>
        <Fact term="Seed">{run.seed}</Fact>
        <Fact term="Started">{instant(run.startedAt)}</Fact>
        <Fact term="Finished">{instant(run.finishedAt)}</Fact>
        <Fact term="Wall time">{duration(run.wallSeconds)}</Fact>
        <Fact term={run.target === 'sim' ? 'Simulated time' : 'Target time'}>{duration(run.simulatedSeconds)}</Fact>
        <Fact term="Exit code">{run.exitCode}</Fact>
        <Fact term="gameday">{run.gamedayVersion ?? 'unknown version'}</Fact>
        <Fact term="Specs commit">{run.specsCommit ? <code>{run.specsCommit}</code> : <span className="muted">not recorded</span>}</Fact>
      </dl>
    </header>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
