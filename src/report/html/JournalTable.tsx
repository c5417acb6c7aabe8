import type { AwsCall } from '../../harness/index.js';
import { instant } from './format.js';
import type { JournalCall, UndoOutcome } from './types.js';

const OUTCOME: Record<UndoOutcome, string> = {
  undone: '✔ undone',
  'undo-failed': '✘ UNDO FAILED',
  irreversible: '⚠ irreversible: left changed',
  pending: '✘ NOT UNDONE: run gameday cleanup',
  'no-undo': '⚠ no undo recorded',
};

function callText(call: AwsCall): string {
  return `${call.service}:${call.operation} (${call.region})`;
}

/** Every mutating AWS call the scenario made, as the journal recorded it before making it, and what became of its undo. */
export function JournalTable({ calls }: { calls: JournalCall[] }) {
  if (calls.length === 0) return <p className="muted">No mutating call was journalled for this scenario.</p>;
  return (
    <table className="journal">
      <thead>
        <tr>
          <th scope="col" className="num">
            #
          </th>
          <th scope="col">Journalled</th>
          <th scope="col">Change</th>
          <th scope="col">Call</th>
          <th scope="col">Undo</th>
          <th scope="col">Outcome</th>
        </tr>
      </thead>
      <tbody>
        {calls.map((call) => (
          <tr key={`${call.scenario}:${call.id}`}>
            <td className="num">{call.id}</td>
            <td className="small nowrap">{instant(call.at)}</td>
            <td>{call.description}</td>
            <td className="small">
              {call.call ? <code>{callText(call.call)}</code> : <span className="muted">—</span>}
              {call.call ? (
                <details className="raw">
                  <summary>input</summary>
                  <pre className="json">{JSON.stringify(call.call.input, null, 1)}</pre>
                </details>
              ) : null}
            </td>
            <td className="small">{call.undo ? <code>{callText(call.undo)}</code> : call.undo === null ? <span className="muted">none possible</span> : <span className="muted">—</span>}</td>
            <td className={`outcome-${call.outcome} small`}>
              {OUTCOME[call.outcome]}
              {call.undoneAt ? <div className="muted">{instant(call.undoneAt)}</div> : null}
              {call.error ? <div>{call.error}</div> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
