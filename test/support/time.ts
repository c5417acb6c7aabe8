/** Durations in milliseconds, as the virtual clock and the sim count them: one definition for every test file. */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
