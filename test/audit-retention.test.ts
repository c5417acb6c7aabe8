import { CloudTrailClient, LookupEventsCommand, paginateLookupEvents, type Event } from '@aws-sdk/client-cloudtrail';
import { DeleteDBSnapshotCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator, simClientConfig } from '../src/sim/index.js';
import { createCloudTrailModule } from '../src/sim/services/cloudtrail/index.js';
import { createGuardDutyModule } from '../src/sim/services/guardduty/index.js';
import { createIamModule, type IamModule } from '../src/sim/services/iam/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import { RETENTION_MS } from '../src/sim/world.js';
import { START } from './support/sim.js';

/**
 * A server that runs for days keeps what CloudTrail's event history keeps
 * (90 days) and at most a bounded number of calls, dropping the oldest
 * first; what is kept per request (the request's parameters, a refusal)
 * goes with its record, and LookupEvents pages on across drops.
 */

const DAY = 86_400_000;
const INTRUDER = 'AKIAINTRUDER00000001';

function world(auditLimit: number) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({
    clock,
    seed: 1,
    auditLimit,
    services: [createCloudTrailModule, createRdsModule, createGuardDutyModule, (w) => createIamModule(w)],
    identities: { [INTRUDER]: 'intruder' },
  });
  sim.world.module<RdsModule>('rds').model.seedInstance({ identifier: 'orders-db', region: 'us-east-1' });
  const rds = new RDSClient(simClientConfig(sim, 'us-east-1'));
  const cloudtrail = new CloudTrailClient(simClientConfig(sim, 'us-east-1'));
  return { clock, sim, rds, cloudtrail };
}

describe('the audit trail of a long-running sim', () => {
  it('keeps at most its limit, dropping the oldest calls first, and numbers calls for good', async () => {
    const { sim, rds } = world(100);
    for (let i = 0; i < 250; i++) await rds.send(new DescribeDBInstancesCommand({}));
    const audit = sim.world.audit;
    expect(audit.length).toBeLessThanOrEqual(100);
    expect(audit.length).toBeGreaterThanOrEqual(95);
    expect(audit.at(-1)!.seq).toBe(250);
    // Oldest first and contiguous: nothing but the oldest went.
    expect(audit.map((r) => r.seq)).toEqual(Array.from({ length: audit.length }, (_, i) => 251 - audit.length + i));
  });

  it('drops what is older than 90 days of virtual time, whatever the count', async () => {
    const { sim, rds, clock } = world(10_000);
    for (let i = 0; i < 5; i++) await rds.send(new DescribeDBInstancesCommand({}));
    await clock.advance(RETENTION_MS - DAY);
    await rds.send(new DescribeDBInstancesCommand({}));
    expect(sim.world.audit).toHaveLength(6);
    await clock.advance(2 * DAY);
    await rds.send(new DescribeDBInstancesCommand({}));
    expect(sim.world.audit.map((r) => r.seq)).toEqual([6, 7]);
  });

  it('LookupEvents pages on across drops, newest first, and answers what is kept', async () => {
    const { sim, rds, cloudtrail } = world(60);
    for (let i = 0; i < 40; i++) await rds.send(new DescribeDBInstancesCommand({}));
    const first = await cloudtrail.send(new LookupEventsCommand({ MaxResults: 10 }));
    expect(first.Events).toHaveLength(10);
    // Calls keep coming (the lookups themselves are calls too) and the oldest are dropped meanwhile.
    for (let i = 0; i < 30; i++) await rds.send(new DescribeDBInstancesCommand({}));
    const second = await cloudtrail.send(new LookupEventsCommand({ MaxResults: 10, NextToken: first.NextToken }));
    const ids = (events: Event[] | undefined) => (events ?? []).map((e) => e.EventId);
    // The second page goes on below the first: older calls, none repeated.
    expect(second.Events).toHaveLength(10);
    expect(ids(second.Events).some((id) => ids(first.Events).includes(id))).toBe(false);
    const seqOf = (id: string | undefined) => sim.world.audit.find((r) => r.eventId === id)?.seq ?? 0;
    expect(Math.max(...ids(second.Events).map(seqOf))).toBeLessThan(Math.min(...ids(first.Events).map(seqOf).filter((s) => s > 0)));
    // Everything LookupEvents lists is in the trail, and the trail is what it can list.
    const all: Event[] = [];
    for await (const page of paginateLookupEvents({ client: cloudtrail }, {})) all.push(...(page.Events ?? []));
    expect(all.length).toBeGreaterThan(0);
    expect(all.length).toBeLessThanOrEqual(60);
    expect(all.every((e) => sim.world.audit.some((r) => r.eventId === e.EventId))).toBe(true);
  });

  it('lets a refusal go with its call: IAM keeps no denial the trail has dropped', async () => {
    const { sim, rds } = world(20);
    const intruder = new RDSClient(simClientConfig(sim, 'us-east-1', INTRUDER));
    await intruder.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: 'awsbackup:job-00000000-0000-0000-0000-000000000000' })).catch(() => undefined);
    const iam = sim.world.module<IamModule>('iam');
    const kept = iam.denials().length;
    expect(kept).toBe(1);
    for (let i = 0; i < 40; i++) await rds.send(new DescribeDBInstancesCommand({}));
    expect(iam.denials()).toHaveLength(0);
  });
});
