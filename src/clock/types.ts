/** Epoch milliseconds. Virtual on the sim, wall time against AWS. */
export type EpochMs = number;

/** What harness code may ask of time. It never calls setTimeout or Date.now itself. */
export interface Clock {
  now(): EpochMs;
  /**
   * Resolve after `ms` of this clock's time. `reason` shows up in stall reports.
   * Once `signal` aborts (Ctrl-C), resolve at once instead, without the time
   * having passed: the caller looks at the signal when it wakes. Resolved,
   * not rejected, because most sleepers are background loops that nobody
   * awaits, and they already end on the signal.
   */
  sleep(ms: number, reason?: string, signal?: AbortSignal): Promise<void>;
  /**
   * Run `fn` as an actor: a background loop (probe, canary, scenario) whose
   * in-flight work the virtual clock waits for before it advances.
   */
  spawn<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Await a promise that only the clock's progress can settle (another actor,
   * a scheduled state change). The calling actor counts as waiting on the
   * clock meanwhile, so time may advance.
   */
  wait<T>(promise: Promise<T>, reason: string): Promise<T>;
  /**
   * Run `fn` as the main actor: on the virtual clock, time advances only
   * while some run is in progress (between cucumber steps it stands still).
   */
  run<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export interface TimerHandle {
  readonly id: number;
  readonly at: EpochMs;
}

/** A clock that sim models can put state changes on (an RDS failover completes at t+95 s). */
export interface SchedulingClock extends Clock {
  schedule(at: EpochMs, task: () => void, label?: string): TimerHandle;
  cancel(handle: TimerHandle): void;
}

/** `max` runs as fast as possible; a number paces virtual time at N× real time. */
export type Speed = 'max' | number;

export interface ActorState {
  name: string;
  state: 'running' | 'sleeping' | 'waiting';
  /** What it sleeps or waits for, or what it last said it was doing. */
  reason: string;
  /** Real milliseconds since the actor entered this state. */
  forMs: number;
}
