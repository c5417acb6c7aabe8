import { cleanup, render } from 'ink-testing-library';
import { stripVTControlCharacters } from 'node:util';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Speed } from '../../clock/types.js';
import { App } from './App.js';
import { createViewState, type ViewInput } from './state.js';
import { multiAzFinished, PILOT_LIGHT, pilotLightStory, RUN_DIR, runStarted, timeline } from './test-support.js';
import { ViewStore } from './view-store.js';

afterEach(() => cleanup());

const settle = () => new Promise((resolve) => setImmediate(resolve));
const CTRL_C = '\u0003';
const ESC = '\u001B';
const ENTER = '\r';
const BACKSPACE = '\u007F';

async function app(events: ViewInput[], options: { withSimKeys?: boolean } = {}) {
  const store = new ViewStore(0, createViewState({ columns: 100, rows: 30 }));
  const control = { abort: vi.fn(), note: vi.fn() };
  const onSpeed = vi.fn<(speed: Speed) => void>();
  const onPause = vi.fn<(paused: boolean) => void>();
  const onSecondInterrupt = vi.fn();
  const onThirdInterrupt = vi.fn();
  const simKeys = options.withSimKeys ?? true;
  const ui = render(
    <App
      store={store}
      control={control}
      onSecondInterrupt={onSecondInterrupt}
      onThirdInterrupt={onThirdInterrupt}
      interactive
      colour={false}
      {...(simKeys ? { onSpeed, onPause } : {})}
    />,
  );
  for (const event of events) store.dispatch(event);
  await settle();
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      ui.stdin.write(key);
      // A lone Esc is told from the start of an escape sequence only on the next turn.
      await settle();
    }
    await settle();
  };
  const frame = () => stripVTControlCharacters(ui.lastFrame() ?? '');
  return { store, control, onSpeed, onPause, onSecondInterrupt, onThirdInterrupt, press, frame };
}

const running = () => [runStarted(), ...multiAzFinished(), ...pilotLightStory({ recoverAfter: 2000, until: 360 })];

describe('abort', () => {
  test('q aborts once: RunControl.abort, and the view switches to the cleanup list and says exit 130', async () => {
    const view = await app(running());
    await view.press('q');
    expect(view.control.abort).toHaveBeenCalledTimes(1);
    expect(view.frame()).toContain('ABORTING: stopping experiments, undoing changes; exit 130 after cleanup');
    expect(view.frame()).toContain('○ stop FIS experiment EXP7f3a9c (primary-region-outage, running)');
    await view.press('q');
    expect(view.control.abort).toHaveBeenCalledTimes(1);
    expect(view.onSecondInterrupt).not.toHaveBeenCalled();
  });

  test('the cleanup list shows each undo with its state as cleanup.step events arrive', async () => {
    const view = await app(running());
    await view.press(CTRL_C);
    const steps = ['StopExperiment (primary-region-outage)', 'PromoteReadReplica (orders-db-replica)', 'RestoreRegion (us-east-1)'];
    view.store.dispatch(timeline(PILOT_LIGHT, 361, { kind: 'cleanup.started', detail: { steps } }));
    view.store.dispatch(timeline(PILOT_LIGHT, 362, { kind: 'cleanup.step', detail: { step: steps[0]!, outcome: 'done' } }));
    view.store.dispatch(timeline(PILOT_LIGHT, 363, { kind: 'cleanup.step', detail: { step: steps[1]!, outcome: 'failed', error: 'InvalidDBInstanceState' } }));
    await settle();
    const lines = view.frame().split('\n');
    expect(lines).toContain('  ✔ StopExperiment (primary-region-outage): done');
    expect(lines).toContain('  ✘ PromoteReadReplica (orders-db-replica): FAILED: InvalidDBInstanceState');
    expect(lines).toContain('  ▶ RestoreRegion (us-east-1): undoing');
  });

  test('a second Ctrl-C calls onSecondInterrupt: cleanup goes on, the view says what is left and the command that would finish it', async () => {
    const view = await app([runStarted({ target: 'aws', account: '123456789012', speed: 1 }), ...multiAzFinished(), ...pilotLightStory({ recoverAfter: 2000, until: 360 })]);
    await view.press(CTRL_C);
    expect(view.frame()).toContain('Ctrl-C again: see what is left (cleanup goes on)');
    view.store.dispatch(timeline(PILOT_LIGHT, 361, { kind: 'cleanup.started', detail: { steps: ['StopExperiment (primary-region-outage)', 'RestoreRegion (us-east-1)'] } }));
    view.store.dispatch(timeline(PILOT_LIGHT, 362, { kind: 'cleanup.step', detail: { step: 'StopExperiment (primary-region-outage)', outcome: 'done' } }));
    await view.press(CTRL_C);
    expect(view.control.abort).toHaveBeenCalledTimes(1);
    expect(view.onSecondInterrupt).toHaveBeenCalledTimes(1);
    let lines = view.frame().split('\n');
    expect(lines).toContain('✘ CLEANUP GOES ON; a third Ctrl-C abandons it, leaving what is below');
    expect(lines).toContain('→ if abandoned, finish it later with:');
    expect(lines).toContain(`  gameday cleanup ${RUN_DIR}`);
    // Until the CLI has read the journal: what the events say.
    expect(lines).toContain('  ○ RestoreRegion (us-east-1): not undone yet');
    expect(view.frame()).not.toContain('EXP11aa22 (rds-reboot-with-failover) still');
    expect(view.frame()).toContain('Ctrl-C again: abandon cleanup, exit 130 at once');

    // The journal's pending undos, each with the state cleanup reached since.
    view.store.dispatch({ kind: 'view.left', undos: ['RestoreRegion (us-east-1)', 'StopExperiment (primary-region-outage)'], simulator: false });
    await settle();
    lines = view.frame().split('\n');
    expect(lines).toContain('  ▶ RestoreRegion (us-east-1): undoing');
    expect(lines).toContain('  ✔ StopExperiment (primary-region-outage): done');
    view.store.dispatch(timeline(PILOT_LIGHT, 363, { kind: 'cleanup.step', detail: { step: 'RestoreRegion (us-east-1)', outcome: 'failed', error: 'InvalidState' } }));
    await settle();
    expect(view.frame().split('\n')).toContain('  ✘ RestoreRegion (us-east-1): undo FAILED: InvalidState');
  });

  test('a third Ctrl-C calls onThirdInterrupt (the CLI abandons cleanup and exits 130); a fourth does nothing', async () => {
    const view = await app(running());
    await view.press(CTRL_C, CTRL_C);
    expect(view.onThirdInterrupt).not.toHaveBeenCalled();
    await view.press(CTRL_C);
    expect(view.onThirdInterrupt).toHaveBeenCalledTimes(1);
    expect(view.frame()).toContain('cleanup abandoned: gameday stops now (exit 130)');
    await view.press(CTRL_C);
    expect(view.onThirdInterrupt).toHaveBeenCalledTimes(1);
    expect(view.onSecondInterrupt).toHaveBeenCalledTimes(1);
    expect(view.control.abort).toHaveBeenCalledTimes(1);
  });

  test('on the simulator, what is left says that nothing outlives gameday on a real account, and offers no command', async () => {
    const view = await app(running());
    await view.press(CTRL_C, CTRL_C);
    view.store.dispatch({ kind: 'view.left', undos: [], simulator: true });
    await settle();
    const lines = view.frame().split('\n');
    expect(lines).toContain('→ on the simulator: nothing is left on a real account once gameday ends');
    expect(lines).toContain('    the journal holds no pending undo: cleanup is finishing');
    expect(view.frame()).not.toContain('gameday cleanup');
  });
});

describe('note', () => {
  test('n opens the input; typed text and Enter go to RunControl.note, and the input closes', async () => {
    const view = await app(running());
    await view.press('n');
    expect(view.frame()).toContain('note> ▏  Enter saves · Esc cancels');
    await view.press('replica lag spiked', ' at 13:04x', BACKSPACE);
    expect(view.frame()).toContain('note> replica lag spiked at 13:04▏');
    await view.press(ENTER);
    expect(view.control.note).toHaveBeenCalledExactlyOnceWith('replica lag spiked at 13:04');
    expect(view.frame()).not.toContain('note>');
  });

  test('Esc cancels: nothing is recorded', async () => {
    const view = await app(running());
    await view.press('n', 'wrong window', ESC);
    expect(view.frame()).not.toContain('note>');
    expect(view.control.note).not.toHaveBeenCalled();
  });

  test('while typing, q and space are text; Ctrl-C still aborts', async () => {
    const view = await app(running());
    await view.press('n', 'q ');
    expect(view.control.abort).not.toHaveBeenCalled();
    expect(view.onPause).not.toHaveBeenCalled();
    await view.press(CTRL_C);
    expect(view.control.abort).toHaveBeenCalledTimes(1);
  });

  test('Enter on an empty note records nothing', async () => {
    const view = await app(running());
    await view.press('n', '   ', ENTER);
    expect(view.control.note).not.toHaveBeenCalled();
  });
});

describe('sim keys', () => {
  test('+ and - step the speed through onSpeed; the header shows it', async () => {
    const view = await app(running());
    await view.press('+');
    expect(view.onSpeed).toHaveBeenLastCalledWith(200);
    expect(view.frame()).toContain('speed 200×');
    await view.press('-', '-');
    expect(view.onSpeed).toHaveBeenLastCalledWith(50);
    expect(view.frame()).toContain('speed 50×');
  });

  test('space pauses and resumes virtual time through onPause; the header says PAUSED', async () => {
    const view = await app(running());
    await view.press(' ');
    expect(view.onPause).toHaveBeenLastCalledWith(true);
    expect(view.frame()).toContain('· PAUSED');
    expect(view.frame()).toContain('space resume');
    await view.press(' ');
    expect(view.onPause).toHaveBeenLastCalledWith(false);
    expect(view.frame()).not.toContain('PAUSED');
  });

  test('under --parallel the keys are not offered, and the header says the speed is fixed', async () => {
    const view = await app([runStarted({ parallel: 2 }), ...pilotLightStory({ until: 100 })]);
    await view.press('+', ' ');
    expect(view.onSpeed).not.toHaveBeenCalled();
    expect(view.onPause).not.toHaveBeenCalled();
    expect(view.frame()).toContain('speed 100× (fixed under --parallel)');
    expect(view.frame()).not.toContain('+/- speed');
  });

  test('without the callbacks, or on aws, the keys do nothing and are not offered', async () => {
    const without = await app(running(), { withSimKeys: false });
    await without.press('+', ' ');
    expect(without.frame()).toContain('speed 100×');
    expect(without.frame()).not.toContain('+/- speed');
    const aws = await app([runStarted({ target: 'aws', account: '123456789012', speed: 1 }), ...pilotLightStory({ until: 100 })]);
    await aws.press('+', ' ');
    expect(aws.onSpeed).not.toHaveBeenCalled();
    expect(aws.onPause).not.toHaveBeenCalled();
    expect(aws.frame()).toContain('q abort · n note');
    expect(aws.frame()).not.toContain('space pause');
  });
});
