import {
  BadRequestException,
  GetDetectorCommand,
  GetFindingsCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  ListFindingsCommand,
  paginateListFindings,
} from '@aws-sdk/client-guardduty';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator } from '../src/sim/index.js';
import { createGuardDutyModule } from '../src/sim/services/guardduty/index.js';
import { createIamModule } from '../src/sim/services/iam/index.js';
import type { AuthorizationRequest } from '../src/sim/types.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { clientConfigs } from './support/transport-extra.js';
import { MINUTE } from './support/time.js';
import { ACCOUNT, START } from './support/sim.js';

const INTRUDER = 'AKIAINTRUDER00000001';
const OTHER = 'AKIAOTHERINTRUDER001';

async function setupOver(via: TransportHarness) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed: 7, services: [], identities: { [INTRUDER]: 'intruder', [OTHER]: 'contractor' } });
  const guardduty = sim.world.register(createGuardDutyModule(sim.world));
  const iam = sim.world.register(createIamModule(sim.world));
  const configs = clientConfigs(via);
  await configs.prepare(sim, clock);
  const client = (region = 'us-east-1') => new GuardDutyClient(configs.config(sim, region));
  /** A refused EC2 snapshot deletion, which raises a finding. */
  const refuseSnapshotDeletion = (snapshotId: string, key = INTRUDER, region = 'us-east-1') => {
    const request: AuthorizationRequest = {
      service: 'ec2',
      operation: 'DeleteSnapshot',
      request: { method: 'POST', path: '/', query: {}, headers: {}, body: Buffer.from(`Action=DeleteSnapshot&SnapshotId=${snapshotId}`) },
      ctx: { region, accountId: ACCOUNT, identity: sim.world.identityOf(key), requestId: `r-${snapshotId}`, world: sim.world },
    };
    return iam.authorize(request);
  };
  return { clock, sim, guardduty, client, refuseSnapshotDeletion };
}

async function detectorOf(client: GuardDutyClient): Promise<string> {
  const ids = (await client.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

describe.each(transports)('GuardDuty over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = () => setupOver(via);

  describe('GuardDuty detectors', () => {
    it('has one enabled detector per region, there from the start', async () => {
      const { client, clock } = await setup();
      await clock.advance(30 * MINUTE);
      const east = await detectorOf(client());
      const west = await detectorOf(client('us-west-2'));
      expect(east).not.toBe(west);
      const detector = await client().send(new GetDetectorCommand({ DetectorId: east }));
      expect(detector).toMatchObject({
        Status: 'ENABLED',
        CreatedAt: new Date(START).toISOString(),
        FindingPublishingFrequency: 'SIX_HOURS',
        ServiceRole: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
        DataSources: { CloudTrail: { Status: 'ENABLED' } },
      });
      expect(detector.Features?.[0]).toMatchObject({ Name: 'CLOUD_TRAIL', Status: 'ENABLED', UpdatedAt: new Date(START) });
    });

    it('refuses a detector of another region or account as BadRequestException', async () => {
      const { client } = await setup();
      const east = await detectorOf(client());
      const error = await client('us-west-2').send(new GetDetectorCommand({ DetectorId: east })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestException);
      expect(error).toMatchObject({ message: expect.stringContaining('not owned by the current account'), $metadata: { httpStatusCode: 400 } });
    });
  });

  describe('GuardDuty findings', () => {
    it('filters by type and severity, sorts, and pages', async () => {
      const { client, clock, refuseSnapshotDeletion, guardduty } = await setup();
      for (const [i, key] of [INTRUDER, OTHER, INTRUDER].entries()) {
        refuseSnapshotDeletion(`snap-00000000000000${i}`, key);
        await clock.advance(MINUTE);
      }
      refuseSnapshotDeletion('snap-west', INTRUDER, 'us-west-2');
      const gd = client();
      const DetectorId = await detectorOf(gd);
      const all = guardduty.findings('us-east-1').map((f) => f.id);
      expect(all).toHaveLength(3);

      const high = await gd.send(new ListFindingsCommand({ DetectorId, FindingCriteria: { Criterion: { severity: { Gte: 7 } } } }));
      expect(high.FindingIds).toEqual(all);
      const low = await gd.send(new ListFindingsCommand({ DetectorId, FindingCriteria: { Criterion: { severity: { Lt: 4 } } } }));
      expect(low.FindingIds).toEqual([]);
      const byType = await gd.send(new ListFindingsCommand({ DetectorId, FindingCriteria: { Criterion: { type: { Neq: ['Impact:IAMUser/AnomalousBehavior'] } } } }));
      expect(byType.FindingIds).toEqual([]);
      const contractor = await gd.send(
        new ListFindingsCommand({ DetectorId, FindingCriteria: { Criterion: { 'resource.accessKeyDetails.userName': { Equals: ['contractor'] } } } }),
      );
      expect(contractor.FindingIds).toEqual([all[1]]);

      const wildcard = await gd.send(
        new ListFindingsCommand({ DetectorId, FindingCriteria: { Criterion: { 'service.action.awsApiCallAction.api': { Matches: ['Delete*'] }, type: { NotMatches: ['Recon:*'] } } } }),
      );
      expect(wildcard.FindingIds).toEqual(all);

      const newest = await gd.send(new ListFindingsCommand({ DetectorId, SortCriteria: { AttributeName: 'createdAt', OrderBy: 'DESC' } }));
      expect(newest.FindingIds).toEqual([...all].reverse());

      const pages: string[][] = [];
      for await (const page of paginateListFindings({ client: gd, pageSize: 2 }, { DetectorId })) pages.push(page.FindingIds ?? []);
      expect(pages).toEqual([all.slice(0, 2), all.slice(2)]);

      const fetched = await gd.send(new GetFindingsCommand({ DetectorId, FindingIds: [all[2]!, 'f'.repeat(32), all[0]!] }));
      expect(fetched.Findings?.map((f) => f.Id)).toEqual([all[0], all[2]]);
      expect(fetched.Findings?.[0]?.Service?.EventFirstSeen).toBe(new Date(START).toISOString());

      const west = client('us-west-2');
      const westIds = (await west.send(new ListFindingsCommand({ DetectorId: await detectorOf(west) }))).FindingIds;
      expect(westIds).toHaveLength(1);
    });

    it('refuses bad criteria, sizes and tokens as BadRequestException', async () => {
      const { client } = await setup();
      const gd = client();
      const DetectorId = await detectorOf(gd);
      const attempts = [
        new ListFindingsCommand({ DetectorId, MaxResults: 51 }),
        new ListFindingsCommand({ DetectorId, NextToken: 'not-a-token' }),
        new ListFindingsCommand({ DetectorId, FindingCriteria: { Criterion: { 'no.such.attribute': { Eq: ['x'] } } } }),
        new ListFindingsCommand({ DetectorId, SortCriteria: { AttributeName: 'colour' } }),
        new ListFindingsCommand({ DetectorId: '0'.repeat(32) }),
      ];
      for (const attempt of attempts) {
        await expect(gd.send(attempt)).rejects.toBeInstanceOf(BadRequestException);
      }
    });
  });
});
