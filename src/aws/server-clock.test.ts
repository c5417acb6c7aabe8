import { describe, expect, it } from 'vitest';
import { ServerClock } from './server-clock.js';

/** A response from a server whose clock reads `serverNow(t)` at runner time t, sent at t and answered `rtt` ms later. */
function respond(clock: ServerClock, serverNow: (t: number) => number, t: number, rtt = 40): void {
  const stamped = serverNow(t + rtt / 2);
  // HTTP dates have whole seconds, truncated.
  clock.observe(new Date(Math.floor(stamped / 1000) * 1000).toUTCString(), t, t + rtt);
}

describe('ServerClock', () => {
  const runner0 = Date.UTC(2026, 11, 7, 12, 0, 0);

  it('knows nothing before a response, and converts nothing then', () => {
    const clock = new ServerClock();
    expect(clock.offsetMs).toBeUndefined();
    expect(clock.toRunner(runner0)).toBe(runner0);
  });

  it('narrows a steady offset to well under the Date header’s second from a few responses', () => {
    const clock = new ServerClock();
    const offset = -337_000_123; // the server's clock runs almost four days behind
    for (let i = 0; i < 12; i++) respond(clock, (t) => t + offset, runner0 + i * 737);
    expect(Math.abs(clock.offsetMs! - offset)).toBeLessThan(150);
    // An FIS action that started at server time S started at S − offset on the runner's clock.
    expect(Math.abs(clock.toRunner(runner0 + offset + 5000) - (runner0 + 5000))).toBeLessThan(150);
    expect(Math.abs(clock.toServer(runner0) - (runner0 + offset))).toBeLessThan(150);
  });

  it('follows a server whose clock runs at another rate (sim serve at --speed 20) by its newest responses', () => {
    const clock = new ServerClock();
    const serverNow = (t: number) => runner0 + (t - runner0) * 20;
    for (let i = 0; i < 40; i++) respond(clock, serverNow, runner0 + i * 500);
    const now = runner0 + 39 * 500;
    const truth = serverNow(now) - now;
    expect(Math.abs(clock.offsetMs! - truth)).toBeLessThan(1000 + 20 * 40);
  });

  it('starts again when the server’s clock jumps (an NTP step, POST /_gameday/clock)', () => {
    const clock = new ServerClock();
    for (let i = 0; i < 5; i++) respond(clock, (t) => t, runner0 + i * 1000);
    for (let i = 5; i < 8; i++) respond(clock, (t) => t + 3_600_000, runner0 + i * 1000);
    expect(Math.abs(clock.offsetMs! - 3_600_000)).toBeLessThan(1000);
  });
});
