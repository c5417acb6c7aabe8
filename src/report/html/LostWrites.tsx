import { clock } from './format.js';
import type { CanaryTrack } from './types.js';

/** What the canaries wrote, what survived recovery, and which acknowledged writes were lost. */
export function LostWrites({ canaries }: { canaries: CanaryTrack[] }) {
  if (canaries.length === 0) return null;
  return (
    <table className="canaries">
      <thead>
        <tr>
          <th scope="col">Canary</th>
          <th scope="col" className="num">
            Acknowledged
          </th>
          <th scope="col" className="num">
            Refused
          </th>
          <th scope="col" className="num">
            Survived
          </th>
          <th scope="col">Lost writes</th>
        </tr>
      </thead>
      <tbody>
        {canaries.map((canary) => (
          <tr key={canary.canary}>
            <td>{canary.canary}</td>
            <td className="num">{canary.acknowledged}</td>
            <td className="num">{canary.failed}</td>
            <td className="num">{canary.survived !== undefined ? `${canary.survived} of ${canary.written ?? canary.acknowledged}` : '—'}</td>
            <td>
              {canary.survived === undefined ? (
                <span className="muted">not read back</span>
              ) : canary.lost.length === 0 ? (
                <span className="ok">✔ none lost</span>
              ) : (
                <span className="bad">
                  ✘ {canary.lost.length} lost:{' '}
                  {canary.lost.map((l) => `#${l.seq}${l.t !== null ? ` (written ${clock(l.t)})` : ''}`).join(', ')}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
