import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator } from '../src/sim/index.js';
import { isDataEvent, requestDetailsOf } from '../src/sim/services/cloudtrail/index.js';
import type { AuthorizationRequest, SimRequest } from '../src/sim/types.js';

const sim = createSimulator({ clock: new VirtualClock({ start: Date.UTC(2026, 0, 5) }), seed: 1, services: [] });

function call(service: string, operation: string, request: Partial<SimRequest>): AuthorizationRequest {
  return {
    service,
    operation,
    request: { method: 'POST', path: '/', query: {}, headers: {}, body: new Uint8Array(), ...request },
    ctx: { region: 'us-east-1', accountId: '123456789012', identity: sim.world.identityOf('AKIAX'), requestId: 'r', world: sim.world },
  };
}

const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

describe('what CloudTrail reads from a request', () => {
  it('writes awsQuery parameters CloudTrail’s way, hiding secrets, and names the resources', () => {
    const body = Buffer.from(
      'Action=RestoreDBInstanceFromDBSnapshot&Version=2014-10-31&DBInstanceIdentifier=orders-restored&DBSnapshotIdentifier=orders-snap&MasterUserPassword=hunter2&Tags.Tag.1.Key=team&Tags.Tag.1.Value=sre',
    );
    const details = requestDetailsOf(call('rds', 'RestoreDBInstanceFromDBSnapshot', { body, headers: { ...form, 'user-agent': 'aws-cli/2.15', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' } }));
    expect(details).toEqual({
      requestParameters: {
        dBInstanceIdentifier: 'orders-restored',
        dBSnapshotIdentifier: 'orders-snap',
        masterUserPassword: 'HIDDEN_DUE_TO_SECURITY_REASONS',
        tags: [{ key: 'team', value: 'sre' }],
      },
      resources: [
        { type: 'AWS::RDS::DBInstance', name: 'orders-restored' },
        { type: 'AWS::RDS::DBSnapshot', name: 'orders-snap' },
      ],
      sourceIPAddress: '203.0.113.9',
      userAgent: 'aws-cli/2.15',
    });
  });

  it('reads EC2 query parameters with flattened lists', () => {
    const body = Buffer.from('Action=CopySnapshot&SourceSnapshotId=snap-1&SourceRegion=us-east-1&TagSpecification.1.ResourceType=snapshot');
    const details = requestDetailsOf(call('ec2', 'CopySnapshot', { body, headers: form }));
    expect(details.requestParameters).toEqual({ sourceSnapshotId: 'snap-1', sourceRegion: 'us-east-1', tagSpecification: [{ resourceType: 'snapshot' }] });
    expect(details.resources).toEqual([{ type: 'AWS::EC2::Snapshot', name: 'snap-1' }]);
  });

  it('keeps only what identifies an item for DynamoDB data events, everything for management calls', () => {
    const target = { 'x-amz-target': 'DynamoDB_20120810.PutItem', 'content-type': 'application/x-amz-json-1.0' };
    const put = requestDetailsOf(call('dynamodb', 'PutItem', { headers: target, body: Buffer.from(JSON.stringify({ TableName: 'order-history', Item: { pk: { S: 'o-1' }, card: { S: '4111' } } })) }));
    expect(put.requestParameters).toEqual({ tableName: 'order-history' });
    expect(isDataEvent('dynamodb', 'PutItem')).toBe(true);
    const restore = requestDetailsOf(
      call('dynamodb', 'RestoreTableFromBackup', {
        headers: { ...target, 'x-amz-target': 'DynamoDB_20120810.RestoreTableFromBackup' },
        body: Buffer.from(JSON.stringify({ TargetTableName: 'order-history-restored', BackupArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/order-history/backup/1' })),
      }),
    );
    expect(restore.resources).toEqual([
      { type: 'AWS::DynamoDB::Table', name: 'order-history-restored' },
      { type: 'AWS::DynamoDB::Backup', name: 'arn:aws:dynamodb:us-east-1:123456789012:table/order-history/backup/1' },
    ]);
    expect(isDataEvent('dynamodb', 'RestoreTableFromBackup')).toBe(false);
  });

  it('names S3 buckets and objects, virtual-hosted or path-style', () => {
    const hosted = requestDetailsOf(call('s3', 'DeleteObject', { method: 'DELETE', path: '/2026/inv-1.pdf', query: { versionId: 'v9' }, headers: { host: 'invoices.s3.us-east-1.amazonaws.com' } }));
    expect(hosted.requestParameters).toEqual({ bucketName: 'invoices', key: '2026/inv-1.pdf', versionId: 'v9', host: 'invoices.s3.us-east-1.amazonaws.com' });
    expect(hosted.resources).toEqual([
      { type: 'AWS::S3::Bucket', name: 'invoices' },
      { type: 'AWS::S3::Object', name: 'invoices/2026/inv-1.pdf' },
    ]);
    const pathStyle = requestDetailsOf(call('s3', 'DeleteBucket', { method: 'DELETE', path: '/logs', headers: { host: '127.0.0.1:4566' } }));
    expect(pathStyle.resources).toEqual([{ type: 'AWS::S3::Bucket', name: 'logs' }]);
  });

  it('reads AWS Backup’s path labels', () => {
    const arn = 'arn:aws:ec2:us-east-1::snapshot/snap-0123';
    const details = requestDetailsOf(call('backup', 'DeleteRecoveryPoint', { method: 'DELETE', path: `/backup-vaults/securecart/recovery-points/${encodeURIComponent(arn)}` }));
    expect(details.requestParameters).toEqual({ backupVaultName: 'securecart', recoveryPointArn: arn });
    expect(details.resources).toEqual([
      { type: 'AWS::Backup::BackupVault', name: 'securecart' },
      { type: 'AWS::Backup::RecoveryPoint', name: arn },
    ]);
  });

  it('yields no parameters for what it cannot read, instead of failing the call', () => {
    expect(requestDetailsOf(call('rds', 'DescribeDBInstances', { headers: form, body: Buffer.from('Action=X&bad=%E0%A4%A') })).requestParameters).toBeNull();
    expect(requestDetailsOf(call('dynamodb', 'GetItem', { headers: { 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body: Buffer.from('{not json') })).requestParameters).toBeNull();
    expect(requestDetailsOf(call('route53', 'ChangeResourceRecordSets', { body: Buffer.from('<ChangeResourceRecordSetsRequest/>') })).requestParameters).toBeNull();
  });
});
