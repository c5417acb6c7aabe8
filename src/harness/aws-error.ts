/** An AWS SDK error's code (its exception name), for evidence and messages. */
export function errorCode(error: unknown): string {
  const named = error as { name?: string; Code?: string };
  return named.Code ?? named.name ?? String(error);
}

/** Codes that say the endpoint does not serve the operation at all (an emulator, a region without the service), not that the request is wrong. */
const NOT_SERVED = new Set(['InvalidAction', 'UnknownOperationException', 'UnsupportedOperation', 'NotImplemented', 'UnknownOperation']);

/** The error's code where it says the operation is not served here; undefined for any other error. */
export function notServedCode(error: unknown): string | undefined {
  const code = (error as { name?: string }).name ?? '';
  return NOT_SERVED.has(code) ? code : undefined;
}
