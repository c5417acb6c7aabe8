/**
 * How recovery steps wait for what they started, and how they put an action
 * on the timeline: shared by every service's steps and by fault injection,
 * so none of them imports another's module for it.
 */
import { formatSeconds } from './duration.js';
import type { ActionService } from './events.js';
import type { ScenarioContext } from './scenario.js';

/** How often recovery steps look at what they started, at first. Measurement is the probes' job, not this. */
const POLL_MS = 10_000;
/** The longest a wait goes without looking. */
const POLL_MAX_MS = 30_000;
/** Give up on an AWS operation that never finishes: a game day must end. */
const OPERATION_LIMIT_MS = 4 * 3600_000;

/**
 * How long to sleep before looking again at something awaited for `waitedMs`:
 * every 10 s at first, then a tenth of the time waited so far, at most every
 * 30 s (the pace of AWS's own RDS waiters). A failover or a DNS change is
 * seen within 10 s of finishing; a restore that takes an hour is looked at
 * 133 times instead of 360, and seen within 30 s of finishing. What a wait
 * adds counts in the measured RTO, as an operator's polling would.
 */
export function pollDelay(waitedMs: number): number {
  return Math.min(POLL_MAX_MS, Math.max(POLL_MS, Math.round(waitedMs / 10)));
}

/** Poll `check` on the clock (see pollDelay) until it returns a value, or fail after the limit. */
export async function waitUntil<T>(ctx: ScenarioContext, what: string, check: () => Promise<T | undefined>, limitMs = OPERATION_LIMIT_MS): Promise<T> {
  const started = ctx.clock.now();
  const deadline = started + limitMs;
  for (;;) {
    ctx.checkInterrupted();
    const value = await check();
    if (value !== undefined) return value;
    const now = ctx.clock.now();
    if (now >= deadline) throw new Error(`gave up waiting for ${what} after ${formatSeconds(limitMs / 1000)}`);
    await ctx.clock.sleep(Math.min(pollDelay(now - started), deadline - now), `waiting for ${what}`, ctx.signal);
  }
}

/**
 * Time a recovery action on the timeline: action.started, then
 * action.completed with how long it took. `service` is the AWS service it
 * drives (a report puts DNS changes, RDS operations, restore jobs in lanes of their own).
 */
export async function action<T>(
  ctx: ScenarioContext,
  service: ActionService,
  name: string,
  target: string,
  region: string,
  run: () => Promise<T>,
  outcome?: (value: T) => string,
): Promise<T> {
  const started = ctx.clock.now();
  ctx.emit({ kind: 'action.started', detail: { action: name, service, target, region } });
  const value = await run();
  const seconds = (ctx.clock.now() - started) / 1000;
  ctx.emit({ kind: 'action.completed', detail: { action: name, service, target, region, seconds, ...(outcome ? { outcome: outcome(value) } : {}) } });
  return value;
}
