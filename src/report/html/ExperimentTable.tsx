import type { ExperimentResult } from '../types.js';
import { instant } from './format.js';

/** The FIS experiments the scenario started: id, template, actions and how each ended. */
export function ExperimentTable({ experiments }: { experiments: ExperimentResult[] }) {
  if (experiments.length === 0) return null;
  return (
    <table className="experiments">
      <thead>
        <tr>
          <th scope="col">Experiment</th>
          <th scope="col">Template</th>
          <th scope="col">Fault</th>
          <th scope="col">Actions</th>
          <th scope="col">Final state</th>
        </tr>
      </thead>
      <tbody>
        {experiments.map((experiment) => (
          <tr key={experiment.id}>
            <td className="mono">{experiment.id}</td>
            <td className="mono">{experiment.templateId}</td>
            <td>
              {experiment.fault}
              {experiment.region ? <span className="muted"> ({experiment.region})</span> : null}
            </td>
            <td>
              {(experiment.actions ?? []).length === 0 ? <span className="muted">not reported</span> : null}
              {(experiment.actions ?? []).map((action) => (
                <div key={action.name}>
                  {action.name} <code>{action.actionId}</code> — {action.state}
                  {action.startTime ? (
                    <div className="muted small">
                      {instant(action.startTime)}
                      {action.endTime ? ` → ${instant(action.endTime)}` : ' → (no end time)'}
                    </div>
                  ) : null}
                </div>
              ))}
            </td>
            <td>
              <strong>{experiment.state}</strong>
              {experiment.reason ? <div className="muted small">{experiment.reason}</div> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
