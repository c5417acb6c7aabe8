import type { CanaryHandle, CanaryWrite, ScenarioContext } from './scenario.js';

/**
 * Write sequence-numbered orders at an interval, as an actor, to wherever the
 * database alias's data lives now (after a promotion, the new primary: the
 * application reconnects there too).
 */
export function startCanary(ctx: ScenarioContext, database: string, intervalSeconds: number): CanaryHandle {
  const writes: CanaryWrite[] = [];
  const store = ctx.target.orders;
  let stopped = false;
  const handle: CanaryHandle = {
    database,
    intervalSeconds,
    writes,
    stop: () => {
      stopped = true;
    },
  };
  ctx.canaries.set(database, handle);
  void ctx.clock.spawn(`canary:${database}`, async () => {
    for (let seq = 1; !stopped; seq++) {
      const at = ctx.clock.now();
      const result = await store.write(ctx.database(ctx.current(database)), seq);
      writes.push({ seq, at, ok: result.ok });
      ctx.emit({ kind: 'canary.write', detail: { canary: database, seq, ok: result.ok, ...(result.ok ? {} : { error: result.error }) } });
      await ctx.clock.sleep(intervalSeconds * 1000, 'until the next order');
    }
  });
  return handle;
}

export interface Loss {
  /** Acknowledged writes missing from the database now. */
  lost: number[];
  survived: number;
  /** Fault instant − the newest surviving acknowledged write at or before it; 0 when nothing was lost. */
  windowSeconds: number;
}

/** Read back what survived and measure the data-loss window against the fault instant. */
export async function measureLoss(ctx: ScenarioContext, canary: CanaryHandle, faultAt: number): Promise<Loss> {
  canary.stop();
  const present = new Set(await ctx.target.orders.readBack(ctx.database(ctx.current(canary.database))));
  const acknowledged = canary.writes.filter((w) => w.ok);
  const lost = acknowledged.filter((w) => !present.has(w.seq)).map((w) => w.seq);
  const survivedBefore = acknowledged.filter((w) => w.at <= faultAt && present.has(w.seq));
  const lostBefore = acknowledged.some((w) => w.at <= faultAt && !present.has(w.seq));
  const newest = survivedBefore.at(-1);
  const windowSeconds = lostBefore ? (faultAt - (newest?.at ?? canary.writes[0]?.at ?? faultAt)) / 1000 : 0;
  ctx.emit({ kind: 'canary.readback', detail: { canary: canary.database, written: acknowledged.length, survived: acknowledged.length - lost.length, lost } });
  return { lost, survived: acknowledged.length - lost.length, windowSeconds };
}
