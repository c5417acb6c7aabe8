/**
 * The view state and its pace. Events fold into the state as they come
 * (cheap, see state.ts); React hears of it at most once a frame, so a burst
 * of thousands of probe samples costs one render, not thousands.
 *
 * A frame is costly: Ink lays out, measures and styles every cell of the
 * live region each time (10 to 25 ms at 100×30, more on a loaded machine).
 * While the run leaves the process idle (real time: AWS, the sim at
 * --speed N) that is idle time, and frames come at the full rate. While it
 * keeps the process busy (the sim at --speed max, CPU-bound), every
 * millisecond drawn is one the game day waits: then a frame may take at most
 * FRAME_SHARE of the time, and one that took c ms holds the next back.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { createViewState, reduce, type ViewInput, type ViewState } from './state.js';

/** Timers the store paces with, and how it times frames; the CLI's are the real ones, a test may bring its own. */
export interface FrameTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds, for what a frame costs. */
  now?(): number;
  /** How busy the process was since the last call, 0 (idle) to 1; unknown counts as busy. */
  busy?(): number;
}

function realTimers(): FrameTimers {
  let since: EventLoopUtilization = performance.eventLoopUtilization();
  return {
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    now: () => performance.now(),
    busy: () => {
      const now = performance.eventLoopUtilization();
      const { utilization } = performance.eventLoopUtilization(now, since);
      since = now;
      return utilization;
    },
  };
}

/** At most this share of a busy process's time goes to frames: one that took c ms holds the next back (1/share − 1)·c ms. */
export const FRAME_SHARE = 0.05;
/** Busier than this since the last frame, the process is working flat out and the share applies. */
export const BUSY = 0.5;
/**
 * But a frame every three seconds at least, whatever the last one cost: on
 * a loaded machine a frame can take a few hundred milliseconds, and the
 * first (Ink and Yoga still cold) most of all.
 */
export const SLOWEST_FRAME_MS = 3000;

export class ViewStore {
  readonly state: ViewState;
  /** Frames announced so far: what React's useSyncExternalStore compares. */
  private frame = 0;
  private pending: unknown;
  private readonly listeners = new Set<() => void>();
  /** When the last frame was drawn, what it cost (ms on `timers.now`), and how busy the process was in the interval before it. */
  private lastFrame = { at: Number.NEGATIVE_INFINITY, cost: 0, busy: 1 };

  /**
   * `frameMs` 0 announces every change at once (tests read the frame right
   * after a key or an event); otherwise changes within `frameMs` of the first
   * share one frame.
   */
  constructor(
    private readonly frameMs: number,
    state: ViewState = createViewState(),
    private readonly timers: FrameTimers = realTimers(),
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
    const { now, busy } = this.timers;
    const before = busy?.() ?? 1;
    const started = now?.() ?? 0;
    // Drawn inside the listener: the view re-renders Ink's legacy root at once (index.ts).
    for (const listener of this.listeners) listener();
    const ended = now?.() ?? 0;
    this.lastFrame = { at: ended, cost: ended - started, busy: before };
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
    const { at, cost, busy } = this.lastFrame;
    const since = (this.timers.now?.() ?? 0) - at;
    const rest = busy > BUSY ? cost * (1 / FRAME_SHARE - 1) - since : 0;
    this.pending = this.timers.setTimeout(
      () => {
        this.pending = undefined;
        this.flush();
      },
      Math.max(this.frameMs, Math.min(SLOWEST_FRAME_MS, Math.ceil(rest))),
    );
  }
}
