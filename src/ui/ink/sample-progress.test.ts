import { describe, expect, test } from 'vitest';
import { headerLines } from './Header.js';
import { createViewState, reduce, type ViewInput, type ViewState } from './state.js';
import { runStarted } from './test-support.js';

/**
 * With --samples the live view's header counts the samples done (the
 * samples after the plain run send no scenario events of their own, only
 * `sample.finished`); under --shard it says which shard, so the count is
 * read as the shard's slice.
 */

function fold(events: ViewInput[], state: ViewState = createViewState()): ViewState {
  for (const event of events) reduce(state, event);
  return state;
}

const chips = (view: ViewState) => headerLines(view, 200).flat().map((chip) => chip.text);

function sampleFinished(done: number, samples: number, sample: number): ViewInput {
  return { kind: 'sample.finished', sample, samples, done, seed: 1000 + sample, scenarios: 3, wallMs: 1_000 + done };
}

describe('sample progress in the header', () => {
  test('n of N samples done, as sample.finished events arrive out of order under --parallel', () => {
    const view = fold([runStarted(), sampleFinished(2, 12, 3), sampleFinished(3, 12, 1)]);
    expect(chips(view)).toContain('3 of 12 samples done');
  });

  test("a shard says which it is beside its own slice's count", () => {
    const view = fold([runStarted({ shard: { index: 2, count: 4, of: 'samples' } }), sampleFinished(2, 3, 5)]);
    expect(chips(view)).toEqual(expect.arrayContaining(['2 of 3 samples done', 'shard 2/4 of the samples']));
  });

  test('no sample chip without --samples, nor a shard chip without --shard', () => {
    const text = chips(fold([runStarted()])).join(' ');
    expect(text).not.toMatch(/samples done|shard/);
  });
});
