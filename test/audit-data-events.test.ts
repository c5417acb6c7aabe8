import { CloudTrailClient, LookupEventsCommand, paginateLookupEvents, type Event, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator } from '../src/sim/index.js';
import { createCloudTrailModule, type CloudTrailModule } from '../src/sim/services/cloudtrail/index.js';
import { createDynamoDbModule } from '../src/sim/services/dynamodb/index.js';
import { createS3Module } from '../src/sim/services/s3/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { SECOND } from './support/time.js';
import { START } from './support/sim.js';

/**
 * CloudTrail's Event history holds management events only: S3 object-level
 * calls and DynamoDB item-level calls are data events, which only a trail
 * configured for them records. LookupEvents answers accordingly, while the
 * sim's audit trail keeps every call for the rest of the sim to read.
 */

const S3_DATA = ['PutObject', 'GetObject', 'HeadObject', 'CopyObject', 'ListObjectsV2', 'ListObjectVersions', 'DeleteObject'];
const DYNAMODB_DATA = ['PutItem', 'GetItem', 'UpdateItem', 'Query', 'Scan', 'BatchWriteItem', 'BatchGetItem', 'DeleteItem'];
const MANAGEMENT = ['CreateBucket', 'HeadBucket', 'PutBucketVersioning', 'GetBucketVersioning', 'ListBuckets', 'CreateTable', 'DescribeTable'];

/** A bucket and a table, each managed and then used, a second apart per call. */
async function scenarioOver(via: TransportHarness) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed: 42, services: [createCloudTrailModule, createS3Module, createDynamoDbModule] });
  const s3 = new S3Client({ ...(await via.config(sim, clock, 'us-east-1')), forcePathStyle: true });
  const dynamodb = new DynamoDBClient(await via.config(sim, clock, 'us-east-1'));
  const tick = () => clock.advance(SECOND);
  const Bucket = 'invoices';
  const TableName = 'order-history';

  await s3.send(new CreateBucketCommand({ Bucket }));
  await tick();
  await s3.send(new HeadBucketCommand({ Bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await tick();
  await s3.send(new PutObjectCommand({ Bucket, Key: 'inv-1.pdf', Body: 'invoice' }));
  await s3.send(new GetObjectCommand({ Bucket, Key: 'inv-1.pdf' })).then((r) => r.Body?.transformToString());
  await s3.send(new HeadObjectCommand({ Bucket, Key: 'inv-1.pdf' }));
  await s3.send(new CopyObjectCommand({ Bucket, Key: 'inv-2.pdf', CopySource: `${Bucket}/inv-1.pdf` }));
  await s3.send(new ListObjectsV2Command({ Bucket }));
  await s3.send(new ListObjectVersionsCommand({ Bucket }));
  await s3.send(new DeleteObjectCommand({ Bucket, Key: 'inv-2.pdf' }));
  await tick();
  await s3.send(new GetBucketVersioningCommand({ Bucket }));
  await s3.send(new ListBucketsCommand({}));

  await dynamodb.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await clock.advance(60 * SECOND);
  await dynamodb.send(new DescribeTableCommand({ TableName }));
  const Key = { orderId: { S: 'o-1' } };
  await dynamodb.send(new PutItemCommand({ TableName, Item: { ...Key, amount: { N: '12' } } }));
  await dynamodb.send(new GetItemCommand({ TableName, Key }));
  await dynamodb.send(new UpdateItemCommand({ TableName, Key, UpdateExpression: 'SET amount = :t', ExpressionAttributeValues: { ':t': { N: '13' } } }));
  await dynamodb.send(new QueryCommand({ TableName, KeyConditionExpression: 'orderId = :o', ExpressionAttributeValues: { ':o': { S: 'o-1' } } }));
  await dynamodb.send(new ScanCommand({ TableName }));
  await dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: [{ PutRequest: { Item: { orderId: { S: 'o-2' } } } }] } }));
  await dynamodb.send(new BatchGetItemCommand({ RequestItems: { [TableName]: { Keys: [Key] } } }));
  await dynamodb.send(new DeleteItemCommand({ TableName, Key }));
  await tick();

  const cloudtrail = new CloudTrailClient(await via.config(sim, clock, 'us-east-1'));
  const lookup = async (input: LookupEventsCommandInput = {}) => (await cloudtrail.send(new LookupEventsCommand(input))).Events ?? [];
  return { sim, cloudtrail, lookup };
}

const names = (events: Event[]) => events.map((e) => e.EventName!);

describe.each(transports)('CloudTrail LookupEvents and data events over the %s transport', (transport) => {
  const via = useTransport(transport);

  it('answers with management events only, newest first; the audit trail keeps the data events', async () => {
    const { sim, lookup } = await scenarioOver(via);
    expect(names(await lookup())).toEqual([...MANAGEMENT].reverse());
    // Every call is in the sim's audit trail, data events included, and in the harness's view of it.
    const audited = sim.world.audit.map((r) => r.eventName);
    for (const name of [...S3_DATA, ...DYNAMODB_DATA, ...MANAGEMENT]) expect(audited).toContain(name);
    const all = sim.world.module<CloudTrailModule>('cloudtrail').events('us-east-1');
    const put = all.find((e) => e.eventName === 'PutItem')!;
    // A data event's record names the item's table, never the item.
    expect(put.record).toMatchObject({ managementEvent: false, eventCategory: 'Data', readOnly: false });
    expect(JSON.stringify(put.record['requestParameters'])).not.toContain('amount');
    expect(all.find((e) => e.eventName === 'ListObjectsV2')?.record).toMatchObject({ managementEvent: false, eventCategory: 'Data' });
    expect(all.find((e) => e.eventName === 'CreateTable')?.record).toMatchObject({ managementEvent: true, eventCategory: 'Management' });
  });

  it.each([
    ['EventName', 'PutObject', []],
    ['EventName', 'GetItem', []],
    ['EventName', 'CreateBucket', ['CreateBucket']],
    ['EventSource', 's3.amazonaws.com', ['ListBuckets', 'GetBucketVersioning', 'PutBucketVersioning', 'HeadBucket', 'CreateBucket']],
    ['EventSource', 'dynamodb.amazonaws.com', ['DescribeTable', 'CreateTable']],
    ['ResourceName', 'order-history', ['DescribeTable', 'CreateTable']],
    ['ResourceType', 'AWS::S3::Object', []],
    ['ReadOnly', 'true', ['DescribeTable', 'ListBuckets', 'GetBucketVersioning', 'HeadBucket']],
    ['ReadOnly', 'false', ['CreateTable', 'PutBucketVersioning', 'CreateBucket']],
  ] as const)('filters on %s = %s among management events', async (key, value, expected) => {
    const { lookup } = await scenarioOver(via);
    expect(names(await lookup({ LookupAttributes: [{ AttributeKey: key, AttributeValue: value }] })).filter((n) => n !== 'LookupEvents')).toEqual(expected);
  });

  it('pages over management events only: full pages, and no NextToken when only data events are older', async () => {
    const { cloudtrail } = await scenarioOver(via);
    const pages: string[][] = [];
    for await (const page of paginateLookupEvents({ client: cloudtrail, pageSize: 3 }, { LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 's3.amazonaws.com' }] })) {
      pages.push(names(page.Events ?? []));
    }
    expect(pages).toEqual([
      ['ListBuckets', 'GetBucketVersioning', 'PutBucketVersioning'],
      ['HeadBucket', 'CreateBucket'],
    ]);
    // The two DynamoDB management events, the newest, then nothing: the data events before them do not make a next page.
    const first = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'dynamodb.amazonaws.com' }], MaxResults: 2 }));
    expect(names(first.Events ?? [])).toEqual(['DescribeTable', 'CreateTable']);
    expect(first.NextToken).toBeUndefined();
  });
});
