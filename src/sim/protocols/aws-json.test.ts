import { CloudWatchClient, LimitExceededFault, ListDashboardsCommand } from '@aws-sdk/client-cloudwatch';
import {
  ConditionalCheckFailedException,
  DescribeBackupCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  ListTablesCommand,
  PutItemCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../clock/index.js';
import { createSimulator, simClientConfig, type Simulator } from '../index.js';
import { AwsError, type CallContext, type ServiceModule, type SimRequest } from '../types.js';
import { AwsJsonError, createAwsJsonBinding, jsonMember, jsonOperation, parseJsonBody, type AwsJsonServiceSpec } from './aws-json.js';

/** Test scaffolding: a tiny service on awsJson, answering the DynamoDB and CloudWatch clients. */
const calls: { operation: string; input: unknown; region: string }[] = [];

function dynamoLike(): AwsJsonServiceSpec {
  return {
    signingName: 'dynamodb',
    eventSource: 'dynamodb.amazonaws.com',
    targetPrefix: 'DynamoDB_20120810',
    targetPrefixAliases: ['com.amazonaws.dynamodb.v20120810.DynamoDB_20120810'],
    version: '1.0',
    errorNamespace: 'com.amazonaws.dynamodb.v20120810',
    operations: {
      ListTables: jsonOperation({
        input: (body) => ({ limit: jsonMember.integer(body, 'Limit'), start: jsonMember.string(body, 'ExclusiveStartTableName') }),
        run: (input, ctx: CallContext) => {
          calls.push({ operation: 'ListTables', input, region: ctx.region });
          if (input.start === 'missing') throw new AwsError('ResourceNotFoundException', 'Requested resource not found', 400);
          return { TableNames: ['a', 'b'], LastEvaluatedTableName: undefined };
        },
      }),
      DescribeBackup: jsonOperation({
        input: (body) => ({ arn: jsonMember.string(body, 'BackupArn') }),
        run: () => ({
          BackupDescription: {
            BackupDetails: {
              BackupArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/t/backup/01767603600000-abcdef12',
              BackupName: 'b',
              BackupStatus: 'AVAILABLE',
              BackupType: 'USER',
              BackupCreationDateTime: new Date(Date.UTC(2026, 0, 5, 9, 0, 0, 500)),
            },
          },
        }),
      }),
      PutItem: jsonOperation({
        input: (body) => body,
        run: () => {
          throw new AwsJsonError('ConditionalCheckFailedException', 'The conditional request failed', 400, {
            Item: { pk: { S: 'k' }, n: { N: '5' } },
          });
        },
      }),
    },
  };
}

function cloudWatchLike(): AwsJsonServiceSpec {
  return {
    signingName: 'monitoring',
    eventSource: 'monitoring.amazonaws.com',
    targetPrefix: 'GraniteServiceVersion20100801',
    version: '1.0',
    errorNamespace: 'com.amazonaws.cloudwatch',
    awsQueryCompatible: { queryErrorCodes: { LimitExceededFault: 'LimitExceeded' } },
    operations: {
      ListDashboards: jsonOperation({
        input: () => ({}),
        run: () => {
          throw new AwsError('LimitExceededFault', 'The quota for alarms for this customer has already been reached.', 400);
        },
      }),
    },
  };
}

function setup(): Simulator {
  const clock = new VirtualClock({ start: Date.UTC(2026, 0, 5, 9) });
  const sim = createSimulator({ clock, seed: 42, services: [] });
  const module = (name: string, spec: AwsJsonServiceSpec): ServiceModule => ({ name, binding: createAwsJsonBinding(spec) });
  sim.world.register(module('dynamo-like', dynamoLike()));
  sim.world.register(module('cloudwatch-like', cloudWatchLike()));
  return sim;
}

function raw(target: string | undefined, body: string): SimRequest {
  return {
    method: 'POST',
    path: '/',
    query: {},
    headers: {
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260105/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      'content-type': 'application/x-amz-json-1.0',
      ...(target === undefined ? {} : { 'x-amz-target': target }),
    },
    body: Buffer.from(body),
  };
}

function bodyOf(response: { body: Uint8Array | string }): Record<string, unknown> {
  return JSON.parse(typeof response.body === 'string' ? response.body : Buffer.from(response.body).toString('utf8')) as Record<string, unknown>;
}

describe('awsJson codec', () => {
  it('routes by X-Amz-Target and answers the real SDK client in JSON 1.0', async () => {
    const sim = setup();
    const client = new DynamoDBClient(simClientConfig(sim, 'eu-west-1'));
    const out = await client.send(new ListTablesCommand({ Limit: 5 }));
    expect(out.TableNames).toEqual(['a', 'b']);
    expect(out.LastEvaluatedTableName).toBeUndefined();
    expect(calls.at(-1)).toEqual({ operation: 'ListTables', input: { limit: 5, start: undefined }, region: 'eu-west-1' });
  });

  it('writes timestamps as epoch seconds, which the SDK reads back as Dates', async () => {
    const sim = setup();
    const client = new DynamoDBClient(simClientConfig(sim, 'us-east-1'));
    const out = await client.send(new DescribeBackupCommand({ BackupArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/t/backup/x' }));
    expect(out.BackupDescription?.BackupDetails?.BackupCreationDateTime).toEqual(new Date(Date.UTC(2026, 0, 5, 9, 0, 0, 500)));
    const response = await sim.dispatcher.dispatch(raw('DynamoDB_20120810.DescribeBackup', '{}'));
    expect(response.headers['content-type']).toBe('application/x-amz-json-1.0');
    const details = (bodyOf(response)['BackupDescription'] as Record<string, Record<string, unknown>>)['BackupDetails']!;
    expect(details['BackupCreationDateTime']).toBe(Date.UTC(2026, 0, 5, 9, 0, 0, 500) / 1000);
  });

  it('puts the error code in __type with its namespace, so the SDK throws the typed exception', async () => {
    const sim = setup();
    const client = new DynamoDBClient(simClientConfig(sim, 'us-east-1'));
    const error = await client.send(new ListTablesCommand({ ExclusiveStartTableName: 'missing' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as ResourceNotFoundException).message).toBe('Requested resource not found');
    expect((error as ResourceNotFoundException).$metadata.httpStatusCode).toBe(400);
    const response = await sim.dispatcher.dispatch(raw('DynamoDB_20120810.ListTables', '{"ExclusiveStartTableName":"missing"}'));
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toEqual({
      __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
      message: 'Requested resource not found',
    });
  });

  it('carries an error’s extra members, e.g. the item that failed a condition', async () => {
    const sim = setup();
    const client = new DynamoDBClient(simClientConfig(sim, 'us-east-1'));
    const error = await client.send(new PutItemCommand({ TableName: 'ttt', Item: { pk: { S: 'k' } } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConditionalCheckFailedException);
    expect((error as ConditionalCheckFailedException).Item).toEqual({ pk: { S: 'k' }, n: { N: '5' } });
  });

  it('answers unparsable JSON with SerializationException and a non-object body likewise', async () => {
    const sim = setup();
    for (const text of ['{"Limit": ', '[1, 2]', '"text"']) {
      const response = await sim.dispatcher.dispatch(raw('DynamoDB_20120810.ListTables', text));
      expect(response.statusCode).toBe(400);
      expect(bodyOf(response)['__type']).toBe('com.amazon.coral.service#SerializationException');
    }
    expect(() => parseJsonBody(Buffer.from('{'))).toThrow(AwsError);
    expect(parseJsonBody(Buffer.from(''))).toEqual({});
  });

  it('also answers to a prefix alias', async () => {
    const sim = setup();
    const response = await sim.dispatcher.dispatch(raw('com.amazonaws.dynamodb.v20120810.DynamoDB_20120810.ListTables', '{}'));
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual({ TableNames: ['a', 'b'] });
  });

  it('answers an unknown or foreign target, or none, with UnknownOperationException', async () => {
    const sim = setup();
    for (const target of ['DynamoDB_20120810.DropEverything', 'Other_20120810.ListTables', 'ListTables', undefined]) {
      const response = await sim.dispatcher.dispatch(raw(target, '{}'));
      expect(response.statusCode).toBe(400);
      expect(bodyOf(response)['__type']).toBe('com.amazon.coral.service#UnknownOperationException');
    }
  });

  it('reports a member of the wrong JSON type as SerializationException', async () => {
    const sim = setup();
    const response = await sim.dispatcher.dispatch(raw('DynamoDB_20120810.ListTables', '{"Limit":"five"}'));
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)['__type']).toBe('com.amazon.coral.service#SerializationException');
  });

  it('adds x-amzn-query-error for an awsQuery-compatible service, so the SDK finds the fault by its Query code', async () => {
    const sim = setup();
    const client = new CloudWatchClient(simClientConfig(sim, 'us-east-1'));
    const error = await client.send(new ListDashboardsCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LimitExceededFault);
    expect((error as LimitExceededFault).message).toBe('The quota for alarms for this customer has already been reached.');
    const request = raw('GraniteServiceVersion20100801.ListDashboards', '{}');
    request.headers['authorization'] = request.headers['authorization']!.replace('/dynamodb/', '/monitoring/');
    const response = await sim.dispatcher.dispatch(request);
    expect(response.headers['x-amzn-query-error']).toBe('LimitExceeded;Sender');
    expect(bodyOf(response)['__type']).toBe('com.amazonaws.cloudwatch#LimitExceededFault');
  });

  it('renders a framework error (the dispatcher’s own) in the service’s JSON shape', async () => {
    const sim = setup();
    sim.world.faults.setRegionUp('us-east-1', false, 'test');
    const client = new DynamoDBClient(simClientConfig(sim, 'us-east-1'));
    const error = await client.send(new ListTablesCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamoDBServiceException);
    expect((error as DynamoDBServiceException).name).toBe('ServiceUnavailable');
    expect((error as DynamoDBServiceException).$metadata.httpStatusCode).toBe(503);
  });

  it('reads timestamps in epoch seconds, fractions included', () => {
    expect(jsonMember.timestamp({ t: 1767603600.25 }, 't')).toEqual(new Date(1767603600250));
    expect(jsonMember.timestamp({ t: '1767603600' }, 't')).toEqual(new Date(1767603600000));
    expect(jsonMember.timestamp({}, 't')).toBeUndefined();
    expect(() => jsonMember.timestamp({ t: 'yesterday' }, 't')).toThrow(AwsError);
  });
});
