/**
 * Errors that end a run with a documented exit code (DESIGN §7). Only the CLI's
 * top-level handler turns them into exit codes.
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  badInput: 2,
  refusedBySafetyGuard: 3,
  targetUnavailable: 4,
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Bad input: env file, feature syntax, undefined step, unknown alias, CLI flags. Message names file:line where there is one. */
export class BadInputError extends Error {
  // string, not the literal: subclasses (EnvironmentError, UnknownAliasError) name themselves.
  override readonly name: string = 'BadInputError';
  readonly code = 'BAD_INPUT';
}

/** A safety guard refused to go on (wrong account, …). */
export class SafetyGuardError extends Error {
  override readonly name: string = 'SafetyGuardError';
  readonly code = 'SAFETY_GUARD';
}

/**
 * AWS could not be asked what the run must know before it starts (the
 * account, the tags the guard reads): unreachable, throttled, an outage.
 * Nothing was changed; the run did not start. Not a scenario's failure.
 */
export class TargetUnavailableError extends Error {
  override readonly name: string = 'TargetUnavailableError';
  readonly code = 'TARGET_UNAVAILABLE';
}

export function exitCodeOf(error: unknown): ExitCodeValue {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'BAD_INPUT') return ExitCode.badInput;
  if (code === 'SAFETY_GUARD') return ExitCode.refusedBySafetyGuard;
  if (code === 'TARGET_UNAVAILABLE') return ExitCode.targetUnavailable;
  return ExitCode.failed;
}
