import type { RunControl, RunEvent } from '../run/index.js';
import type { InkView } from '../ui/ink/index.js';
import type { Interrupts } from './interrupts.js';

/** The live view's frames per second at most: enough to watch a budget bar move (view-store.ts paces below it when frames cost). */
const VIEW_FPS = 12;

export interface LiveViewOptions {
  terminal: { stdout: NodeJS.WriteStream; stdin: () => NodeJS.ReadStream };
  /** The process's environment: NO_COLOR, FORCE_COLOR. */
  env: Record<string, string | undefined>;
  wallNow: () => number;
  interrupts: Interrupts;
}

/**
 * `gameday run`'s side of the Ink view: started once the run hands over its
 * control, fed every event, finished before anything else is written.
 *
 * React, Ink and Yoga take half a second or more to load: they load while
 * the run loads its own (cucumber's support code, the SDK clients), not
 * before it, and the events that come before the view can draw wait for it.
 */
export class LiveView {
  private view: InkView | undefined;
  private waiting: RunEvent[] = [];
  private control: RunControl | undefined;
  private starting: Promise<void> | undefined;
  private readonly loading: Promise<typeof import('../ui/ink/index.js')>;

  constructor(private readonly options: LiveViewOptions) {
    this.loading = import('../ui/ink/index.js');
    // Said where it matters, when the view is started or finished.
    this.loading.catch(() => {});
  }

  /** The run's control (RunEnvironment.onControl): the view starts as soon as Ink is loaded. */
  start(control: RunControl): void {
    this.control = control;
    this.starting ??= this.loading.then((ink) => this.draw(ink, control));
    this.starting.catch(() => {});
  }

  onEvent(event: RunEvent): void {
    if (this.view) this.view.onEvent(event);
    else this.waiting.push(event);
  }

  /** The last frame drawn and the terminal given back (raw mode off); safe to call twice. */
  async finish(): Promise<void> {
    if (this.control) await this.starting;
    this.options.interrupts.detach();
    const view = this.view;
    this.view = undefined;
    await view?.finish();
  }

  private draw(ink: typeof import('../ui/ink/index.js'), given: RunControl): void {
    const { terminal, interrupts } = this.options;
    const byKey = () => void interrupts.press(true);
    const view = ink.startInkView({
      stdout: terminal.stdout,
      stdin: terminal.stdin(),
      // The view's abort key counts as an interrupt like Ctrl-C's signal: the stages are the CLI's.
      control: { ...given, abort: byKey },
      ...(given.setSpeed ? { onSpeed: given.setSpeed.bind(given) } : {}),
      ...(given.setPaused ? { onPause: given.setPaused.bind(given) } : {}),
      onSecondInterrupt: byKey,
      onThirdInterrupt: byKey,
      maxFps: VIEW_FPS,
      env: this.options.env,
      wallNow: this.options.wallNow,
    });
    for (const event of this.waiting) view.onEvent(event);
    this.waiting = [];
    this.view = view;
    interrupts.attach(view);
  }
}
