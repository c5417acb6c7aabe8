/**
 * The live terminal UI (Ink): what `gameday run` shows on a TTY. The CLI
 * starts it, hands it every run event, and finishes it when the run ends.
 * The view only reads events and asks the run for things through
 * RunControl (abort, note) and the sim callbacks; it never drives the run.
 */
import { render, type Instance } from 'ink';
import { createElement } from 'react';
import type { Speed } from '../../clock/types.js';
import type { RunControl, RunEvent } from '../../run/types.js';
import { App, type AppProps } from './App.js';
import { colourWanted } from './colour.js';
import { createViewState } from './state.js';
import { ViewStore } from './view-store.js';

export { colourWanted } from './colour.js';
export { createViewState, reduce, type ViewState, type ViewInput } from './state.js';

export interface InkViewOptions {
  stdout: NodeJS.WriteStream;
  /** Keys are read from it when it is a TTY (raw mode); otherwise the view only shows. */
  stdin: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  control: RunControl;
  /** Sim only: `+`/`-` asked for this pace (a number: N× real time). Without it the keys do nothing. */
  onSpeed?(speed: Speed): void;
  /** Sim only: space paused (true) or resumed (false) virtual time. Without it the key does nothing. */
  onPause?(paused: boolean): void;
  /**
   * A second Ctrl-C while cleanup runs: the person asks what is left. The
   * view shows the undos the events name and `gameday cleanup <run dir>`
   * until the CLI hands it the journal's (`showLeft`); cleanup goes on.
   */
  onSecondInterrupt?(): void;
  /** A third Ctrl-C: the person abandons cleanup. The CLI calls `finish()` first, then exits 130. */
  onThirdInterrupt?(): void;
  /** Frames per second at most; default 12. */
  maxFps?: number;
  /** The process's environment, for NO_COLOR / FORCE_COLOR; default: colour as Ink's chalk sees fit. */
  env?: Record<string, string | undefined>;
  /**
   * Route console.* output above the live region instead of through the middle of it (default
   * true). Off where the console is not Node's own (vitest's cannot be patched).
   */
  patchConsole?: boolean;
  /** Wall-clock epoch ms, to keep the header's wall time moving between events; without it, it moves with events. */
  wallNow?(): number;
}

export interface InkView {
  /** Fold one run event into the view; cheap, and never throws for an event it does not know. */
  onEvent(event: RunEvent): void;
  /**
   * An interrupt that did not come through the view's keys (a SIGINT sent
   * from elsewhere, SIGTERM): show its stage as the key would have. The CLI
   * acts on it; the view's callbacks are not called.
   */
  interrupted(): void;
  /** After a second interrupt: the undos the run's journal still holds pending, as the CLI read them. */
  showLeft(left: { undos: string[]; simulator: boolean; command?: string }): void;
  /** Draw the final frame, unmount Ink and give the terminal back (raw mode off). Safe to call twice. */
  finish(): Promise<void>;
}

const DEFAULT_FPS = 12;
const TICK_MS = 1000;
/** Ink's throttle, far above the store's pace: a guard, not the pacing. */
const INK_MAX_FPS = 240;

export function startInkView(options: InkViewOptions): InkView {
  const { stdout, stdin } = options;
  const fps = options.maxFps ?? DEFAULT_FPS;
  const store = new ViewStore(Math.ceil(1000 / fps), createViewState(terminalSize(stdout)));
  const props: AppProps = {
    store,
    control: options.control,
    onSpeed: options.onSpeed?.bind(options),
    onPause: options.onPause?.bind(options),
    onSecondInterrupt: options.onSecondInterrupt?.bind(options),
    onThirdInterrupt: options.onThirdInterrupt?.bind(options),
    interactive: stdin.isTTY === true,
    colour: options.env ? colourWanted(options.env) : true,
  };
  // A new element each time: React skips an element it has rendered already, props and all.
  const app = () => createElement(App, props);
  // `ink.rerender` renders synchronously (Ink's legacy root), where a store frame waits for React's next turn.
  let ink: Instance | undefined;
  // Subscribed before render() subscribes Ink's own handler, so this runs first: Ink redraws on
  // resize, and a frame still laid out for the old size would wrap at the new one, grow taller
  // than the rows counted, and make Ink clear the screen, scrollback included.
  const resized = () => {
    store.dispatch({ kind: 'view.resize', ...terminalSize(stdout) });
    ink?.rerender(app());
  };
  stdout.on('resize', resized);
  // Each frame the store announces is drawn here and now, not on React's next turn: the store
  // then times what a frame costs and paces the next by it (view-store.ts). Subscribed before
  // the App's own subscription, which then finds the frame drawn and renders nothing more.
  store.subscribe(() => ink?.rerender(app()));
  const { wallNow } = options;
  const ticker = wallNow ? setInterval(() => store.dispatch({ kind: 'view.tick', wallMs: wallNow() }), TICK_MS) : undefined;
  ticker?.unref();

  ink = render(app(), {
    stdout,
    stdin,
    ...(options.stderr ? { stderr: options.stderr } : {}),
    // Ctrl-C is the safe abort (cleanup, then exit 130), handled by the view; Ink must not exit on it.
    exitOnCtrlC: false,
    // The store paces frames; Ink's own throttle would only defer one (a key's) to a later turn.
    maxFps: INK_MAX_FPS,
    // Not Ink 6.8's incrementalRendering: in tmux it left stale and duplicated lines once the live
    // region grew under printed (Static) blocks. Frames are paced instead (maxFps, view-store.ts).
    incrementalRendering: false,
    patchConsole: options.patchConsole ?? true,
  });
  const mounted = ink;
  // Ask before unmounting: Ink creates the promise lazily, and one asked for after unmount never settles.
  const exited = mounted.waitUntilExit();
  let finished: Promise<void> | undefined;

  return {
    onEvent(event) {
      store.dispatch(event);
    },
    interrupted() {
      store.dispatch({ kind: 'view.interrupt' });
      store.flush();
    },
    showLeft(left) {
      store.dispatch({ kind: 'view.left', ...left });
      store.flush();
    },
    finish() {
      finished ??= (async () => {
        if (ticker) clearInterval(ticker);
        stdout.off('resize', resized);
        if (wallNow) store.dispatch({ kind: 'view.tick', wallMs: wallNow() });
        // The last frame stays on screen: it must not offer keys that no longer work.
        store.dispatch({ kind: 'view.closed' });
        store.close();
        mounted.rerender(app());
        mounted.unmount();
        await exited;
      })();
      return finished;
    },
  };
}

function terminalSize(stdout: NodeJS.WriteStream): { columns: number; rows: number } {
  // Not a TTY (a test, a pipe forced to Ink): the smallest terminal the view promises to fit.
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}
