import { DescribeLimitsCommand, DynamoDBClient, DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { DescribeVpcsCommand, EC2Client, EC2ServiceException } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { EAST, securecartOver } from './support/sim.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { rejection as refusal } from './support/rejection.js';

/**
 * An operation the sim does not serve, asked through the real SDK: answered
 * as AWS answers an action it does not know (InvalidAction in EC2's Query
 * protocol, UnknownOperationException in DynamoDB's JSON protocol), naming
 * it, and recorded in the audit trail under its own name, with the error,
 * and not as a read (the sim cannot vouch for what it would have done).
 */

async function securecart(via: TransportHarness) {
  const { sim, config: configFor } = await securecartOver(via);
  const config = { ...(await configFor(EAST)), maxAttempts: 1 };
  return { sim, ec2: new EC2Client(config), dynamodb: new DynamoDBClient(config) };
}


describe.each(transports)('an operation the sim does not serve, over the %s transport', (transport) => {
  const via = useTransport(transport);

  it('EC2 (Query): InvalidAction naming the action; audited as DescribeVpcs, with its error, not as a read', async () => {
    const { sim, ec2 } = await securecart(via);
    const before = sim.world.audit.length;
    const error = await refusal(ec2.send(new DescribeVpcsCommand({})), EC2ServiceException);
    expect(error.name).toBe('InvalidAction');
    expect(error.message).toBe('The action DescribeVpcs is not valid for this web service.');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(sim.world.audit.slice(before)).toEqual([
      expect.objectContaining({ eventName: 'DescribeVpcs', eventSource: 'ec2.amazonaws.com', awsRegion: EAST, errorCode: 'InvalidAction', readOnly: false }),
    ]);
  });

  it('DynamoDB (JSON): UnknownOperationException naming the target; audited as DescribeLimits, with its error, not as a read', async () => {
    const { sim, dynamodb } = await securecart(via);
    const before = sim.world.audit.length;
    const error = await refusal(dynamodb.send(new DescribeLimitsCommand({})), DynamoDBServiceException);
    expect(error.name).toBe('UnknownOperationException');
    expect(error.message).toContain('DynamoDB_20120810.DescribeLimits');
    expect(sim.world.audit.slice(before)).toEqual([
      expect.objectContaining({ eventName: 'DescribeLimits', eventSource: 'dynamodb.amazonaws.com', errorCode: 'UnknownOperationException', readOnly: false }),
    ]);
  });
});
