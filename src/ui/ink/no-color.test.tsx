// Ink's chalk decides once, when it is first imported, whether it may write colour at all. This
// file forces it on before importing anything that imports Ink (hence the dynamic imports), so that
// whether colour codes appear depends on the view alone. Vitest runs each test file in its own
// process (pool 'forks'), so no other file sees this.
process.env['FORCE_COLOR'] = '1';

import { stripVTControlCharacters } from 'node:util';
import { describe, expect, test, vi } from 'vitest';
import type { RunEvent } from '../../run/types.js';

/** SGR colour parameters: foreground/background, basic, bright, 256 and truecolour. */
const COLOUR_CODE = /\u001B\[(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;

async function renderRun(env: Record<string, string | undefined>): Promise<string> {
  const { startInkView } = await import('./index.js');
  const { fakeTerminal, multiAzFinished, pilotLightStory, runStarted } = await import('./test-support.js');
  const terminal = fakeTerminal({ columns: 100, rows: 30 });
  const view = startInkView({ stdout: terminal.asStdout, stdin: terminal.asStdin, control: { abort: vi.fn(), note: vi.fn() }, env, patchConsole: false });
  const events: RunEvent[] = [runStarted(), ...multiAzFinished(), ...pilotLightStory({ recoverAfter: 2000, until: 60 + 800 })];
  for (const event of events) view.onEvent(event);
  await view.finish();
  return terminal.stdout.written.join('');
}

describe('colour', () => {
  test('with colour wanted, the view does write colour: the budget past 75% in yellow', async () => {
    const output = await renderRun({});
    expect(output).toMatch(COLOUR_CODE);
    expect(output).toContain('\u001B[33m');
  });

  test('NO_COLOR: no colour code anywhere, and the marks and words still say it all', async () => {
    const output = await renderRun({ NO_COLOR: '1' });
    expect(output).not.toMatch(COLOUR_CODE);
    const text = stripVTControlCharacters(output);
    expect(text).toContain('✔ A forced failover injected by FIS loses no confirmed order: passed');
    expect(text).toMatch(/RTO █+░* 13 min 20 s of 15 min 88% 75%!/);
  });
});
