import { describe, expect, it } from 'vitest';
import { LoopLimitError, StallError, VirtualClock } from './virtual-clock.js';

const T0 = Date.UTC(2026, 0, 5);

function turns(n: number): Promise<void> {
  // Work that takes several event-loop turns, like an SDK call's middleware stack.
  return new Promise((resolve) => {
    const step = (left: number) => (left === 0 ? resolve() : setImmediate(() => step(left - 1)));
    step(n);
  });
}

describe('VirtualClock timers', () => {
  it('fires timers in (time, insertion) order and stops at the bound', async () => {
    const clock = new VirtualClock({ start: T0 });
    const fired: string[] = [];
    clock.schedule(T0 + 2000, () => fired.push('b@2s'));
    clock.schedule(T0 + 1000, () => fired.push('a@1s'));
    clock.schedule(T0 + 2000, () => fired.push('c@2s'));
    clock.schedule(T0 + 5000, () => fired.push('d@5s'));
    await clock.advance(2000);
    expect(fired).toEqual(['a@1s', 'b@2s', 'c@2s']);
    expect(clock.now()).toBe(T0 + 2000);
    await clock.advance(3000);
    expect(fired).toEqual(['a@1s', 'b@2s', 'c@2s', 'd@5s']);
  });

  it('does not fire a cancelled timer', async () => {
    const clock = new VirtualClock({ start: T0 });
    const fired: string[] = [];
    const handle = clock.schedule(T0 + 10, () => fired.push('cancelled'));
    clock.schedule(T0 + 20, () => fired.push('kept'));
    clock.cancel(handle);
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(100);
    expect(fired).toEqual(['kept']);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('runs the whole tick range, then rethrows the first exception', async () => {
    const clock = new VirtualClock({ start: T0 });
    const fired: string[] = [];
    clock.schedule(T0 + 1, () => {
      throw new Error('first');
    });
    clock.schedule(T0 + 2, () => {
      throw new Error('second');
    });
    clock.schedule(T0 + 3, () => fired.push('after'));
    await expect(clock.advance(10)).rejects.toThrow('first');
    expect(fired).toEqual(['after']);
    expect(clock.now()).toBe(T0 + 10);
  });

  it('lets an actor woken by one timer finish its work before the next timer fires', async () => {
    const clock = new VirtualClock({ start: T0 });
    const seen: number[] = [];
    const actor = clock.spawn('worker', async () => {
      await clock.sleep(1000);
      await turns(5);
      seen.push(clock.now());
      await clock.sleep(1000);
    });
    clock.schedule(T0 + 1000, () => seen.push(-1));
    await clock.advance(2000);
    await actor;
    // The sleeper was scheduled first, so it ran (and finished its work) first.
    expect(seen).toEqual([T0 + 1000, -1]);
  });
});

describe('VirtualClock actors', () => {
  it('advances only when every actor sleeps, so in-flight work finishes first', async () => {
    const clock = new VirtualClock({ start: T0 });
    const log: string[] = [];
    await clock.run('main', async () => {
      const slow = clock.spawn('slow', async () => {
        for (let i = 0; i < 3; i++) {
          const before = clock.now();
          await turns(20);
          // Time did not move while this actor was busy.
          expect(clock.now()).toBe(before);
          log.push(`slow ${(clock.now() - T0) / 1000}`);
          await clock.sleep(5000);
        }
      });
      const fast = clock.spawn('fast', async () => {
        for (let i = 0; i < 4; i++) {
          log.push(`fast ${(clock.now() - T0) / 1000}`);
          await clock.sleep(3000);
        }
      });
      await clock.wait(Promise.all([slow, fast]), 'workers');
    });
    // Spawned first, slow starts first and finishes its first piece of work,
    // still at t=0, before fast starts (actors spawned by an actor start one
    // at a time, in spawn order, each until it sleeps).
    expect(log).toEqual(['slow 0', 'fast 0', 'fast 3', 'slow 5', 'fast 6', 'fast 9', 'slow 10']);
    expect(clock.now()).toBe(T0 + 15000);
  });

  it('starts actors spawned by an actor in spawn order, however many promise turns or real I/O their first steps take', async () => {
    /** A first step: some promise turns, or a real event-loop turn as I/O takes. */
    const step = (kind: 'io' | 'turns') => (kind === 'io' ? new Promise<void>((resolve) => setImmediate(resolve)) : turns(3));
    const orders: string[][] = [];
    for (const [a, b] of [
      ['io', 'turns'],
      ['turns', 'io'],
    ] as const) {
      const clock = new VirtualClock({ start: T0 });
      const log: string[] = [];
      await clock.run('main', async () => {
        const first = clock.spawn('a', async () => {
          await step(a);
          log.push('a');
        });
        const second = clock.spawn('b', async () => {
          await step(b);
          log.push('b');
        });
        log.push('main');
        await clock.wait(Promise.all([first, second]), 'a and b');
      });
      orders.push(log);
    }
    expect(orders).toEqual([
      ['main', 'a', 'b'],
      ['main', 'a', 'b'],
    ]);
  });

  it('simulates hours in far less wall time', async () => {
    const clock = new VirtualClock({ start: T0 });
    let samples = 0;
    await clock.run('probe', async () => {
      for (let i = 0; i < 720; i++) {
        samples++;
        await clock.sleep(5000);
      }
    });
    expect(samples).toBe(720);
    expect(clock.now() - T0).toBe(3_600_000);
  });

  it('fails loudly when an actor sleeps 0 ms in a loop', async () => {
    const clock = new VirtualClock({ start: T0, loopLimit: 500 });
    const spin = clock.run('spinner', async () => {
      for (;;) await clock.sleep(0, 'spinning');
    });
    await expect(spin).rejects.toBeInstanceOf(LoopLimitError);
    await expect(spin).rejects.toThrow(/More than 500 timers .*spinner: spinning/);
  });

  it('reports a deadlock: every actor waits on the clock and nothing is scheduled', async () => {
    const clock = new VirtualClock({ start: T0 });
    const never = new Promise<void>(() => {});
    const run = clock.run('main', async () => {
      await clock.wait(never, 'the experiment to complete');
    });
    await expect(run).rejects.toBeInstanceOf(StallError);
    await expect(run).rejects.toThrow(/main: waiting \(the experiment to complete\)/);
  });

  it('reports an actor that never goes back to sleep, via the real-time watchdog', async () => {
    const clock = new VirtualClock({ start: T0, stallTimeoutMs: 100 });
    const run = clock.run('main', async () => {
      // Awaiting another actor directly, instead of through clock.wait: main
      // stays "running", so the clock may not turn and healthy never starts.
      await clock.spawn('healthy', async () => clock.sleep(1000, 'between samples'));
    });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StallError);
    expect((error as StallError).actors).toEqual([
      expect.objectContaining({ name: 'main', state: 'running' }),
      expect.objectContaining({ name: 'healthy', state: 'sleeping', reason: 'starting' }),
    ]);
    expect((error as StallError).message).toMatch(/main: running/);
  });

  it('rethrows an exception from a sim timer to the run', async () => {
    const clock = new VirtualClock({ start: T0 });
    clock.schedule(T0 + 30_000, () => {
      throw new Error('model invariant broken');
    });
    const run = clock.run('main', () => clock.sleep(60_000));
    await expect(run).rejects.toThrow('model invariant broken');
  });

  it('paces virtual time at N× real time', async () => {
    const clock = new VirtualClock({ start: T0, speed: 200 });
    const started = performance.now();
    await clock.run('main', () => clock.sleep(4000));
    // 4 s virtual at 200× is at least 20 ms of real time (a lower bound only: the machine may be slower).
    expect(performance.now() - started).toBeGreaterThanOrEqual(19);
    expect(clock.now()).toBe(T0 + 4000);
  });

  it('free-runs with real time for the HTTP server, firing timers as they fall due', async () => {
    const clock = new VirtualClock({ start: T0, speed: 1000 });
    const fired: number[] = [];
    clock.schedule(T0 + 5_000, () => fired.push(clock.now()));
    clock.startFreeRunning();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(clock.now()).toBeGreaterThanOrEqual(T0 + 50_000);
    expect(fired).toEqual([T0 + 5_000]);
    await clock.advance(3_600_000);
    expect(clock.now()).toBeGreaterThanOrEqual(T0 + 3_650_000);
    clock.stopFreeRunning();
  });
});

describe('VirtualClock between runs', () => {
  it('keeps time still while no run drives it, though background actors sleep', async () => {
    const clock = new VirtualClock({ start: T0 });
    const samples: number[] = [];
    const probe = clock.spawn('probe', async () => {
      for (let i = 0; i < 100; i++) {
        samples.push((clock.now() - T0) / 1000);
        await clock.sleep(5000);
      }
    });
    await clock.run('step 1', () => clock.sleep(12_000));
    // Between steps: many event-loop turns, and the probe sleeping; time must not move.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(clock.now()).toBe(T0 + 12_000);
    expect(samples).toEqual([0, 5, 10]);
    await clock.run('step 2', () => clock.sleep(3000));
    expect(samples).toEqual([0, 5, 10, 15]);
    expect(clock.now()).toBe(T0 + 15_000);
    void probe;
  });
});
