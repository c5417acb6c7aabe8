/**
 * The view state and its pace. Events fold into the state as they come
 * (cheap, see state.ts); React hears of it at most once a frame, so a burst
 * of thousands of probe samples costs one render, not thousands.
 */
import { createViewState, reduce, type ViewInput, type ViewState } from './state.js';

/** Timers the store paces with; the CLI's are the real ones, a test may bring its own. */
export interface FrameTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: FrameTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class ViewStore {
  readonly state: ViewState;
  /** Frames announced so far: what React's useSyncExternalStore compares. */
  private frame = 0;
  private pending: unknown;
  private readonly listeners = new Set<() => void>();

  /**
   * `frameMs` 0 announces every change at once (tests read the frame right
   * after a key or an event); otherwise changes within `frameMs` of the first
   * share one frame.
   */
  constructor(
    private readonly frameMs: number,
    state: ViewState = createViewState(),
    private readonly timers: FrameTimers = realTimers,
  ) {
    this.state = state;
  }

  dispatch(input: ViewInput): void {
    reduce(this.state, input);
    this.changed();
  }

  /** Announce now whatever changed (the last frame before Ink unmounts; a key press should show at once). */
  flush(): void {
    if (this.pending !== undefined) {
      this.timers.clearTimeout(this.pending);
      this.pending = undefined;
    }
    this.frame++;
    for (const listener of this.listeners) listener();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getFrame = (): number => this.frame;

  /** Stop the pending frame (the view is going away). */
  close(): void {
    if (this.pending !== undefined) this.timers.clearTimeout(this.pending);
    this.pending = undefined;
    this.listeners.clear();
  }

  private changed(): void {
    if (this.frameMs <= 0) return this.flush();
    if (this.pending !== undefined) return;
    this.pending = this.timers.setTimeout(() => {
      this.pending = undefined;
      this.flush();
    }, this.frameMs);
  }
}
