import { stripVTControlCharacters } from 'node:util';
import { describe, expect, test, vi } from 'vitest';
import { startInkView } from './index.js';
import { SLOWEST_FRAME_MS } from './view-store.js';
import { fakeTerminal, multiAzFinished, objective, PILOT_LIGHT, pilotLightStory, RUN_DIR, runFinished, runResults, runStarted, scenarioFinished, scenarioResult, timeline } from './test-support.js';

/** Ink's clearTerminal: what it writes once a frame is as tall as the terminal, wiping the scrollback too. */
const CLEAR_SCREEN = '\u001B[2J';

const control = () => ({ abort: vi.fn(), note: vi.fn() });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wait until `ready` holds. The store paces frames by what they cost and how
 * busy the process is (view-store.ts): on a loaded machine a frame may come
 * up to SLOWEST_FRAME_MS later, so a fixed wait would test the machine.
 */
async function until(ready: () => boolean, timeoutMs = SLOWEST_FRAME_MS * 2): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!ready()) {
    if (performance.now() > deadline) throw new Error(`not drawn within ${timeoutMs} ms`);
    await wait(20);
  }
}

describe('startInkView', () => {
  test('a whole run on an 80×24 terminal never clears the screen; each finished scenario is printed once; finish() leaves the summary and report path', async () => {
    const terminal = fakeTerminal({ columns: 80, rows: 24 });
    const view = startInkView({ stdout: terminal.asStdout, stdin: terminal.asStdin, patchConsole: false, control: control(), maxFps: 1000 });
    view.onEvent(runStarted());
    for (const event of multiAzFinished()) view.onEvent(event);
    for (const event of pilotLightStory({ recoverAfter: 400, lost: [11] })) {
      view.onEvent(event);
      // Let frames happen along the way, as they would in a run.
      if (event.kind === 'step.finished') await wait(5);
    }
    const results = runResults([scenarioResult(PILOT_LIGHT, 'passed', { rto: objective(300, 95, 5), rpo: objective(0, 0, 5) }), scenarioResult(PILOT_LIGHT, 'passed', { rto: objective(900, 400, 5), rpo: objective(60, 5, 5, { lostWrites: 1 }) })]);
    view.onEvent(runFinished(results));
    await view.finish();
    const output = terminal.stdout.written.join('');
    expect(output).not.toContain(CLEAR_SCREEN);
    const text = stripVTControlCharacters(output);
    expect(text.split('✔ A forced failover injected by FIS loses no confirmed order: passed')).toHaveLength(2);
    expect(text.split('✔ The primary region loses its orders database: passed')).toHaveLength(2);
    expect(text).toContain(`report: ${RUN_DIR}/index.html`);
  });

  test('a printed scenario\'s long lines wrap under their own text within 80 columns (Static lays its blocks out absolutely)', async () => {
    const terminal = fakeTerminal({ columns: 80, rows: 24 });
    const view = startInkView({ stdout: terminal.asStdout, stdin: terminal.asStdin, patchConsole: false, control: control(), maxFps: 1000 });
    view.onEvent(runStarted());
    const long = 'cleanup DeleteExperimentTemplate (experiment template for primary-region-outage): done, and then some more words';
    for (const event of pilotLightStory({ recoverAfter: 400, until: 420 })) view.onEvent(event);
    view.onEvent(timeline(PILOT_LIGHT, 421, { kind: 'info', detail: { message: long } }));
    const result = scenarioResult(PILOT_LIGHT, 'passed', { rto: objective(900, 400, 5), rpo: objective(60, 5, 5) });
    view.onEvent(scenarioFinished(PILOT_LIGHT, result, 421));
    view.onEvent(runFinished(runResults([result])));
    await view.finish();
    const lines = stripVTControlCharacters(terminal.stdout.written.join('')).split('\n');
    expect(lines.filter((line) => [...line].length > 80)).toEqual([]);
    const at = lines.findIndex((line) => line.includes('cleanup DeleteExperimentTemplate'));
    expect(lines[at]).toMatch(/^ {4}t\+07:01 i cleanup DeleteExperimentTemplate/);
    // The rest of it under the text, not under the clock.
    expect(lines[at + 1]).toMatch(/^ {14}\S/);
  });

  test('keys reach RunControl, and finish() gives the terminal back (raw mode off)', async () => {
    const terminal = fakeTerminal({ columns: 80, rows: 24 });
    const setRawMode = vi.spyOn(terminal.stdin, 'setRawMode');
    const run = control();
    const view = startInkView({ stdout: terminal.asStdout, stdin: terminal.asStdin, patchConsole: false, control: run });
    view.onEvent(runStarted());
    for (const event of pilotLightStory({ until: 100 })) view.onEvent(event);
    await wait(10);
    terminal.stdin.press('q');
    expect(run.abort).toHaveBeenCalledTimes(1);
    expect(setRawMode).toHaveBeenLastCalledWith(true);
    await view.finish();
    await view.finish();
    expect(setRawMode).toHaveBeenLastCalledWith(false);
  });

  test('a burst of 5000 probe samples is drawn in a frame or two, not 5000', async () => {
    const terminal = fakeTerminal({ columns: 100, rows: 30 });
    const view = startInkView({ stdout: terminal.asStdout, stdin: terminal.asStdin, patchConsole: false, control: control(), maxFps: 12 });
    view.onEvent(runStarted());
    for (const event of pilotLightStory({ until: 100 })) view.onEvent(event);
    await until(() => stripVTControlCharacters(terminal.stdout.written.join('')).includes('probe'));
    await wait(200);
    const before = terminal.stdout.written.length;
    for (let t = 101; t <= 5100; t++) view.onEvent(timeline(PILOT_LIGHT, t, { kind: 'probe.sample', detail: { probe: 'probe:orders-db', ok: t % 2 === 0 } }));
    expect(terminal.stdout.written.length).toBe(before);
    await until(() => terminal.stdout.written.length > before);
    // Whatever the pace, the burst is one pending frame; give a second one time to (wrongly) happen.
    await wait(250);
    const writes = terminal.stdout.written.slice(before);
    // A frame is three writes (synchronized-output markers around the changed lines): two frames at most.
    expect(writes.length).toBeLessThanOrEqual(6);
    expect(stripVTControlCharacters(writes.join(''))).toContain('up 2511 · down 2509 · UP now');
    await view.finish();
  });

  test('resizing redraws at the new width at once: an aws header that fit 100 columns takes two lines at 80', async () => {
    const terminal = fakeTerminal({ columns: 100, rows: 30 });
    const view = startInkView({ stdout: terminal.asStdout, stdin: terminal.asStdin, patchConsole: false, control: control() });
    view.onEvent(runStarted({ target: 'aws', account: '123456789012', speed: 1 }));
    for (const event of pilotLightStory({ until: 100 })) view.onEvent(event);
    const header = 'securecart on aws 123456789012 · us-east-1, us-west-2 · run 2026-12-07T13-00-00-000Z-seed42';
    await until(() => stripVTControlCharacters(terminal.stdout.written.join('')).includes(header));
    const before = terminal.stdout.written.length;
    terminal.resize(80, 30);
    const redrawn = stripVTControlCharacters(terminal.stdout.written.slice(before).join(''));
    expect(redrawn).toContain('securecart on aws 123456789012 · us-east-1, us-west-2\n');
    expect(redrawn).toContain('\nrun 2026-12-07T13-00-00-000Z-seed42\n');
    expect(terminal.stdout.written.slice(before).join('')).not.toContain(CLEAR_SCREEN);
    await view.finish();
  });
});
