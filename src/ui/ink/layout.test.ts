import { describe, expect, test } from 'vitest';
import { allocate, liveRows, packChips, planLiveRegion, totalLines, windowAround, type RunningDemand } from './layout.js';

const busy: RunningDemand = { header: 2, scenarios: 12, others: 0, focused: true, steps: 10, fis: 4, budget: true, rpo: true, probes: true, tail: 12, noteOpen: false };

describe('allocate', () => {
  test('grants every minimum in order before any section gets more', () => {
    const given = allocate(6, [
      { id: 'header', want: 2, min: 2 },
      { id: 'steps', want: 10, min: 3 },
      { id: 'tail', want: 5, min: 1 },
    ]);
    expect(given).toEqual({ header: 2, steps: 3, tail: 1 });
  });

  test('the rest goes in priority order, so the last section is the first to go short', () => {
    const given = allocate(12, [
      { id: 'header', want: 2, min: 2 },
      { id: 'steps', want: 8, min: 3 },
      { id: 'tail', want: 5, min: 1 },
    ]);
    expect(given).toEqual({ header: 2, steps: 8, tail: 2 });
  });
});

describe('planLiveRegion', () => {
  test('an 80×24 terminal gets a live region of at most 22 rows, however much there is to show', () => {
    const lines = planLiveRegion({ columns: 80, rows: 24 }, busy);
    expect(totalLines(lines)).toBe(liveRows(24));
    expect(liveRows(24)).toBe(22);
    expect(lines).toMatchObject({ header: 2, keys: 1, title: 1, budget: 1, rpo: 1 });
  });

  test('short terminals drop the event tail, then the probe strip, before the budget, RPO and steps', () => {
    const sixteen = planLiveRegion({ columns: 120, rows: 16 }, busy);
    expect(sixteen).toMatchObject({ tail: 0, probes: 1 });
    const fifteen = planLiveRegion({ columns: 120, rows: 15 }, busy);
    expect(fifteen).toMatchObject({ tail: 0, probes: 0, budget: 1, rpo: 1, steps: 3 });
    expect(totalLines(fifteen)).toBe(13);
  });

  test('narrow terminals drop the probe strip and the event tail whatever the rows', () => {
    const lines = planLiveRegion({ columns: 60, rows: 50 }, busy);
    expect(lines.tail).toBe(0);
    expect(lines.probes).toBe(0);
    expect(lines.steps).toBe(10);
  });

  test('a tall terminal shows it all', () => {
    const lines = planLiveRegion({ columns: 100, rows: 60 }, busy);
    expect(lines).toMatchObject({ steps: 10, scenarios: 12, fis: 4, probes: 1, tail: 12 });
  });

  test('while aborting the cleanup list replaces the scenario detail', () => {
    const lines = planLiveRegion({ columns: 80, rows: 24 }, { ...busy, cleanup: 6 });
    expect(lines).toMatchObject({ cleanup: 6, title: 0, steps: 0, budget: 0, tail: 0 });
  });

  test('the note input gets its row before the scenario detail', () => {
    const lines = planLiveRegion({ columns: 80, rows: 10 }, { ...busy, noteOpen: true });
    expect(lines.note).toBe(1);
    expect(totalLines(lines)).toBe(8);
  });
});

describe('packChips', () => {
  test('fills each line as far as the width allows, in order, never splitting a chip', () => {
    const chips = ['securecart on sim', 'us-east-1, us-west-2', 'run 2026-12-07T13-00-00-000Z-seed42'].map((text) => ({ text }));
    expect(packChips(chips, 80).map((line) => line.map((c) => c.text).join(' · '))).toEqual(['securecart on sim · us-east-1, us-west-2 · run 2026-12-07T13-00-00-000Z-seed42']);
    expect(packChips(chips, 60).map((line) => line.map((c) => c.text).join(' · '))).toEqual(['securecart on sim · us-east-1, us-west-2', 'run 2026-12-07T13-00-00-000Z-seed42']);
  });
});

describe('windowAround', () => {
  test('everything when it fits', () => {
    expect(windowAround(5, 3, 5)).toEqual({ start: 0, end: 5, before: 0, after: 0 });
  });

  test('keeps the focused item and the one before it, and counts what is cut on either side', () => {
    const window = windowAround(10, 6, 5);
    expect(window).toEqual({ start: 5, end: 8, before: 5, after: 2 });
    const rows = window.end - window.start + (window.before ? 1 : 0) + (window.after ? 1 : 0);
    expect(rows).toBe(5);
  });

  test('at the end, no marker after', () => {
    expect(windowAround(10, 9, 4)).toEqual({ start: 7, end: 10, before: 7, after: 0 });
  });

  test('one row shows the focused item alone', () => {
    expect(windowAround(10, 4, 1)).toEqual({ start: 4, end: 5, before: 0, after: 0 });
  });
});
