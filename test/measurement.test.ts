import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureLoss } from '../src/harness/canary.js';
import { recoveryInstant } from '../src/harness/probes.js';
import type { CanaryHandle, CanaryWrite } from '../src/harness/scenario.js';
import { simScenario, type SimScenario } from './support/scenario.js';
import { SECOND } from './support/time.js';

/**
 * The two figures objectives are built on, on samples and writes made by
 * hand: the probe's recovery instant (the first of K healthy samples in a
 * row after the incident) and the canary's data-loss window (the incident
 * minus the newest acknowledged write before it that survived).
 */

const T0 = Date.UTC(2026, 0, 5, 9);
const s = (seconds: number) => T0 + seconds * SECOND;

describe("a probe's recovery instant", () => {
  const sample = (at: number, ok: boolean, sentAt = at) => ({ at: s(at), sentAt: s(sentAt), ok, status: ok ? 'available' : 'rebooting' });

  it('the first of K healthy samples in a row; undefined until there are K', () => {
    const samples = [sample(0, true), sample(5, false), sample(10, false), sample(15, true), sample(20, true)];
    expect(recoveryInstant(samples, s(3), 3)).toBeUndefined();
    expect(recoveryInstant([...samples, sample(25, true)], s(3), 3)).toBe(s(15));
    expect(recoveryInstant(samples, s(3), 1)).toBe(s(15));
  });

  it('a failed sample starts the count again', () => {
    const samples = [sample(5, false), sample(10, true), sample(15, true), sample(20, false), sample(25, true), sample(30, true), sample(35, true)];
    expect(recoveryInstant(samples, s(1), 3)).toBe(s(25));
  });

  it('an answer to a request sent before the incident says nothing about after it, however late it came', () => {
    // Sent at 0, answered healthy at 8: after the incident at 3, but it was asked before.
    const samples = [sample(8, true, 0), sample(10, true), sample(15, true)];
    expect(recoveryInstant(samples, s(3), 3)).toBeUndefined();
    expect(recoveryInstant(samples, s(3), 2)).toBe(s(10));
    // Samples without a send instant are judged by when they were taken.
    expect(recoveryInstant([{ at: s(8), ok: true, status: 'available' }, { at: s(10), ok: true, status: 'available' }], s(3), 2)).toBe(s(8));
  });

  it('a service that never went down recovers at the first sample after the incident', () => {
    const samples = [0, 5, 10, 15, 20].map((t) => sample(t, true));
    expect(recoveryInstant(samples, s(7), 3)).toBe(s(10));
  });
});

describe("the canary's data-loss window", () => {
  let scenario: SimScenario;
  beforeAll(async () => {
    scenario = await simScenario();
  });
  afterAll(() => scenario.target.close());

  /** A canary that wrote at 0, 5, 10, … seconds (`failed`: the seqs whose write was not acknowledged) and reads back `present`. */
  function canary(count: number, present: readonly number[], failed: readonly number[] = []): CanaryHandle & { stopped: () => boolean } {
    let stopped = false;
    const writes: CanaryWrite[] = Array.from({ length: count }, (_, i) => ({ seq: i + 1, at: s(i * 5), ok: !failed.includes(i + 1) }));
    return {
      database: 'orders-db',
      intervalSeconds: 5,
      writes,
      readBack: async () => [...present],
      stop: () => (stopped = true),
      stopped: () => stopped,
      get running() {
        return !stopped;
      },
    };
  }
  const seqs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('nothing lost: a window of 0, every acknowledged write survived; the canary is stopped first', async () => {
    const written = canary(10, seqs(1, 10));
    const loss = await measureLoss(scenario.ctx, written, s(30));
    expect(loss).toEqual({ lost: [], survived: 10, windowSeconds: 0 });
    expect(written.stopped()).toBe(true);
  });

  it('the newest writes before the incident lost: from the newest survivor before it to the incident', async () => {
    // Writes at 0…45 s; the incident at 32 s; those at 25 and 30 s (seqs 6, 7) and all after are gone.
    const loss = await measureLoss(scenario.ctx, canary(10, seqs(1, 5)), s(32));
    expect(loss.lost).toEqual(seqs(6, 10));
    expect(loss.survived).toBe(5);
    expect(loss.windowSeconds).toBe(12);
  });

  it('everything before the incident lost: the window runs from the first write', async () => {
    const loss = await measureLoss(scenario.ctx, canary(6, []), s(22));
    expect(loss.lost).toEqual(seqs(1, 6));
    expect(loss.windowSeconds).toBe(22);
  });

  it('writes that were never acknowledged are not lost', async () => {
    const loss = await measureLoss(scenario.ctx, canary(6, [1, 2, 3, 6], [4, 5]), s(22));
    expect(loss).toEqual({ lost: [], survived: 4, windowSeconds: 0 });
  });

  it('only writes after the incident lost: named, but no window before the incident', async () => {
    // Writes at 0…45 s, the incident at 37 s: seqs 9 and 10 (40, 45 s) came after it.
    const loss = await measureLoss(scenario.ctx, canary(10, seqs(1, 8)), s(37));
    expect(loss).toEqual({ lost: [9, 10], survived: 8, windowSeconds: 0 });
  });

  it('says what it read back on the timeline', async () => {
    const before = scenario.events.length;
    await measureLoss(scenario.ctx, canary(4, [1, 2]), s(20));
    expect(scenario.events.slice(before)).toEqual([{ kind: 'canary.readback', detail: { canary: 'orders-db', written: 4, survived: 2, lost: [3, 4] } }]);
  });
});
