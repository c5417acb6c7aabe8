import {
  CloudTrailClient,
  InvalidEventCategoryException,
  InvalidLookupAttributesException,
  InvalidMaxResultsException,
  InvalidNextTokenException,
  InvalidTimeRangeException,
  LookupEventsCommand,
  paginateLookupEvents,
  type Event,
  type LookupEventsCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { CreateDBSnapshotCommand, DeleteDBSnapshotCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator, SIM_RUNNER_KEY, type ServiceFactory } from '../src/sim/index.js';
import { createCloudTrailModule, type CloudTrailModule } from '../src/sim/services/cloudtrail/index.js';
import { createGuardDutyModule } from '../src/sim/services/guardduty/index.js';
import { createIamModule } from '../src/sim/services/iam/index.js';
import { createRdsModule, type RdsModule } from '../src/sim/services/rds/index.js';
import { createStsModule } from '../src/sim/services/sts/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { clientConfigs } from './support/transport-extra.js';
import { MINUTE } from './support/time.js';
import { ACCOUNT, START } from './support/sim.js';

const INTRUDER = 'AKIAINTRUDER00000001';
const ADMIN = 'AKIABACKUPADMIN00001';
const SNAPSHOT = 'orders-before-release';

/**
 * A short game day: the runner snapshots orders-db, an intruder checks who
 * it is and tries to delete the snapshot, backup-admin deletes it, and
 * someone looks at us-west-2.
 */
async function scenarioOver(via: TransportHarness, options: { cloudTrailFirst?: boolean } = {}) {
  const clock = new VirtualClock({ start: START });
  const cloudTrailFirst = options.cloudTrailFirst ?? true;
  const services: ServiceFactory[] = [createRdsModule, createStsModule, createGuardDutyModule, (world) => createIamModule(world)];
  if (cloudTrailFirst) services.unshift(createCloudTrailModule);
  else services.push(createCloudTrailModule);
  const sim = createSimulator({ clock, seed: 42, services, identities: { [INTRUDER]: 'intruder', [ADMIN]: 'backup-admin' } });
  sim.world.module<RdsModule>('rds').model.seedInstance({ identifier: 'orders-db', region: 'us-east-1' });
  const configs = clientConfigs(via);
  await configs.prepare(sim, clock);
  const rds = (key?: string, region = 'us-east-1') => new RDSClient(configs.config(sim, region, key));

  await rds().send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-db', DBSnapshotIdentifier: SNAPSHOT }));
  await clock.advance(10 * MINUTE);
  await new STSClient(configs.config(sim, 'us-east-1', INTRUDER)).send(new GetCallerIdentityCommand({}));
  await clock.advance(10 * MINUTE);
  await rds(INTRUDER).send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: SNAPSHOT })).catch(() => undefined);
  await clock.advance(MINUTE);
  await rds(ADMIN).send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: SNAPSHOT }));
  await rds(SIM_RUNNER_KEY, 'us-west-2').send(new DescribeDBInstancesCommand({}));
  await clock.advance(MINUTE);

  const cloudtrail = new CloudTrailClient(configs.config(sim, 'us-east-1'));
  const lookup = async (input: LookupEventsCommandInput = {}) => (await cloudtrail.send(new LookupEventsCommand(input))).Events ?? [];
  return { clock, sim, cloudtrail, lookup, module: sim.world.module<CloudTrailModule>('cloudtrail') };
}

const names = (events: Event[]) => events.map((e) => e.EventName);
const record = (event: Event | undefined): Record<string, unknown> => JSON.parse(event?.CloudTrailEvent ?? 'null') as Record<string, unknown>;

describe.each(transports)('CloudTrail over the %s transport', (transport) => {
  const via = useTransport(transport);
  const scenario = (options?: { cloudTrailFirst?: boolean }) => scenarioOver(via, options);

  describe('CloudTrail LookupEvents over the audit trail', () => {
    it('lists the region’s events newest first, with CloudTrail’s record for each', async () => {
      const { lookup } = await scenario();
      const events = await lookup();
      expect(names(events)).toEqual(['DeleteDBSnapshot', 'DeleteDBSnapshot', 'GetCallerIdentity', 'CreateDBSnapshot']);
      const [allowed, refused] = events;
      expect(refused).toMatchObject({
        EventSource: 'rds.amazonaws.com',
        ReadOnly: 'false',
        AccessKeyId: INTRUDER,
        Username: 'gameday',
        EventTime: new Date(START + 20 * MINUTE),
        Resources: [{ ResourceType: 'AWS::RDS::DBSnapshot', ResourceName: SNAPSHOT }],
      });
      expect(record(refused)).toMatchObject({
        eventVersion: '1.09',
        userIdentity: {
          type: 'AssumedRole',
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/intruder/gameday`,
          accountId: ACCOUNT,
          accessKeyId: INTRUDER,
          principalId: expect.stringMatching(/^AROA[A-Z2-7]{17}:gameday$/),
          sessionContext: {
            sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/intruder`, userName: 'intruder', accountId: ACCOUNT },
            attributes: { creationDate: '2026-01-05T09:10:00Z', mfaAuthenticated: 'false' },
          },
        },
        eventTime: '2026-01-05T09:20:00Z',
        eventSource: 'rds.amazonaws.com',
        eventName: 'DeleteDBSnapshot',
        awsRegion: 'us-east-1',
        sourceIPAddress: '127.0.0.1',
        userAgent: expect.stringContaining('aws-sdk-js'),
        errorCode: 'AccessDenied',
        errorMessage: expect.stringContaining('is not authorized to perform: rds:DeleteDBSnapshot'),
        requestParameters: { dBSnapshotIdentifier: SNAPSHOT },
        responseElements: null,
        readOnly: false,
        eventType: 'AwsApiCall',
        managementEvent: true,
        eventCategory: 'Management',
        recipientAccountId: ACCOUNT,
      });
      expect(record(refused)['eventID']).toBe(refused?.EventId);
      expect(record(refused)['requestID']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(record(allowed)).not.toHaveProperty('errorCode');
      expect(record(allowed)['userIdentity']).toMatchObject({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/backup-admin/gameday` });
    });

    it.each([
      ['EventName', 'DeleteDBSnapshot', ['DeleteDBSnapshot', 'DeleteDBSnapshot']],
      ['EventSource', 'sts.amazonaws.com', ['GetCallerIdentity']],
      ['ResourceName', SNAPSHOT, ['DeleteDBSnapshot', 'DeleteDBSnapshot', 'CreateDBSnapshot']],
      ['ResourceType', 'AWS::RDS::DBSnapshot', ['DeleteDBSnapshot', 'DeleteDBSnapshot', 'CreateDBSnapshot']],
      ['AccessKeyId', INTRUDER, ['DeleteDBSnapshot', 'GetCallerIdentity']],
      ['Username', 'gameday', ['DeleteDBSnapshot', 'DeleteDBSnapshot', 'GetCallerIdentity', 'CreateDBSnapshot']],
      ['Username', 'intruder', []],
      ['ReadOnly', 'true', ['GetCallerIdentity']],
      ['ReadOnly', 'false', ['DeleteDBSnapshot', 'DeleteDBSnapshot', 'CreateDBSnapshot']],
    ] as const)('filters on %s = %s', async (key, value, expected) => {
      const { lookup } = await scenario();
      expect(names(await lookup({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] }))).toEqual(expected);
    });

    it('finds one event by its id, and keeps regions apart', async () => {
      const { lookup, sim, clock } = await scenario();
      const [latest] = await lookup();
      const byId = await lookup({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: latest!.EventId! }] });
      expect(byId.map((e) => e.EventId)).toEqual([latest!.EventId]);
      const west = await new CloudTrailClient(await via.config(sim, clock, 'us-west-2')).send(new LookupEventsCommand({}));
      expect(names(west.Events ?? [])).toEqual(['DescribeDBInstances']);
    });

    it('bounds by StartTime and EndTime, both inclusive', async () => {
      const { lookup } = await scenario();
      const between = await lookup({ StartTime: new Date(START + 10 * MINUTE), EndTime: new Date(START + 20 * MINUTE) });
      expect(names(between)).toEqual(['DeleteDBSnapshot', 'GetCallerIdentity']);
      // The LookupEvents call just made is in the trail too.
      expect(names(await lookup({ StartTime: new Date(START + 20 * MINUTE + 1000) }))).toEqual(['LookupEvents', 'DeleteDBSnapshot']);
      expect(names(await lookup({ EndTime: new Date(START + 5 * MINUTE) }))).toEqual(['CreateDBSnapshot']);
    });

    it('pages with MaxResults and NextToken, unshaken by the LookupEvents calls recorded meanwhile', async () => {
      const { cloudtrail, lookup } = await scenario();
      const pages: string[][] = [];
      for await (const page of paginateLookupEvents({ client: cloudtrail, pageSize: 3 }, {})) pages.push(names(page.Events ?? []) as string[]);
      expect(pages).toEqual([['DeleteDBSnapshot', 'DeleteDBSnapshot', 'GetCallerIdentity'], ['CreateDBSnapshot']]);
      // The paging calls are in the trail now, newest first.
      expect(names(await lookup({ MaxResults: 2 }))).toEqual(['LookupEvents', 'LookupEvents']);

      const filtered = await cloudtrail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: SNAPSHOT }], MaxResults: 2 }),
      );
      expect(filtered.NextToken).toBeDefined();
      const rest = await cloudtrail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: SNAPSHOT }], MaxResults: 2, NextToken: filtered.NextToken }),
      );
      expect(names(rest.Events ?? [])).toEqual(['CreateDBSnapshot']);
      expect(rest.NextToken).toBeUndefined();
      // A token only works with the parameters it was issued for.
      await expect(cloudtrail.send(new LookupEventsCommand({ MaxResults: 2, NextToken: filtered.NextToken }))).rejects.toBeInstanceOf(InvalidNextTokenException);
    });

    it('answers bad requests with CloudTrail’s typed exceptions', async () => {
      const { cloudtrail, lookup } = await scenario();
      const cases: [LookupEventsCommandInput, unknown][] = [
        [
          {
            LookupAttributes: [
              { AttributeKey: 'EventName', AttributeValue: 'DeleteDBSnapshot' },
              { AttributeKey: 'Username', AttributeValue: 'gameday' },
            ],
          },
          InvalidLookupAttributesException,
        ],
        [{ LookupAttributes: [{ AttributeKey: 'Colour' as never, AttributeValue: 'blue' }] }, InvalidLookupAttributesException],
        [{ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'maybe' }] }, InvalidLookupAttributesException],
        [{ StartTime: new Date(START + MINUTE), EndTime: new Date(START) }, InvalidTimeRangeException],
        [{ MaxResults: 51 }, InvalidMaxResultsException],
        [{ MaxResults: 0 }, InvalidMaxResultsException],
        [{ NextToken: 'bm90LWEtdG9rZW4' }, InvalidNextTokenException],
        [{ EventCategory: 'management' as never }, InvalidEventCategoryException],
      ];
      for (const [input, type] of cases) {
        const error = await cloudtrail.send(new LookupEventsCommand(input)).catch((e: unknown) => e);
        expect(error, JSON.stringify(input)).toBeInstanceOf(type as new () => Error);
        expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 } });
      }
      expect(await lookup({ EventCategory: 'insight' })).toEqual([]);
    });

    it('records a refused call’s resource and parameters whatever the order the modules were registered in', async () => {
      const { lookup, module } = await scenario({ cloudTrailFirst: false });
      const [, refused] = await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DeleteDBSnapshot' }] });
      expect(refused?.Resources).toEqual([{ ResourceType: 'AWS::RDS::DBSnapshot', ResourceName: SNAPSHOT }]);
      expect(record(refused)['errorCode']).toBe('AccessDenied');
      // The dispatcher shows every call to observers before IAM can refuse it.
      expect(record(refused)['requestParameters']).toEqual({ dBSnapshotIdentifier: SNAPSHOT });
      expect(module.events().map((e) => e.eventName)).toContain('DescribeDBInstances');
    });

    it('accepts the full X-Amz-Target prefix other clients send', async () => {
      const { sim, clock } = await scenario();
      const response = await via.send(sim, clock, {
        method: 'POST',
        path: '/',
        query: {},
        headers: {
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIAX/20260105/us-east-1/cloudtrail/aws4_request, SignedHeaders=host, Signature=x',
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
        },
        body: Buffer.from('{"MaxResults":1}'),
      });
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(String(response.body)).Events).toHaveLength(1);
    });
  });
});
