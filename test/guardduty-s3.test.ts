import { GetFindingsCommand, GuardDutyClient, ListDetectorsCommand, ListFindingsCommand, type Finding } from '@aws-sdk/client-guardduty';
import { DeleteObjectCommand, ListObjectVersionsCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator } from '../src/sim/index.js';
import { createGuardDutyModule, S3_DELETION_FINDING_TYPE } from '../src/sim/services/guardduty/index.js';
import { createIamModule } from '../src/sim/services/iam/index.js';
import { createS3Module, type S3Module } from '../src/sim/services/s3/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { clientConfigs } from './support/transport-extra.js';
import { ACCOUNT, EAST, START } from './support/sim.js';

const INTRUDER = 'AKIAINTRUDER00000001';
const ADMIN = 'AKIABACKUPADMIN00001';

async function setupOver(via: TransportHarness) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed: 11, services: [], identities: { [INTRUDER]: 'intruder', [ADMIN]: 'backup-admin' } });
  sim.world.register(createIamModule(sim.world));
  sim.world.register(createGuardDutyModule(sim.world));
  const s3 = sim.world.register(createS3Module(sim.world)).model as S3Module['model'];
  const objects = [{ key: 'exports/orders-2026-01-04.json', body: '{"orders":[]}' }];
  s3.seedBucket({ name: 'securecart-backup-exports', region: EAST, versioning: 'Enabled', tags: { app: 'securecart', purpose: 'backups' }, objects });
  s3.seedBucket({ name: 'securecart-invoices', region: EAST, versioning: 'Enabled', tags: { app: 'securecart' }, objects });
  const configs = clientConfigs(via);
  await configs.prepare(sim, clock);
  return {
    clock,
    s3As: (key: string) => new S3Client({ ...configs.config(sim, EAST, key), forcePathStyle: true }),
    guardduty: new GuardDutyClient(configs.config(sim, EAST)),
  };
}

type Setup = Awaited<ReturnType<typeof setupOver>>;

/** Try deleting the first object version of `bucket` as `key`; the error it was refused with. */
async function deleteVersion(w: Setup, bucket: string, key: string): Promise<S3ServiceException | undefined> {
  const { Versions } = await w.s3As(ADMIN).send(new ListObjectVersionsCommand({ Bucket: bucket }));
  const version = Versions![0]!;
  try {
    await w.s3As(key).send(new DeleteObjectCommand({ Bucket: bucket, Key: version.Key!, VersionId: version.VersionId! }));
    return undefined;
  } catch (error) {
    if (error instanceof S3ServiceException) return error;
    throw error;
  }
}

async function findings(w: Setup): Promise<Finding[]> {
  const { DetectorIds } = await w.guardduty.send(new ListDetectorsCommand({}));
  const DetectorId = DetectorIds![0]!;
  const { FindingIds } = await w.guardduty.send(new ListFindingsCommand({ DetectorId }));
  if (!FindingIds?.length) return [];
  return (await w.guardduty.send(new GetFindingsCommand({ DetectorId, FindingIds }))).Findings ?? [];
}

for (const transport of transports) {
  describe(`GuardDuty S3 Protection on the sim (${transport})`, () => {
    const via = useTransport(transport);

    it('raises Impact:S3/AnomalousBehavior.Delete, about the bucket, for a refused version deletion in a bucket of backups', async () => {
      const w = await setupOver(via);
      const refused = await deleteVersion(w, 'securecart-backup-exports', INTRUDER);
      expect(refused?.name).toBe('AccessDenied');
      const [finding, ...rest] = await findings(w);
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({
        Type: S3_DELETION_FINDING_TYPE,
        Severity: 8,
        Title: 'Anomalous S3 delete API calls were invoked on the bucket securecart-backup-exports.',
        Resource: {
          ResourceType: 'S3Bucket',
          AccessKeyDetails: { AccessKeyId: INTRUDER, UserName: 'intruder', UserType: 'AssumedRole' },
          S3BucketDetails: [
            { Arn: 'arn:aws:s3:::securecart-backup-exports', Name: 'securecart-backup-exports', Owner: { Id: ACCOUNT }, Tags: [{ Key: 'app', Value: 'securecart' }, { Key: 'purpose', Value: 'backups' }] },
          ],
        },
        Service: { Action: { ActionType: 'AWS_API_CALL', AwsApiCallAction: { Api: 'DeleteObject', ServiceName: 's3.amazonaws.com', ErrorCode: 'AccessDenied' } }, Count: 1 },
      });
      // A second attempt on the same bucket is the same finding, seen again.
      await deleteVersion(w, 'securecart-backup-exports', INTRUDER);
      const again = await findings(w);
      expect(again.map((f) => [f.Id, f.Service?.Count])).toEqual([[finding!.Id, 2]]);
      // Filtering by resource type finds it as an S3 finding.
      const { DetectorIds } = await w.guardduty.send(new ListDetectorsCommand({}));
      const byType = await w.guardduty.send(new ListFindingsCommand({ DetectorId: DetectorIds![0]!, FindingCriteria: { Criterion: { 'resource.resourceType': { Eq: ['S3Bucket'] } } } }));
      expect(byType.FindingIds).toEqual([finding!.Id]);
    });

    it('keeps the IAM finding for a bucket not tagged as holding backups, and raises none for an allowed deletion', async () => {
      const w = await setupOver(via);
      await deleteVersion(w, 'securecart-invoices', INTRUDER);
      expect((await findings(w)).map((f) => [f.Type, f.Resource?.ResourceType])).toEqual([['Impact:IAMUser/AnomalousBehavior', 'AccessKey']]);
      expect(await deleteVersion(w, 'securecart-backup-exports', ADMIN)).toBeUndefined();
      expect((await findings(w)).map((f) => f.Type)).toEqual(['Impact:IAMUser/AnomalousBehavior']);
    });
  });
}
