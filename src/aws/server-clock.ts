/**
 * How far AWS's clock is from the runner's, from the `Date` header of its
 * responses: every instant a measurement uses is on the runner's clock, and
 * times AWS reports (an FIS action's startTime, a latest restorable time)
 * are converted with this. A Date header has one-second resolution, so each
 * response bounds the offset to an interval; the intervals of many responses
 * narrow it (NTP's idea, without its filters).
 */
export class ServerClock {
  /** Each response's bounds on the offset (server time − runner time), and when it came, newest last. */
  private readonly samples: { low: number; high: number; at: number }[] = [];

  /** How long a response's bounds count: clocks drift apart (sim serve at --speed N by N − 1 seconds a second). */
  static readonly WINDOW_MS = 10_000;

  /** A response whose Date header says `date`, to a request sent at `sentAt` and answered at `receivedAt` (runner's clock). */
  observe(date: string, sentAt: number, receivedAt: number): void {
    const server = Date.parse(date);
    if (Number.isNaN(server)) return;
    // The server stamped the response between the send and the receipt, at some instant in [server, server + 1 s).
    this.samples.push({ low: server - receivedAt, high: server + 1000 - sentAt, at: receivedAt });
    while (this.samples.length > 0 && this.samples[0]!.at < receivedAt - ServerClock.WINDOW_MS) this.samples.shift();
  }

  /**
   * Server time − runner time in ms, or undefined before any response: the
   * middle of what the recent responses agree on; the newest response's own
   * middle where they do not (the clocks moved, or run at different rates).
   */
  get offsetMs(): number | undefined {
    const newest = this.samples.at(-1);
    if (!newest) return undefined;
    const low = Math.max(...this.samples.map((s) => s.low));
    const high = Math.min(...this.samples.map((s) => s.high));
    return low <= high ? (low + high) / 2 : (newest.low + newest.high) / 2;
  }

  /** An instant AWS reported, on the runner's clock. */
  toRunner(serverMs: number): number {
    return Math.round(serverMs - (this.offsetMs ?? 0));
  }

  /** An instant on the runner's clock, as AWS's clock reads it (a point-in-time restore's target). */
  toServer(runnerMs: number): number {
    return Math.round(runnerMs + (this.offsetMs ?? 0));
  }
}

/**
 * SDK middleware that shows every response's Date header to `observe`,
 * errors included (their `$response`): add it to a client before its first
 * call (clients cache their middleware stacks).
 */
export function dateHeaderMiddleware(now: () => number, observe: (date: string, sentAt: number, receivedAt: number) => void) {
  return (next: (args: unknown) => Promise<{ response: unknown }>) => async (args: unknown) => {
    const sentAt = now();
    const seen = (response: unknown) => {
      const headers = (response as { headers?: Record<string, string> } | undefined)?.headers;
      const date = headers?.['date'] ?? headers?.['Date'];
      if (date) observe(date, sentAt, now());
    };
    try {
      const result = await next(args);
      seen(result.response);
      return result;
    } catch (error) {
      seen((error as { $response?: unknown }).$response);
      throw error;
    }
  };
}
