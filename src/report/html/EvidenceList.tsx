import type { TimelineEntry } from '../types.js';
import { clock } from './format.js';

type Check = Extract<TimelineEntry, { kind: 'check.passed' | 'check.failed' }>;
type Remark = Extract<TimelineEntry, { kind: 'info' }>;
type CleanupStep = Extract<TimelineEntry, { kind: 'cleanup.step' }>;

const CLEANUP_GLYPH = { done: '✔', failed: '✘', skipped: '○', left: '⚠' } as const;

/** The checks a scenario made with the evidence each found (audit trail, findings, posture), the harness's remarks, and cleanup. */
export function EvidenceList({ events }: { events: TimelineEntry[] }) {
  const checks = events.filter((e): e is Check => e.kind === 'check.passed' || e.kind === 'check.failed');
  const remarks = events.filter((e): e is Remark => e.kind === 'info');
  const cleanup = events.filter((e): e is CleanupStep => e.kind === 'cleanup.step');
  return (
    <>
      {checks.length > 0 ? (
        <table className="checks">
          <thead>
            <tr>
              <th scope="col" className="num">
                t
              </th>
              <th scope="col">Check</th>
              <th scope="col">Subject</th>
              <th scope="col">Evidence</th>
            </tr>
          </thead>
          <tbody>
            {checks.map((check, index) => (
              <tr key={index}>
                <td className="num">{clock(check.t)}</td>
                <td className={check.kind === 'check.passed' ? 'ok nowrap' : 'bad nowrap'}>
                  {check.kind === 'check.passed' ? '✔' : '✘ FAILED'} {check.detail.check}
                </td>
                <td>{check.detail.subject}</td>
                <td className="small">{check.detail.evidence}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No check recorded evidence in this scenario.</p>
      )}
      {remarks.length > 0 ? (
        <ul className="small muted">
          {remarks.map((remark, index) => (
            <li key={index}>
              {clock(remark.t)} {remark.detail.message}
            </li>
          ))}
        </ul>
      ) : null}
      {cleanup.length > 0 ? (
        <>
          <h4 className="small">Cleanup (newest change undone first)</h4>
          <ul className="small">
            {cleanup.map((step, index) => (
              <li key={index} className={step.detail.outcome === 'failed' ? 'bad' : undefined}>
                {CLEANUP_GLYPH[step.detail.outcome]} {step.detail.step}: {step.detail.outcome === 'failed' ? 'FAILED' : step.detail.outcome === 'left' ? 'left as it is (afterScenario: leave)' : step.detail.outcome}
                {step.detail.error ? ` (${step.detail.error})` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
