import type { Clock, EpochMs } from './types.js';

/**
 * Wall time, for the `aws` target. This is the edge where real time enters:
 * the only place outside tests that reads the system clock.
 */
export class RealClock implements Clock {
  now(): EpochMs {
    return Date.now();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }

  spawn<T>(_name: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  wait<T>(promise: Promise<T>): Promise<T> {
    return promise;
  }

  run<T>(_name: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}
