import { Static, useInput, type Key } from 'ink';
import { useSyncExternalStore } from 'react';
import type { Speed } from '../../clock/types.js';
import type { RunControl } from '../../run/types.js';
import { ColourContext } from './colour.js';
import { nextSpeed } from './format.js';
import { LiveRegion } from './LiveRegion.js';
import { Printed } from './Printed.js';
import type { ViewAction } from './state.js';
import type { ViewStore } from './view-store.js';

export interface AppProps {
  store: ViewStore;
  control: RunControl;
  onSpeed?: ((speed: Speed) => void) | undefined;
  onPause?: ((paused: boolean) => void) | undefined;
  onSecondInterrupt?: (() => void) | undefined;
  onThirdInterrupt?: (() => void) | undefined;
  /** Keys are read only from a terminal: Ink cannot put a pipe in raw mode. */
  interactive: boolean;
  colour: boolean;
}

/** The whole view: printed blocks in `<Static>`, the live region under them, and the keys. */
export function App({ store, control, onSpeed, onPause, onSecondInterrupt, onThirdInterrupt, interactive, colour }: AppProps) {
  // Re-render when the store announces a frame (paced), not on every event.
  useSyncExternalStore(store.subscribe, store.getFrame);
  const view = store.state;
  // Under --parallel the scenarios' clocks are in the workers, out of the run's reach.
  const paceable = view.run?.target === 'sim' && view.run.parallel === 0;
  const abilities = { speed: paceable && onSpeed !== undefined, pause: paceable && onPause !== undefined };
  // A key shows at once, without waiting for the paced frame: keys are few.
  const act = (action: ViewAction) => {
    store.dispatch(action);
    store.flush();
  };

  useInput(
    (input: string, key: Key) => {
      if (view.finished || view.closed) return;
      // Ctrl-C arrives here, not as SIGINT: the terminal is in raw mode and Ink is told not to exit on it.
      if (key.ctrl && input === 'c') {
        // First: abort safely. Second: say what is left while cleanup goes on. Third: abandon it.
        const pressed = view.interrupts;
        if (pressed >= 3) return;
        act({ kind: 'view.interrupt' });
        if (pressed === 0) control.abort();
        else if (pressed === 1) onSecondInterrupt?.();
        else onThirdInterrupt?.();
        return;
      }
      if (view.noteDraft !== null) return editNote(input, key);
      if (input === 'q') {
        if (view.interrupts === 0) {
          act({ kind: 'view.interrupt' });
          control.abort();
        }
        return;
      }
      if (input === 'n') return act({ kind: 'view.note', draft: '' });
      if ((input === '+' || input === '=' || input === '-') && abilities.speed && view.interrupts === 0) {
        const speed = nextSpeed(view.speed, input === '-' ? -1 : 1);
        act({ kind: 'view.speed', speed });
        onSpeed?.(speed);
        return;
      }
      if (input === ' ' && abilities.pause && view.interrupts === 0) {
        const paused = !view.paused;
        act({ kind: 'view.pause', paused });
        onPause?.(paused);
      }
    },
    { isActive: interactive },
  );

  const editNote = (input: string, key: Key) => {
    const draft = view.noteDraft ?? '';
    if (key.escape) return act({ kind: 'view.note', draft: null });
    if (key.return) {
      const text = draft.trim();
      if (text) control.note(text);
      return act({ kind: 'view.note', draft: null });
    }
    // Terminals send DEL (0x7f) for Backspace, which Ink names `delete`: both erase the last character.
    if (key.backspace || key.delete) return act({ kind: 'view.note', draft: draft.slice(0, -1) });
    if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
    // A paste arrives as one input; a line break in it does not belong in a one-line note.
    const typed = input.replace(/[\r\n]+/g, ' ').replace(/\p{Cc}/gu, '');
    if (typed) act({ kind: 'view.note', draft: draft + typed });
  };

  return (
    <ColourContext.Provider value={colour}>
      <Static items={view.printed}>{(block) => <Printed key={block.key} block={block} width={view.terminal.columns} />}</Static>
      <LiveRegion view={view} abilities={abilities} />
    </ColourContext.Provider>
  );
}
