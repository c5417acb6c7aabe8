/** AWS Backup's defaults, limits and name shapes that model.ts, jobs.ts and seeding.ts share. */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** AWS Backup's defaults for a rule that does not say. */
export const DEFAULT_SCHEDULE = 'cron(0 5 ? * * *)';
export const DEFAULT_START_WINDOW_MINUTES = 480;
/** How long an IdempotencyToken names the same job. */
export const IDEMPOTENCY_MS = 15 * MINUTE_MS;

export const roleArnPattern = /^arn:aws:iam::\d{12}:role\/.+$/;
export const vaultArnPattern = /^arn:aws:backup:([a-z0-9-]+):(\d{12}):backup-vault:([a-zA-Z0-9\-_]{2,50})$/;
