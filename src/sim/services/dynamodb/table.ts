import type { EpochMs, TimerHandle } from '../../../clock/types.js';
import type { Rng } from '../../types.js';
import type { ItemStore } from './item-store.js';
import type { BillingMode, GlobalTableGroup, KeySchema, PitrState, RestoreInfo, TableStatus, Throughput } from './types.js';

/** One regional table (a global table has one per replica region, sharing `group`). */
export interface Table {
  readonly name: string;
  readonly region: string;
  readonly arn: string;
  readonly id: string;
  status: TableStatus;
  readonly createdAt: EpochMs;
  readonly keySchema: KeySchema;
  billingMode: BillingMode;
  /** Set for provisioned tables; kept after a switch to on-demand, as DynamoDB reports zeros then. */
  provisioned?: Throughput;
  lastUpdateToPayPerRequest?: EpochMs;
  deletionProtection: boolean;
  tags: Record<string, string>;
  readonly store: ItemStore;
  pitr: PitrState;
  restore?: RestoreInfo;
  group?: GlobalTableGroup;
  /** Size of the production table this one stands for, for size-dependent durations. */
  nominalSizeBytes?: number;
  /** This table's own random stream (durations), forked from the world's by ARN. */
  readonly rng: Rng;
  /** The scheduled end of the current transition (CREATING → ACTIVE and the like). */
  transition?: TimerHandle;
}

/** Item operations reach a table only while it is ACTIVE or UPDATING; CREATING and DELETING tables are "not found". */
export function isServing(table: Table): boolean {
  return table.status === 'ACTIVE' || table.status === 'UPDATING';
}

/** Where a table's size sits between 1 MiB (0) and 1 TiB (1), on a log scale, for size-dependent durations. */
export function tableSizeScale(bytes: number): number {
  const lo = Math.log(1024 * 1024);
  const hi = Math.log(1024 ** 4);
  return Math.min(1, Math.max(0, (Math.log(Math.max(1, bytes)) - lo) / (hi - lo)));
}

export function effectiveSizeBytes(table: Table): number {
  return Math.max(table.nominalSizeBytes ?? 0, table.store.sizeBytes);
}
