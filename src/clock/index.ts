export type { ActorState, Clock, EpochMs, SchedulingClock, Speed, TimerHandle } from './types.js';
export { RealClock } from './real-clock.js';
export { LoopLimitError, StallError, VirtualClock, type VirtualClockOptions } from './virtual-clock.js';
