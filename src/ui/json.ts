import type { Writable } from 'node:stream';
import type { RunEvent } from '../run/types.js';

/** Every event as one JSON line (`--ui json`), for machines. */
export function jsonRenderer(out: Writable): (event: RunEvent) => void {
  return (event) => {
    const line = event.kind === 'run.finished' ? { kind: event.kind, dir: event.dir, exitCode: event.exitCode, summary: event.results.summary, wallMs: event.wallMs } : event;
    out.write(`${JSON.stringify(line)}\n`);
  };
}
