import { onAbort } from './on-abort.js';
import type { Clock, EpochMs } from './types.js';

/**
 * Wall time, for the `aws` target. This is the edge where real time enters:
 * the only place outside tests that reads the system clock.
 */
export class RealClock implements Clock {
  now(): EpochMs {
    return Date.now();
  }

  sleep(ms: number, _reason?: string, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const wake = () => {
        clearTimeout(timer);
        forget?.();
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      const forget = signal ? onAbort(signal, wake) : undefined;
    });
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
