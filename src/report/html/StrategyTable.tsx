import type { ObjectiveResult } from '../types.js';
import { duration, measured, STATUS_GLYPH } from './format.js';
import { MetBadge, StatusBadge } from './StatusBadge.js';
import type { ScenarioReport, StrategyGroup } from './types.js';

/**
 * Targets against measured RTO and RPO, per DR strategy exercised (AWS's
 * four, cheapest first), then the scenarios that measure no objective.
 */
export function StrategyTable({ groups, checks }: { groups: StrategyGroup[]; checks: ScenarioReport[] }) {
  if (groups.length === 0 && checks.length === 0) return null;
  return (
    <section aria-labelledby="strategies-title">
      <h2 id="strategies-title">DR strategies exercised</h2>
      {groups.length > 0 ? <Table groups={groups} /> : null}
      {checks.length > 0 ? (
        <p className="small">
          <span className="muted">Scenarios that measured no recovery objective: </span>
          {checks.map((s, index) => (
            <span key={s.id}>
              {index > 0 ? ' · ' : ''}
              <span className={`st-${s.status}`}>{STATUS_GLYPH[s.status]}</span> <a href={`#${s.anchor}`}>{s.name}</a>
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}

function Table({ groups }: { groups: StrategyGroup[] }) {
  return (
    <>
      <table className="strategies">
        <thead>
          <tr>
            <th scope="col">Strategy</th>
            <th scope="col">Scenario</th>
            <th scope="col" className="num">
              RTO target
            </th>
            <th scope="col" className="num">
              RTO measured
            </th>
            <th scope="col" className="num">
              RPO target
            </th>
            <th scope="col" className="num">
              RPO measured
            </th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        {groups.map((group) => (
          <tbody key={group.label}>
            {group.rows.map((row, index) => (
              <tr key={row.scenarioId}>
                {index === 0 ? (
                  <th scope="rowgroup" rowSpan={group.rows.length}>
                    {group.label}
                  </th>
                ) : null}
                <td>
                  <a href={`#${row.anchor}`}>{row.name}</a>
                </td>
                <Figures objective={row.rto} target={row.targets?.rtoSeconds} />
                <Figures objective={row.rpo} target={row.targets?.rpoSeconds} />
                <td>
                  <StatusBadge status={row.status} />
                </td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
      <p className="small muted">Measured figures carry their resolution (±): the probe's sampling interval for RTO, the canary's write interval for RPO.</p>
    </>
  );
}

function Figures({ objective, target }: { objective: ObjectiveResult | null; target: number | undefined }) {
  if (!objective) {
    return (
      <>
        <td className="num muted">{target !== undefined ? duration(target) : '—'}</td>
        <td className="num muted">{target !== undefined ? 'not measured' : 'no objective'}</td>
      </>
    );
  }
  return (
    <>
      <td className="num">{duration(objective.targetSeconds)}</td>
      <td className="num">
        {measured(objective)} <MetBadge met={objective.met} />
      </td>
    </>
  );
}
