/** An AWS SDK error's code (its exception name), for evidence and messages. */
export function errorCode(error: unknown): string {
  const named = error as { name?: string; Code?: string };
  return named.Code ?? named.name ?? String(error);
}
