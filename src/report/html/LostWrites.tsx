import { clock } from './format.js';
import { lostRanges } from './report-data.js';
import type { CanaryTrack, LostWrite } from './types.js';

/**
 * What the canaries wrote, what survived recovery, and which acknowledged
 * writes were lost, as ranges. Losing writes is not a failure in itself:
 * the RPO says how much may be lost, so the colour follows its verdict.
 */
export function LostWrites({ canaries, rpoMet }: { canaries: CanaryTrack[]; rpoMet: boolean | null }) {
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
            <td className="nowrap">{canary.canary}</td>
            <td className="num">{canary.acknowledged}</td>
            <td className="num">{canary.failed}</td>
            <td className="num">{canary.survived !== undefined ? `${canary.survived} of ${canary.written ?? canary.acknowledged}` : '—'}</td>
            <td>
              {canary.survived === undefined ? (
                <span className="muted">not read back</span>
              ) : canary.lost.length === 0 ? (
                <span className="ok">✔ none lost</span>
              ) : (
                <span className={rpoMet === false ? 'bad' : 'warn'}>
                  {rpoMet === false ? '✘' : '⚠'} {canary.lost.length} lost{rpoMet === true ? ' (within the RPO)' : ''}: {lostRanges(canary.lost).map(rangeText).join(', ')}
                </span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function rangeText(range: LostWrite[]): string {
  const first = range[0]!;
  const last = range[range.length - 1]!;
  const when = (w: LostWrite) => (w.t !== null ? clock(w.t) : '?');
  if (range.length === 1) return `#${first.seq} (written ${when(first)})`;
  return `#${first.seq}–#${last.seq} (${range.length} writes, written ${when(first)}–${when(last)})`;
}
