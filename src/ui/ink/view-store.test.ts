import { describe, expect, test } from 'vitest';
import { PILOT_LIGHT, runStarted, timeline } from './test-support.js';
import { FRAME_SHARE, ViewStore, type FrameTimers } from './view-store.js';

/** Timers a test fires by hand. */
function manualTimers() {
  const due: (() => void)[] = [];
  const timers: FrameTimers = {
    setTimeout: (callback) => due.push(callback),
    clearTimeout: (handle) => {
      due[(handle as number) - 1] = () => {};
    },
  };
  return { timers, fire: () => due.splice(0).forEach((callback) => callback()), pending: () => due.length };
}

describe('ViewStore', () => {
  test('a burst of thousands of events is one frame', () => {
    const { timers, fire, pending } = manualTimers();
    const store = new ViewStore(80, undefined, timers);
    let frames = 0;
    store.subscribe(() => frames++);
    store.dispatch(runStarted());
    for (let t = 0; t < 5000; t++) store.dispatch(timeline(PILOT_LIGHT, t, { kind: 'probe.sample', detail: { probe: 'probe:orders-db', ok: true } }));
    expect(frames).toBe(0);
    expect(pending()).toBe(1);
    fire();
    expect(frames).toBe(1);
    expect(store.state.scenarios.get(PILOT_LIGHT.id)!.probes[0]!.up).toBe(5000);
  });

  test('with frameMs 0 every change is a frame at once', () => {
    const store = new ViewStore(0);
    let frames = 0;
    store.subscribe(() => frames++);
    store.dispatch(runStarted());
    store.dispatch({ kind: 'view.pause', paused: true });
    expect(frames).toBe(2);
    expect(store.getFrame()).toBe(2);
  });

  test('a frame that took long holds the next one back, so drawing takes at most FRAME_SHARE of the time', () => {
    const due: { callback: () => void; ms: number }[] = [];
    let clock = 0;
    const timers: FrameTimers = {
      setTimeout: (callback, ms) => due.push({ callback, ms }),
      clearTimeout: () => {},
      now: () => clock,
    };
    const store = new ViewStore(80, undefined, timers);
    // Each frame costs 20 ms of drawing.
    store.subscribe(() => (clock += 20));
    store.dispatch(runStarted());
    expect(due.at(-1)!.ms).toBe(80);
    due.shift()!.callback();
    store.dispatch({ kind: 'view.pause', paused: true });
    expect(due.at(-1)!.ms).toBe(Math.ceil(20 * (1 / FRAME_SHARE - 1)));
    // Long after a cheap frame, the ordinary pace.
    due.shift()!.callback();
    clock += 10_000;
    store.dispatch({ kind: 'view.pause', paused: false });
    expect(due.at(-1)!.ms).toBe(80);
  });

  test('while the process is mostly idle (a run at real pace), frames come at the full rate whatever they cost', () => {
    const due: { callback: () => void; ms: number }[] = [];
    let clock = 0;
    const timers: FrameTimers = { setTimeout: (callback, ms) => due.push({ callback, ms }), clearTimeout: () => {}, now: () => clock, busy: () => 0.1 };
    const store = new ViewStore(80, undefined, timers);
    store.subscribe(() => (clock += 20));
    store.dispatch(runStarted());
    due.shift()!.callback();
    store.dispatch({ kind: 'view.pause', paused: true });
    expect(due.at(-1)!.ms).toBe(80);
  });

  test('flush announces at once and drops the pending frame', () => {
    const { timers, fire } = manualTimers();
    const store = new ViewStore(80, undefined, timers);
    let frames = 0;
    store.subscribe(() => frames++);
    store.dispatch({ kind: 'view.note', draft: 'x' });
    store.flush();
    expect(frames).toBe(1);
    fire();
    expect(frames).toBe(1);
  });
});
