import type { FisActionRun } from '../../types.js';

/**
 * Helpers for FIS action definitions, whichever model implements them: ISO
 * 8601 durations, and holding a fault for an action's duration on the
 * virtual clock, rolled back when the duration ends or the experiment stops.
 */

const isoDuration =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds in an ISO 8601 duration (`PT5M`, `PT1H30M`, `PT90S`, `P1D`), or undefined when it is not one. */
export function parseIsoDuration(text: string): number | undefined {
  const match = isoDuration.exec(text);
  if (!match) return undefined;
  const [, days, hours, minutes, seconds] = match;
  // `P` and `PT` alone match the pattern but name no duration.
  if (days === undefined && hours === undefined && minutes === undefined && seconds === undefined) return undefined;
  if (text.includes('T') && hours === undefined && minutes === undefined && seconds === undefined) return undefined;
  const n = (part: string | undefined) => (part === undefined ? 0 : Number(part));
  return Math.round(((n(days) * 24 + n(hours)) * 60 + n(minutes)) * 60_000 + n(seconds) * 1000);
}

/** The action's `duration` parameter in milliseconds; throws (failing the action) when it is missing or malformed. */
export function durationParameter(run: FisActionRun, name = 'duration'): number {
  const raw = run.parameters[name];
  if (raw === undefined) throw new Error(`parameter ${name} is required`);
  const ms = parseIsoDuration(raw);
  if (ms === undefined) throw new Error(`parameter ${name} "${raw}" is not an ISO 8601 duration`);
  return ms;
}

/**
 * Resolve after `ms` of virtual time, or as soon as the experiment stops
 * (its signal aborts), whichever comes first. Never rejects: stopping early
 * is how an action with a duration ends.
 */
export function holdFor(run: FisActionRun, ms: number, label = 'fis action'): Promise<void> {
  const { clock } = run.world;
  return new Promise<void>((resolve) => {
    if (run.signal.aborted) return resolve();
    const onAbort = (): void => {
      clock.cancel(handle);
      resolve();
    };
    const handle = clock.schedule(
      clock.now() + ms,
      () => {
        run.signal.removeEventListener('abort', onAbort);
        resolve();
      },
      label,
    );
    run.signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Apply a fault, keep it for `ms` (or until the experiment stops), then roll
 * it back. The rollback runs however the hold ends, so a stopped experiment
 * leaves nothing broken behind.
 */
export async function injectFor(
  run: FisActionRun,
  ms: number,
  fault: { apply(): void; rollback(): void },
  label?: string,
): Promise<void> {
  fault.apply();
  try {
    await holdFor(run, ms, label);
  } finally {
    fault.rollback();
  }
}

/**
 * Resolve once `done()` holds, looking after every state change the world
 * emits, or as soon as the experiment stops. Never rejects. For actions
 * that complete when their targets get somewhere (instances stopped).
 */
export function until(run: FisActionRun, done: () => boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    if (run.signal.aborted || done()) return resolve();
    const finish = (): void => {
      unsubscribe();
      run.signal.removeEventListener('abort', finish);
      resolve();
    };
    const unsubscribe = run.world.onEvent(() => {
      if (done()) finish();
    });
    run.signal.addEventListener('abort', finish, { once: true });
  });
}

/** A comma-separated list parameter; empty when left out. */
export function listParameter(run: FisActionRun, name: string): string[] {
  return (run.parameters[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** An integer percentage parameter (1–100), `fallback` when left out. */
export function percentageParameter(run: FisActionRun, name = 'percentage', fallback = 100): number {
  const raw = run.parameters[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 100) throw new Error(`parameter ${name} "${raw}" must be an integer from 1 to 100`);
  return value;
}

/** A true/false parameter, `fallback` when left out. */
export function booleanParameter(run: FisActionRun, name: string, fallback = false): boolean {
  const raw = run.parameters[name];
  if (raw === undefined) return fallback;
  const lower = raw.toLowerCase();
  if (lower !== 'true' && lower !== 'false') throw new Error(`parameter ${name} "${raw}" must be true or false`);
  return lower === 'true';
}
