import { describe, expect, test } from 'vitest';
import { PILOT_LIGHT, runStarted, timeline } from './test-support.js';
import { ViewStore, type FrameTimers } from './view-store.js';

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
