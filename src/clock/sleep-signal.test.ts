import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { RealClock } from './real-clock.js';
import { VirtualClock } from './virtual-clock.js';

const T0 = Date.UTC(2026, 0, 5);

/** A background loop as the harness writes them: sample, sleep on the signal, stop once it aborted. */
function sampler(clock: VirtualClock, signal: AbortSignal | undefined, seen: number[]): Promise<void> {
  return clock.spawn('probe', async () => {
    while (!signal?.aborted) {
      seen.push((clock.now() - T0) / 1000);
      await clock.sleep(5000, 'until the next sample', signal);
    }
  });
}

describe('an interrupted sleep (Ctrl-C)', () => {
  it('wakes at once on the virtual clock, at the instant it is, and its timer goes', async () => {
    const clock = new VirtualClock({ start: T0, speed: 1 });
    const interrupt = new AbortController();
    const started = performance.now();
    await clock.run('step', async () => {
      // At 1×, this sleep would take ten real minutes.
      const sleeping = clock.sleep(600_000, 'waiting for the promotion', interrupt.signal);
      setTimeout(() => interrupt.abort(), 20);
      await sleeping;
    });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(clock.now()).toBe(T0);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('wakes background actors too, which end on the signal', async () => {
    const clock = new VirtualClock({ start: T0 });
    const interrupt = new AbortController();
    const seen: number[] = [];
    const probe = sampler(clock, interrupt.signal, seen);
    await clock.run('step', () => clock.sleep(12_000));
    interrupt.abort();
    await probe;
    expect(seen).toEqual([0, 5, 10]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('resolves at once when the signal aborted before the sleep began', async () => {
    const clock = new VirtualClock({ start: T0 });
    const interrupt = new AbortController();
    interrupt.abort();
    await clock.run('step', () => clock.sleep(60_000, 'a minute', interrupt.signal));
    expect(clock.now()).toBe(T0);
  });

  it('changes nothing on a signal that never aborts: the same timeline as without one', async () => {
    const timeline = async (signal: AbortSignal | undefined) => {
      const clock = new VirtualClock({ start: T0 });
      const seen: number[] = [];
      const fired: number[] = [];
      clock.schedule(T0 + 7_000, () => fired.push(clock.now() - T0));
      void sampler(clock, signal, seen);
      await clock.run('step', () => clock.sleep(23_000, 'step', signal));
      return { seen, fired, now: clock.now(), pending: clock.pendingTimers() };
    };
    expect(await timeline(new AbortController().signal)).toEqual(await timeline(undefined));
  });

  it('wakes at once on the real clock, and a sleep without a signal still takes its time', async () => {
    const clock = new RealClock();
    const interrupt = new AbortController();
    const started = performance.now();
    setTimeout(() => interrupt.abort(), 20);
    await clock.sleep(600_000, 'a long poll', interrupt.signal);
    expect(performance.now() - started).toBeLessThan(1000);
    const short = performance.now();
    await clock.sleep(30, 'short', new AbortController().signal);
    expect(performance.now() - short).toBeGreaterThanOrEqual(25);
  });

  it('wakes a hundred sleepers on one signal without Node warning of a listener leak', async () => {
    const clock = new VirtualClock({ start: T0, speed: 1 });
    const interrupt = new AbortController();
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const sleepers = Array.from({ length: 100 }, (_, i) => clock.spawn(`probe ${i}`, () => clock.sleep(60_000, 'a minute', interrupt.signal)));
      await clock.run('step', async () => {
        setTimeout(() => interrupt.abort(), 10);
        await clock.wait(Promise.all(sleepers), 'the probes');
      });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
    expect(clock.now()).toBe(T0);
  });
});

describe('pace changes on a running virtual clock (the live view keys)', () => {
  it('pause holds virtual time still while the run waits; resume goes on where it was', async () => {
    const clock = new VirtualClock({ start: T0 });
    const seen: number[] = [];
    void sampler(clock, undefined, seen);
    clock.setPaused(true);
    const run = clock.run('step', () => clock.sleep(20_000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(clock.now()).toBe(T0);
    expect(seen).toEqual([0]);
    clock.setPaused(false);
    await run;
    expect(clock.now()).toBe(T0 + 20_000);
    expect(seen).toEqual([0, 5, 10, 15]);
  });

  it('a faster speed takes effect at once, not when the wait armed at the old pace ends', async () => {
    const clock = new VirtualClock({ start: T0, speed: 1 });
    const started = performance.now();
    const run = clock.run('step', () => clock.sleep(60_000));
    await new Promise((resolve) => setTimeout(resolve, 30));
    clock.setSpeed('max');
    await run;
    expect(performance.now() - started).toBeLessThan(5000);
    expect(clock.now()).toBe(T0 + 60_000);
  });
});
