import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../clock/virtual-clock.js';
import { pollDelay, waitUntil } from './wait.js';
import { InterruptedError, type ScenarioContext } from './scenario.js';

const START = Date.UTC(2026, 0, 1);

/** What waitUntil uses of a scenario: its clock and its interrupt check. */
function context(clock: VirtualClock): ScenarioContext {
  return { clock, checkInterrupted: () => {} } as unknown as ScenarioContext;
}

describe('pollDelay', () => {
  it('looks every 10 s at first, then every tenth of the time waited, at most every 30 s', () => {
    expect(pollDelay(0)).toBe(10_000);
    expect(pollDelay(100_000)).toBe(10_000);
    expect(pollDelay(200_000)).toBe(20_000);
    expect(pollDelay(300_000)).toBe(30_000);
    expect(pollDelay(4 * 3600_000)).toBe(30_000);
  });
});

describe('waitUntil', () => {
  /** Wait for something that becomes true `readyAfterMs` in; how many looks it took and how late it was seen. */
  async function waitFor(readyAfterMs: number, limitMs?: number): Promise<{ looks: number; lateMs: number }> {
    const clock = new VirtualClock({ start: START });
    let looks = 0;
    const seenAt = await clock.run('test', () =>
      waitUntil(context(clock), 'the thing', async () => {
        looks++;
        return clock.now() - START >= readyAfterMs ? clock.now() : undefined;
      }, limitMs),
    );
    return { looks, lateMs: seenAt - START - readyAfterMs };
  }

  it('sees a quick operation within 10 s', async () => {
    const { looks, lateMs } = await waitFor(45_000);
    expect(looks).toBe(6);
    expect(lateMs).toBe(5_000);
  });

  it('looks at an hour-long operation 133 times, not 360, and sees it within 30 s', async () => {
    const { looks, lateMs } = await waitFor(3600_000 + 1);
    expect(looks).toBe(133);
    expect(lateMs).toBeGreaterThan(0);
    expect(lateMs).toBeLessThanOrEqual(30_000);
  });

  it('looks once more at the limit, then gives up naming what it waited for', async () => {
    const clock = new VirtualClock({ start: START });
    let lastLook = 0;
    const waiting = clock.run('test', () =>
      waitUntil(context(clock), 'the thing', async () => {
        lastLook = clock.now() - START;
        return undefined;
      }, 95_000),
    );
    await expect(waiting).rejects.toThrow('gave up waiting for the thing after 1 min 35 s');
    expect(lastLook).toBe(95_000);
  });

  it('wakes within a second of wall time when interrupted, though its clock paces at 1× (Ctrl-C)', async () => {
    const clock = new VirtualClock({ start: START, speed: 1 });
    const interrupt = new AbortController();
    const ctx = {
      clock,
      signal: interrupt.signal,
      checkInterrupted: () => {
        if (interrupt.signal.aborted) throw new InterruptedError();
      },
    } as unknown as ScenarioContext;
    const started = performance.now();
    const waiting = clock.run('test', () => waitUntil(ctx, 'the promotion', async () => undefined));
    setTimeout(() => interrupt.abort(), 50);
    await expect(waiting).rejects.toBeInstanceOf(InterruptedError);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(clock.now()).toBe(START);
  });
});
