import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { onAbort } from './on-abort.js';
import type { ActorState, EpochMs, SchedulingClock, Speed, TimerHandle } from './types.js';

// The clock's own pacing and watchdog run on real time. Keep references taken
// at load, so a test that fakes the globals cannot turn them virtual too.
const realSetTimeout = globalThis.setTimeout.bind(globalThis);
const realClearTimeout = globalThis.clearTimeout.bind(globalThis);
const realSetImmediate = globalThis.setImmediate.bind(globalThis);
const realNow = (): number => performance.now();

export class LoopLimitError extends Error {
  override readonly name = 'LoopLimitError';
}

/** Every actor waits on something the clock cannot bring, or an actor stopped answering. */
export class StallError extends Error {
  override readonly name = 'StallError';
  constructor(
    message: string,
    readonly actors: ActorState[],
  ) {
    super(`${message}\n${actors.map(describeActor).join('\n')}`);
  }
}

function describeActor(actor: ActorState): string {
  return `  - ${actor.name}: ${actor.state} (${actor.reason}) for ${Math.round(actor.forMs)} ms of real time`;
}

export interface VirtualClockOptions {
  /** Virtual epoch milliseconds at t = 0. */
  start: EpochMs;
  /** `max` (default): jump to the next event. N: pace virtual time at N× real time. */
  speed?: Speed;
  /** Timers fired at one virtual instant before the clock gives up (an actor sleeping 0 ms in a loop). */
  loopLimit?: number;
  /** Real milliseconds an actor may keep the clock waiting before it is reported as stalled. */
  stallTimeoutMs?: number;
}

interface Timer {
  id: number;
  at: EpochMs;
  seq: number;
  label: string;
  task: () => void;
  cancelled: boolean;
  fired: boolean;
}

interface Actor {
  /** The clock the actor belongs to: one async context serves every clock. */
  clock: VirtualClock;
  id: number;
  name: string;
  state: ActorState['state'];
  reason: string;
  since: number;
}

/**
 * The actor an async context runs as, for every clock of the process. One
 * store, not one per clock: on Node 20 each AsyncLocalStorage ever entered
 * stays on a list that every new promise walks, so a store per clock made
 * every promise of a long run pay for every scenario before it.
 */
const currentActor = new AsyncLocalStorage<Actor>();

/** Binary min-heap on (at, seq): the total order that makes a run reproducible. */
class TimerHeap {
  private readonly items: Timer[] = [];

  push(timer: Timer): void {
    const items = this.items;
    items.push(timer);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  peek(): Timer | undefined {
    while (this.items.length > 0 && this.items[0]!.cancelled) this.pop();
    return this.items[0];
  }

  pop(): Timer | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && before(items[l]!, items[m]!)) m = l;
        if (r < items.length && before(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * Deterministic virtual time (DESIGN §5). Sim models put state changes on its
 * queue; harness loops run as actors. The clock advances to the next due
 * timer only when every actor is asleep on the clock or waiting for something
 * the clock will bring, so in-flight SDK calls finish first whatever the
 * number of event-loop turns they take.
 *
 * An actor is one sequential flow: parallel branches should be actors of
 * their own, because the clock tracks one state per actor.
 */
export class VirtualClock implements SchedulingClock {
  private current: EpochMs;
  private readonly heap = new TimerHeap();
  private seq = 0;
  private live = 0;
  private readonly actors = new Map<number, Actor>();
  private readonly loopLimit: number;
  private readonly stallTimeoutMs: number;
  private speed: Speed;
  private checkQueued = false;
  private firedAtInstant = 0;
  private progress = 0;
  private watchdog: ReturnType<typeof realSetTimeout> | undefined;
  private pacer: ReturnType<typeof realSetTimeout> | undefined;
  private pacing: { real: number; virtual: EpochMs } | undefined;
  private failure: Error | undefined;
  private readonly failureWaiters = new Set<(error: Error) => void>();
  /** While a manual advance runs, it alone fires timers, up to its bound. */
  private manualBound: EpochMs | undefined;
  /**
   * Runs in progress. Time advances on its own only while one is: between two
   * cucumber steps, background actors sleep and time stands still.
   */
  private driving = 0;
  private settleWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  /** Free-running (serve mode): time flows with real time × speed, no actors needed. */
  private freeRun: { real: number; virtual: EpochMs } | undefined;
  /** A timer's task sees its own due time as now, also when free-running. */
  private firing = false;
  /** A person paused the game day (the live view's space key): no timer fires until resumed. */
  private paused = false;

  constructor(options: VirtualClockOptions) {
    this.current = options.start;
    this.speed = options.speed ?? 'max';
    this.loopLimit = options.loopLimit ?? 10_000;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 10_000;
  }

  now(): EpochMs {
    if (this.freeRun && !this.firing && typeof this.speed === 'number') {
      const flowing = this.freeRun.virtual + (realNow() - this.freeRun.real) * this.speed;
      // Never run past a timer that has not fired yet: its effects must come first.
      const next = this.heap.peek();
      return Math.floor(next ? Math.min(flowing, Math.max(next.at, this.current)) : flowing);
    }
    return this.current;
  }

  schedule(at: EpochMs, task: () => void, label = 'timer'): TimerHandle {
    const timer: Timer = { id: ++this.seq, at: Math.max(at, this.now()), seq: this.seq, label, task, cancelled: false, fired: false };
    this.heap.push(timer);
    this.live++;
    this.poke();
    return timer;
  }

  cancel(handle: TimerHandle): void {
    const timer = handle as Timer;
    if (timer.cancelled || timer.fired) return;
    timer.cancelled = true;
    this.live--;
  }

  sleep(ms: number, reason = 'sleeping', signal?: AbortSignal): Promise<void> {
    const actor = this.actor();
    return new Promise<void>((resolve) => {
      // An interrupted sleeper wakes at the instant it is, and its timer goes: nothing else moves.
      // Without a signal, or one that never aborts, the queue holds exactly what it did before.
      if (signal?.aborted) return resolve();
      const label = actor ? `${actor.name}: ${reason}` : reason;
      const wake = () => {
        forget?.();
        if (actor) this.setState(actor, 'running', reason);
        resolve();
      };
      const timer = this.schedule(this.now() + Math.max(0, ms), wake, label);
      const forget = signal
        ? onAbort(signal, () => {
            this.cancel(timer);
            wake();
          })
        : undefined;
      if (actor) this.setState(actor, 'sleeping', reason);
    });
  }

  async wait<T>(promise: Promise<T>, reason: string): Promise<T> {
    const actor = this.actor();
    if (!actor) return promise;
    const previous = actor.reason;
    this.setState(actor, 'waiting', reason);
    try {
      return await promise;
    } finally {
      this.setState(actor, 'running', previous);
    }
  }

  /**
   * Run `fn` as an actor of its own. Spawned by another actor, it starts once
   * that one sleeps or waits, on a timer at the same instant: actors spawned
   * one after the other start in that order, each running until it sleeps or
   * waits, so what they do at one instant comes in the same order whatever
   * real I/O or how many promise turns each step of theirs takes.
   */
  spawn<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const actor: Actor = { clock: this, id: ++this.seq, name, state: 'running', reason: 'starting', since: realNow() };
    this.actors.set(actor.id, actor);
    this.progress++;
    const start = (): Promise<T> =>
      currentActor.run(actor, async () => {
        try {
          return await fn();
        } finally {
          this.actors.delete(actor.id);
          this.progress++;
          this.poke();
        }
      });
    if (!this.actor()) return start();
    this.setState(actor, 'sleeping', 'starting');
    return new Promise<T>((resolve, reject) => {
      this.schedule(
        this.now(),
        () => {
          this.setState(actor, 'running', 'starting');
          start().then(resolve, reject);
        },
        `${name}: starting`,
      );
    });
  }

  /**
   * Run `fn` as the main actor and drive the clock until it settles. Rejects
   * with the clock's failure (a throwing timer, the loop limit, a stall) if
   * one comes first.
   */
  run<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.driving++;
    const main = this.spawn(name, fn).finally(() => {
      this.driving--;
    });
    return Promise.race([main, this.failed()]);
  }

  /** Rejects when the clock fails; never resolves otherwise. */
  failed(): Promise<never> {
    return new Promise<never>((_, reject) => {
      if (this.failure) reject(this.failure);
      else this.failureWaiters.add(reject);
    });
  }

  /** Pace virtual time at N× real time, or `max` to jump from event to event. */
  setSpeed(speed: Speed): void {
    this.speed = speed;
    this.pacing = undefined;
    if (this.freeRun) this.freeRun = { real: realNow(), virtual: this.current };
    else this.dropPacer();
    this.poke();
  }

  /**
   * Hold virtual time still (true) or let it go on (false). Actors finish
   * what they are doing and then wait; nothing is lost or reordered, so a
   * paused run measures what an unpaused one does. Not for a free-running clock.
   */
  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    // Paced time starts afresh on resume: a pause is not time to catch up on.
    this.pacing = undefined;
    if (!this.freeRun) this.dropPacer();
    this.poke();
  }

  /** Forget the pending pace wait: one armed at the old pace would hold a faster one back until it fired. */
  private dropPacer(): void {
    if (this.pacer) realClearTimeout(this.pacer);
    this.pacer = undefined;
  }

  /**
   * Let time flow on its own at real time × speed, firing timers as they fall
   * due: `gameday sim serve`, where clients come and go and no actor drives.
   */
  startFreeRunning(): void {
    if (typeof this.speed !== 'number') throw new RangeError('free-running needs a numeric speed');
    this.freeRun = { real: realNow(), virtual: this.current };
    this.armFreeRun();
  }

  stopFreeRunning(): void {
    if (this.freeRun) this.current = Math.max(this.current, this.now());
    this.freeRun = undefined;
    if (this.pacer) realClearTimeout(this.pacer);
    this.pacer = undefined;
  }

  /** Fire every timer due within `ms` from now, in order, letting woken work settle in between. */
  advance(ms: number): Promise<void> {
    return this.runUntil(this.now() + Math.max(0, ms));
  }

  async runUntil(target: EpochMs): Promise<void> {
    if (this.manualBound !== undefined) throw new Error('the clock is already being advanced');
    this.manualBound = target;
    let first: Error | undefined;
    try {
      for (;;) {
        await this.settled();
        const next = this.heap.peek();
        if (!next || next.at > target) break;
        const error = this.fireNext();
        first ??= error;
      }
      this.current = Math.max(this.current, target);
      if (this.freeRun) this.freeRun = { real: realNow(), virtual: this.current };
    } finally {
      this.manualBound = undefined;
      this.firedAtInstant = 0;
    }
    if (first) throw first;
    this.poke();
  }

  /** What every actor is doing, for progress displays and stall reports. */
  actorStates(): ActorState[] {
    const now = realNow();
    return [...this.actors.values()].map((a) => ({ name: a.name, state: a.state, reason: a.reason, forMs: now - a.since }));
  }

  /** Timers scheduled and neither fired nor cancelled. */
  pendingTimers(): number {
    return this.live;
  }

  private setState(actor: Actor, state: Actor['state'], reason: string): void {
    actor.state = state;
    actor.reason = reason;
    actor.since = realNow();
    this.progress++;
    if (state !== 'running') this.poke();
  }

  private running(): boolean {
    for (const actor of this.actors.values()) if (actor.state === 'running') return true;
    return false;
  }

  /** Resolves once no actor is running (immediately when there are none). */
  private settled(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.settleWaiters.push({ resolve, reject });
      this.poke();
    });
  }

  /** The actor of this clock the caller runs as, if any. */
  private actor(): Actor | undefined {
    const actor = currentActor.getStore();
    return actor?.clock === this ? actor : undefined;
  }

  private poke(): void {
    if (this.checkQueued || this.failure) return;
    this.checkQueued = true;
    // Outside any actor's async context: timers fired from here must not
    // believe they run inside whichever actor happened to poke.
    currentActor.exit(() =>
      realSetImmediate(() => {
        this.checkQueued = false;
        this.check();
      }),
    );
  }

  private check(): void {
    if (this.failure) return;
    if (this.running()) {
      this.armWatchdog();
      return;
    }
    // Armed once for a whole run rather than once per turn: it looks at progress when it fires.
    if (this.driving === 0 && this.manualBound === undefined) this.disarmWatchdog();
    if (this.settleWaiters.length > 0) {
      const waiters = this.settleWaiters;
      this.settleWaiters = [];
      for (const waiter of waiters) waiter.resolve();
      return;
    }
    if (this.manualBound !== undefined || this.freeRun || this.driving === 0 || this.paused) return;
    const next = this.heap.peek();
    if (!next) {
      this.fail(new StallError('Every actor waits on the clock, but nothing is scheduled to wake them:', this.actorStates()));
      return;
    }
    const delay = this.pacingDelay(next.at);
    if (delay > 0) {
      if (!this.pacer) {
        this.pacer = realSetTimeout(() => {
          this.pacer = undefined;
          this.poke();
        }, delay);
      }
      return;
    }
    const error = this.fireNext();
    if (error) this.fail(error);
    else this.poke();
  }

  private pacingDelay(at: EpochMs): number {
    if (typeof this.speed !== 'number') return 0;
    this.pacing ??= { real: realNow(), virtual: this.current };
    const due = this.pacing.real + (at - this.pacing.virtual) / this.speed;
    return Math.max(0, Math.ceil(due - realNow()));
  }

  /** Fire the next timer; returns what it threw, if anything. */
  private fireNext(): Error | undefined {
    const timer = this.heap.peek() && this.heap.pop();
    if (!timer) return undefined;
    timer.fired = true;
    this.live--;
    if (timer.at > this.current) {
      this.current = timer.at;
      this.firedAtInstant = 0;
    }
    this.progress++;
    if (++this.firedAtInstant > this.loopLimit) {
      return new LoopLimitError(
        `More than ${this.loopLimit} timers fired at one virtual instant (${new Date(this.current).toISOString()}); ` +
          `the last was "${timer.label}". Something sleeps 0 ms in a loop.`,
      );
    }
    this.firing = true;
    try {
      timer.task();
      return undefined;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    } finally {
      this.firing = false;
    }
  }

  private armFreeRun(): void {
    if (!this.freeRun) return;
    if (this.pacer) realClearTimeout(this.pacer);
    const next = this.heap.peek();
    const speed = typeof this.speed === 'number' ? this.speed : 1;
    const wait = next ? Math.max(0, (next.at - this.now()) / speed) : 1000;
    this.pacer = realSetTimeout(() => {
      this.pacer = undefined;
      if (!this.freeRun || this.manualBound !== undefined) return this.armFreeRun();
      const flowing = this.freeRun.virtual + (realNow() - this.freeRun.real) * speed;
      for (let due = this.heap.peek(); due && due.at <= flowing; due = this.heap.peek()) {
        const error = this.fireNext();
        if (error) this.reportFreeRunError(error);
      }
      this.current = Math.max(this.current, Math.floor(flowing));
      this.firedAtInstant = 0;
      this.armFreeRun();
    }, Math.min(wait, 1000));
    this.pacer.unref?.();
  }

  private reportFreeRunError(error: Error): void {
    // A free-running server has no caller to rethrow to; keep serving and let the owner see it.
    for (const listener of this.freeRunErrorListeners) listener(error);
  }

  private readonly freeRunErrorListeners = new Set<(error: Error) => void>();

  onFreeRunError(listener: (error: Error) => void): () => void {
    this.freeRunErrorListeners.add(listener);
    return () => this.freeRunErrorListeners.delete(listener);
  }

  private armWatchdog(): void {
    if (this.watchdog) return;
    const seen = this.progress;
    this.watchdog = realSetTimeout(() => {
      this.watchdog = undefined;
      if (this.progress !== seen || !this.running()) {
        this.poke();
        return;
      }
      this.fail(
        new StallError(
          `The virtual clock waited ${this.stallTimeoutMs} ms of real time for an actor that never went back to sleep on it:`,
          this.actorStates(),
        ),
      );
      // Not unref'd: a stalled run must fail loudly, not let the process exit as if done.
    }, this.stallTimeoutMs);
  }

  private disarmWatchdog(): void {
    if (this.watchdog) realClearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.disarmWatchdog();
    if (this.pacer) realClearTimeout(this.pacer);
    for (const reject of this.failureWaiters) reject(error);
    this.failureWaiters.clear();
    for (const waiter of this.settleWaiters) waiter.reject(error);
    this.settleWaiters = [];
  }
}
