import type { DatabaseRef, SimControl } from '../harness/target.js';
import type { Simulator } from '../sim/index.js';
import type { RdsModel } from '../sim/services/rds/index.js';

/**
 * Ground truth from the sim's own state: writability of every RDS database,
 * re-evaluated after each state change (state only changes on events).
 */
export class SimTruth implements SimControl {
  /** "region/identifier" → [instant, writable] transitions. */
  private readonly history = new Map<string, [number, boolean][]>();

  constructor(
    readonly seed: number,
    sim: Simulator,
    private readonly rds: RdsModel,
    regions: readonly string[],
  ) {
    const observe = () => {
      const now = sim.world.clock.now();
      for (const region of regions) {
        for (const instance of rds.instancesIn(region)) this.note(`${region}/${instance.id}`, now, rds.isWritable(region, instance.id));
      }
    };
    observe();
    // After the event's task has finished mutating state: same virtual instant, next microtask.
    sim.world.onEvent(() => queueMicrotask(observe));
  }

  private note(key: string, at: number, writable: boolean): void {
    let transitions = this.history.get(key);
    if (!transitions) this.history.set(key, (transitions = []));
    if (transitions.at(-1)?.[1] !== writable) transitions.push([at, writable]);
  }

  writableFrom(db: DatabaseRef, since: number): number | undefined {
    const transitions = this.history.get(`${db.region}/${db.identifier}`) ?? [];
    const last = transitions.at(-1);
    if (!last?.[1]) return undefined;
    return Math.max(last[0], since);
  }

  lossWindowSeconds(original: DatabaseRef, current: DatabaseRef, faultAt: number): number {
    const before = this.rds.writesOf(original.region, original.identifier).filter((w) => w.committedAt <= faultAt);
    const survived = new Set(this.rds.writesOf(current.region, current.identifier).map((w) => `${w.origin}#${w.seq}`));
    const kept = before.filter((w) => survived.has(`${w.origin}#${w.seq}`));
    if (kept.length === before.length) return 0;
    const newest = kept.at(-1)?.committedAt ?? before[0]?.committedAt ?? faultAt;
    return (faultAt - newest) / 1000;
  }
}
