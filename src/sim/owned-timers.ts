import type { EpochMs, SchedulingClock, TimerHandle } from '../clock/types.js';

/** A resource that holds scheduled work (a status change, a job step), cancelled with it. */
export interface TimerOwner {
  timers: Set<TimerHandle>;
}

/** Schedule `task` at `at` on behalf of `owner`, which forgets the timer once it fires. */
export function scheduleOwned(clock: SchedulingClock, owner: TimerOwner, at: EpochMs, label: string, task: () => void): void {
  const handle = clock.schedule(
    at,
    () => {
      owner.timers.delete(handle);
      task();
    },
    label,
  );
  owner.timers.add(handle);
}

/** Cancel everything still scheduled for `owner` (it was deleted, or its work superseded). */
export function cancelOwned(clock: SchedulingClock, owner: TimerOwner): void {
  for (const handle of owner.timers) clock.cancel(handle);
  owner.timers.clear();
}
