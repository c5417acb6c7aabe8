import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  GetItemCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  paginateListTables,
  paginateQuery,
  paginateScan,
  PutItemCommand,
  QueryCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  ScanCommand,
  TagResourceCommand,
  UpdateItemCommand,
  UpdateTableCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator, type Simulator } from '../src/sim/index.js';
import { createDynamoDbModule, type DynamoDbModule } from '../src/sim/services/dynamodb/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { SECOND, MINUTE } from './support/time.js';
import { START } from './support/sim.js';
import { rejection as failure } from './support/rejection.js';

interface Setup {
  clock: VirtualClock;
  sim: Simulator;
  ddb: DynamoDBClient;
  dynamodb: DynamoDbModule;
}

async function setupOver(via: TransportHarness, seed = 42): Promise<Setup> {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed, services: [] });
  const dynamodb = sim.world.register(createDynamoDbModule(sim.world));
  return { clock, sim, ddb: new DynamoDBClient(await via.config(sim, clock, 'us-east-1')), dynamodb };
}

/** An on-demand table with a string partition key `pk` and a number sort key `sk`. */
function ordersTable(name = 'orders', overrides: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
    ...overrides,
  };
}

/** Create a table and wait (in virtual time) until it is ACTIVE. */
async function activeTable(s: Setup, input: CreateTableCommandInput = ordersTable()): Promise<void> {
  await s.ddb.send(new CreateTableCommand(input));
  await s.clock.advance(30 * SECOND);
}

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number | string): AttributeValue => ({ N: String(n) });

describe.each(transports)('DynamoDB over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = (seed?: number) => setupOver(via, seed);

  describe('DynamoDB tables', () => {
    it('creates an on-demand table CREATING, ACTIVE after dynamodb.table.create (5–30 s); items are unreachable meanwhile', async () => {
      const s = await setup();
      const created = await s.ddb.send(new CreateTableCommand(ordersTable()));
      expect(created.TableDescription).toMatchObject({
        TableName: 'orders',
        TableStatus: 'CREATING',
        TableArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/orders',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
        ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 },
        ItemCount: 0,
      });
      expect(created.TableDescription?.CreationDateTime).toEqual(new Date(START));
      expect(created.TableDescription?.TableId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      await failure(s.ddb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: S('a'), sk: N(1) } })), ResourceNotFoundException);

      await s.clock.advance(5 * SECOND - 1);
      expect((await s.ddb.send(new DescribeTableCommand({ TableName: 'orders' }))).Table?.TableStatus).toBe('CREATING');
      await s.clock.advance(25 * SECOND + 1);
      expect((await s.ddb.send(new DescribeTableCommand({ TableName: 'orders' }))).Table?.TableStatus).toBe('ACTIVE');
      const active = s.sim.world.events.find((e) => e.kind === 'dynamodb.table.status' && e.detail['status'] === 'ACTIVE');
      expect(active!.at - START).toBeGreaterThanOrEqual(5 * SECOND);
      expect(active!.at - START).toBeLessThanOrEqual(30 * SECOND);
      await s.ddb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: S('a'), sk: N(1) } }));
    });

    it('creates a provisioned table and reports its throughput', async () => {
      const s = await setup();
      const out = await s.ddb.send(
        new CreateTableCommand(
          ordersTable('stock', {
            BillingMode: 'PROVISIONED',
            ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          }),
        ),
      );
      expect(out.TableDescription?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 7 });
      expect(out.TableDescription?.BillingModeSummary).toBeUndefined();
    });

    it('refuses a table that exists, a malformed key schema and inconsistent billing, in DynamoDB’s words', async () => {
      const s = await setup();
      await s.ddb.send(new CreateTableCommand(ordersTable()));
      expect((await failure(s.ddb.send(new CreateTableCommand(ordersTable())), ResourceInUseException)).message).toBe('Table already exists: orders');

      const invalid = async (input: CreateTableCommandInput) => {
        const error = await failure(s.ddb.send(new CreateTableCommand(input)), DynamoDBServiceException);
        expect(error.name).toBe('ValidationException');
        expect(error.$metadata.httpStatusCode).toBe(400);
        return error.message;
      };
      expect(await invalid(ordersTable('ab'))).toBe(
        "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
      );
      expect(await invalid(ordersTable('bad name'))).toMatch(/Member must satisfy regular expression pattern: \[a-zA-Z0-9_.-\]\+$/);
      expect(await invalid(ordersTable('tt1', { AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }))).toBe(
        'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [sk], AttributeDefinitions: [pk]',
      );
      expect(
        await invalid(
          ordersTable('tt2', {
            AttributeDefinitions: [
              { AttributeName: 'pk', AttributeType: 'S' },
              { AttributeName: 'sk', AttributeType: 'N' },
              { AttributeName: 'extra', AttributeType: 'S' },
            ],
          }),
        ),
      ).toBe('One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
      expect(
        await invalid(
          ordersTable('tt3', {
            KeySchema: [
              { AttributeName: 'sk', KeyType: 'RANGE' },
              { AttributeName: 'pk', KeyType: 'HASH' },
            ],
          }),
        ),
      ).toBe('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
      expect(await invalid(ordersTable('tt4', { BillingMode: 'PROVISIONED' }))).toBe(
        'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
      );
      expect(await invalid(ordersTable('tt5', { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }))).toBe(
        'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      );
      expect(await invalid({ TableName: 'nokeys', AttributeDefinitions: [] } as unknown as CreateTableCommandInput)).toBe(
        "1 validation error detected: Value null at 'keySchema' failed to satisfy constraint: Member must not be null",
      );
    });

    it('describes an unknown table as ResourceNotFoundException', async () => {
      const s = await setup();
      const error = await failure(s.ddb.send(new DescribeTableCommand({ TableName: 'nothing' })), ResourceNotFoundException);
      expect(error.message).toBe('Requested resource not found: Table: nothing not found');
    });

    it('lists tables of the calling region in pages (Limit, ExclusiveStartTableName, LastEvaluatedTableName)', async () => {
      const s = await setup();
      for (const name of ['t-e', 't-a', 't-d', 't-b', 't-c']) await s.ddb.send(new CreateTableCommand(ordersTable(name)));
      const west = new DynamoDBClient(await via.config(s.sim, s.clock, 'us-west-2'));
      await west.send(new CreateTableCommand(ordersTable('t-west')));

      const first = await s.ddb.send(new ListTablesCommand({ Limit: 2 }));
      expect(first).toMatchObject({ TableNames: ['t-a', 't-b'], LastEvaluatedTableName: 't-b' });
      const second = await s.ddb.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: 't-b' }));
      expect(second).toMatchObject({ TableNames: ['t-c', 't-d'], LastEvaluatedTableName: 't-d' });
      const last = await s.ddb.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: 't-d' }));
      expect(last.TableNames).toEqual(['t-e']);
      expect(last.LastEvaluatedTableName).toBeUndefined();

      const all: string[] = [];
      for await (const page of paginateListTables({ client: s.ddb, pageSize: 2 }, {})) all.push(...(page.TableNames ?? []));
      expect(all).toEqual(['t-a', 't-b', 't-c', 't-d', 't-e']);
      expect((await west.send(new ListTablesCommand({}))).TableNames).toEqual(['t-west']);
      const tooMany = await failure(s.ddb.send(new ListTablesCommand({ Limit: 101 })), DynamoDBServiceException);
      expect(tooMany.name).toBe('ValidationException');
    });

    it('updates billing and throughput, and refuses updates while the table is not ACTIVE', async () => {
      const s = await setup();
      await s.ddb.send(new CreateTableCommand(ordersTable()));
      const busy = await failure(s.ddb.send(new UpdateTableCommand({ TableName: 'orders', BillingMode: 'PROVISIONED' })), ResourceInUseException);
      expect(busy.message).toBe('Attempt to change a resource which is still in use: Table is being created: orders');
      await s.clock.advance(30 * SECOND);

      const provisioned = await s.ddb.send(
        new UpdateTableCommand({ TableName: 'orders', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 4 } }),
      );
      expect(provisioned.TableDescription?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 10, WriteCapacityUnits: 4 });
      expect(provisioned.TableDescription?.BillingModeSummary?.BillingMode).toBe('PROVISIONED');
      const same = await failure(
        s.ddb.send(new UpdateTableCommand({ TableName: 'orders', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 4 } })),
        DynamoDBServiceException,
      );
      expect(same.message).toMatch(/^The provisioned throughput for the table will not change/);
      await s.clock.advance(MINUTE);
      const onDemand = await s.ddb.send(new UpdateTableCommand({ TableName: 'orders', BillingMode: 'PAY_PER_REQUEST' }));
      expect(onDemand.TableDescription?.BillingModeSummary).toEqual({
        BillingMode: 'PAY_PER_REQUEST',
        LastUpdateToPayPerRequestDateTime: new Date(START + 90 * SECOND),
      });
      const nothing = await failure(s.ddb.send(new UpdateTableCommand({ TableName: 'orders' })), DynamoDBServiceException);
      expect(nothing.name).toBe('ValidationException');
    });

    it('deletes a table (DELETING, then gone) and honours deletion protection', async () => {
      const s = await setup();
      await s.ddb.send(new CreateTableCommand(ordersTable()));
      const creating = await failure(s.ddb.send(new DeleteTableCommand({ TableName: 'orders' })), ResourceInUseException);
      expect(creating.message).toMatch(/Table is being created: orders$/);
      await s.clock.advance(30 * SECOND);
      const deleted = await s.ddb.send(new DeleteTableCommand({ TableName: 'orders' }));
      expect(deleted.TableDescription?.TableStatus).toBe('DELETING');
      await failure(s.ddb.send(new DescribeTableCommand({ TableName: 'orders' })), ResourceNotFoundException);
      await failure(s.ddb.send(new GetItemCommand({ TableName: 'orders', Key: { pk: S('a'), sk: N(1) } })), ResourceNotFoundException);

      await activeTable(s, ordersTable('kept', { DeletionProtectionEnabled: true }));
      const protectedError = await failure(s.ddb.send(new DeleteTableCommand({ TableName: 'kept' })), DynamoDBServiceException);
      expect(protectedError.name).toBe('ValidationException');
      await s.ddb.send(new UpdateTableCommand({ TableName: 'kept', DeletionProtectionEnabled: false }));
      await s.ddb.send(new DeleteTableCommand({ TableName: 'kept' }));
    });

    it('tags a table', async () => {
      const s = await setup();
      const arn = (await s.ddb.send(new CreateTableCommand(ordersTable()))).TableDescription!.TableArn!;
      await s.ddb.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'critical', Value: 'yes' }] }));
      expect((await s.ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: 'critical', Value: 'yes' }]);
    });
  });

  describe('DynamoDB items', () => {
    it('puts and gets every attribute type, numbers canonicalized, binaries as bytes', async () => {
      const s = await setup();
      await activeTable(s);
      const item: Record<string, AttributeValue> = {
        pk: S('customer#1'),
        sk: N('0010.50'),
        s: S(''),
        n: N('-1e3'),
        b: { B: new Uint8Array([0, 1, 255]) },
        t: { BOOL: true },
        nothing: { NULL: true },
        m: { M: { nested: { L: [S('x'), N(2)] } } },
        ss: { SS: ['a', 'b'] },
        ns: { NS: ['1', '2.50'] },
        bs: { BS: [new Uint8Array([1]), new Uint8Array([2])] },
      };
      await s.ddb.send(new PutItemCommand({ TableName: 'orders', Item: item }));
      const got = await s.ddb.send(new GetItemCommand({ TableName: 'orders', Key: { pk: S('customer#1'), sk: N('10.5') }, ConsistentRead: true }));
      expect(got.Item).toEqual({
        ...item,
        sk: N('10.5'),
        n: N('-1000'),
        ns: { NS: ['1', '2.5'] },
      });
      const projected = await s.ddb.send(
        new GetItemCommand({
          TableName: 'orders',
          Key: { pk: S('customer#1'), sk: N(10.5) },
          ProjectionExpression: 'm.nested[1], #t',
          ExpressionAttributeNames: { '#t': 't' },
        }),
      );
      expect(projected.Item).toEqual({ m: { M: { nested: { L: [N(2)] } } }, t: { BOOL: true } });
      const none = await s.ddb.send(new GetItemCommand({ TableName: 'orders', Key: { pk: S('nobody'), sk: N(1) } }));
      expect(none.Item).toBeUndefined();
    });

    it('refuses items and keys that do not fit the key schema', async () => {
      const s = await setup();
      await activeTable(s);
      const message = async (command: PutItemCommand | GetItemCommand) => {
        const sent = command instanceof PutItemCommand ? s.ddb.send(command) : s.ddb.send(command);
        const error = await failure(sent, DynamoDBServiceException);
        expect(error.name).toBe('ValidationException');
        return error.message;
      };
      expect(await message(new PutItemCommand({ TableName: 'orders', Item: { pk: S('a') } }))).toBe(
        'One or more parameter values were invalid: Missing the key sk in the item',
      );
      expect(await message(new PutItemCommand({ TableName: 'orders', Item: { pk: S('a'), sk: S('1') } }))).toBe(
        'One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S',
      );
      expect(await message(new PutItemCommand({ TableName: 'orders', Item: { pk: S(''), sk: N(1) } }))).toBe(
        'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
      );
      expect(await message(new GetItemCommand({ TableName: 'orders', Key: { pk: S('a') } }))).toBe('The provided key element does not match the schema');
      expect(await message(new PutItemCommand({ TableName: 'orders', Item: { pk: S('a'), sk: N(1), big: S('x'.repeat(410 * 1024)) } }))).toBe(
        'Item size has exceeded the maximum allowed size',
      );
      expect(await message(new PutItemCommand({ TableName: 'orders', Item: { pk: S('a'), sk: N('1e200') } }))).toMatch(/^Number overflow/);
      await failure(s.ddb.send(new PutItemCommand({ TableName: 'elsewhere', Item: { pk: S('a'), sk: N(1) } })), ResourceNotFoundException);
    });

    it('writes conditionally: attribute_not_exists creates once, comparisons guard versions, failures carry the old item on request', async () => {
      const s = await setup();
      await activeTable(s);
      const key = { pk: S('order#1'), sk: N(1) };
      const createOnce = () =>
        s.ddb.send(
          new PutItemCommand({
            TableName: 'orders',
            Item: { ...key, version: N(1), state: S('new') },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      await createOnce();
      const again = await failure(createOnce(), ConditionalCheckFailedException);
      expect(again.message).toBe('The conditional request failed');
      expect(again.Item).toBeUndefined();

      const stale = await failure(
        s.ddb.send(
          new PutItemCommand({
            TableName: 'orders',
            Item: { ...key, version: N(2), state: S('paid') },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': N(7) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
        ConditionalCheckFailedException,
      );
      expect(stale.Item).toEqual({ ...key, version: N(1), state: S('new') });

      const replaced = await s.ddb.send(
        new PutItemCommand({
          TableName: 'orders',
          Item: { ...key, version: N(2), state: S('paid') },
          ConditionExpression: 'version < :next AND #s IN (:new, :open)',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':next': N(2), ':new': S('new'), ':open': S('open') },
          ReturnValues: 'ALL_OLD',
        }),
      );
      expect(replaced.Attributes).toEqual({ ...key, version: N(1), state: S('new') });

      const badReturn = await failure(
        s.ddb.send(new PutItemCommand({ TableName: 'orders', Item: key, ReturnValues: 'ALL_NEW' })),
        DynamoDBServiceException,
      );
      expect(badReturn.message).toBe('Return values set to invalid value');
      const unused = await failure(
        s.ddb.send(new PutItemCommand({ TableName: 'orders', Item: key, ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':x': N(1) } })),
        DynamoDBServiceException,
      );
      expect(unused.message).toBe('Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}');
    });

    it('updates with SET, REMOVE and ADD, creating the item when missing, and returns what ReturnValues asks for', async () => {
      const s = await setup();
      await activeTable(s);
      const key = { pk: S('cart#9'), sk: N(0) };
      const created = await s.ddb.send(
        new UpdateItemCommand({
          TableName: 'orders',
          Key: key,
          UpdateExpression: 'SET #n = :name, basket = :basket ADD visits :one, labels :labels',
          ExpressionAttributeNames: { '#n': 'name' },
          ExpressionAttributeValues: { ':name': S('Ada'), ':basket': { L: [S('tea')] }, ':one': N(1), ':labels': { SS: ['new'] } },
          ReturnValues: 'ALL_NEW',
        }),
      );
      expect(created.Attributes).toEqual({ ...key, name: S('Ada'), basket: { L: [S('tea')] }, visits: N(1), labels: { SS: ['new'] } });

      const updated = await s.ddb.send(
        new UpdateItemCommand({
          TableName: 'orders',
          Key: key,
          UpdateExpression: 'SET basket = list_append(basket, :more), visits = visits + :one REMOVE #n ADD labels :vip',
          ConditionExpression: 'attribute_exists(pk) AND visits >= :one',
          ExpressionAttributeNames: { '#n': 'name' },
          ExpressionAttributeValues: { ':more': { L: [S('cake')] }, ':one': N(1), ':vip': { SS: ['vip'] } },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      expect(updated.Attributes).toEqual({ basket: { L: [S('tea'), S('cake')] }, visits: N(2), labels: { SS: ['new', 'vip'] } });

      const old = await s.ddb.send(
        new UpdateItemCommand({
          TableName: 'orders',
          Key: key,
          UpdateExpression: 'SET visits = :ten',
          ExpressionAttributeValues: { ':ten': N(10) },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      expect(old.Attributes).toEqual({ visits: N(2) });

      const keyUpdate = await failure(
        s.ddb.send(new UpdateItemCommand({ TableName: 'orders', Key: key, UpdateExpression: 'SET pk = :p', ExpressionAttributeValues: { ':p': S('x') } })),
        DynamoDBServiceException,
      );
      expect(keyUpdate.message).toBe('One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
      await failure(
        s.ddb.send(
          new UpdateItemCommand({
            TableName: 'orders',
            Key: key,
            UpdateExpression: 'SET visits = :one',
            ConditionExpression: 'visits = :one',
            ExpressionAttributeValues: { ':one': N(1) },
          }),
        ),
        ConditionalCheckFailedException,
      );
      const reserved = await failure(
        s.ddb.send(new UpdateItemCommand({ TableName: 'orders', Key: key, UpdateExpression: 'SET name = :n', ExpressionAttributeValues: { ':n': S('x') } })),
        DynamoDBServiceException,
      );
      expect(reserved.message).toBe('Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name');
    });

    it('deletes conditionally and returns the old item', async () => {
      const s = await setup();
      await activeTable(s);
      const key = { pk: S('a'), sk: N(1) };
      await s.ddb.send(new PutItemCommand({ TableName: 'orders', Item: { ...key, state: S('open') } }));
      await failure(
        s.ddb.send(
          new DeleteItemCommand({ TableName: 'orders', Key: key, ConditionExpression: '#s = :closed', ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':closed': S('closed') } }),
        ),
        ConditionalCheckFailedException,
      );
      const deleted = await s.ddb.send(new DeleteItemCommand({ TableName: 'orders', Key: key, ReturnValues: 'ALL_OLD' }));
      expect(deleted.Attributes).toEqual({ ...key, state: S('open') });
      expect((await s.ddb.send(new GetItemCommand({ TableName: 'orders', Key: key }))).Item).toBeUndefined();
      const again = await s.ddb.send(new DeleteItemCommand({ TableName: 'orders', Key: key, ReturnValues: 'ALL_OLD' }));
      expect(again.Attributes).toBeUndefined();
    });
  });

  describe('DynamoDB Query and Scan', () => {
    async function seeded(): Promise<Setup> {
      const s = await setup();
      await activeTable(s);
      // Sort keys chosen so that text order (1, 10, 2, 9) differs from numeric order.
      for (const sk of [1, 2, 9, 10, 25, -3, 2.5]) {
        await s.ddb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: S('c#1'), sk: N(sk), amount: N(sk * 10), kind: S(sk > 5 ? 'big' : 'small') } }));
      }
      await s.ddb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: S('c#2'), sk: N(1), amount: N(1), kind: S('small') } }));
      return s;
    }

    const sortKeys = (items: Record<string, AttributeValue>[] | undefined) => (items ?? []).map((i) => Number(i['sk']!.N));

    it('orders by the sort key numerically and applies each sort key operator', async () => {
      const s = await seeded();
      const q = async (condition: string, values: Record<string, AttributeValue>, forward = true) =>
        sortKeys(
          (
            await s.ddb.send(
              new QueryCommand({
                TableName: 'orders',
                KeyConditionExpression: `pk = :pk${condition ? ` AND ${condition}` : ''}`,
                ExpressionAttributeValues: { ':pk': S('c#1'), ...values },
                ScanIndexForward: forward,
              }),
            )
          ).Items,
        );
      expect(await q('', {})).toEqual([-3, 1, 2, 2.5, 9, 10, 25]);
      expect(await q('', {}, false)).toEqual([25, 10, 9, 2.5, 2, 1, -3]);
      expect(await q('sk = :v', { ':v': N('2.50') })).toEqual([2.5]);
      expect(await q('sk < :v', { ':v': N(2) })).toEqual([-3, 1]);
      expect(await q('sk <= :v', { ':v': N(2) })).toEqual([-3, 1, 2]);
      expect(await q('sk > :v', { ':v': N(9) })).toEqual([10, 25]);
      expect(await q('sk >= :v', { ':v': N(9) })).toEqual([9, 10, 25]);
      expect(await q('sk BETWEEN :a AND :b', { ':a': N(2), ':b': N(10) })).toEqual([2, 2.5, 9, 10]);
    });

    it('takes begins_with on a string sort key', async () => {
      const s = await setup();
      await activeTable(
        s,
        ordersTable('events', {
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
        }),
      );
      for (const sk of ['order#2026-01-02', 'order#2026-01-01', 'invoice#1', 'order#2025-12-31']) {
        await s.ddb.send(new PutItemCommand({ TableName: 'events', Item: { pk: S('c'), sk: S(sk) } }));
      }
      const out = await s.ddb.send(
        new QueryCommand({
          TableName: 'events',
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': S('c'), ':p': S('order#2026') },
        }),
      );
      expect(out.Items?.map((i) => i['sk']!.S)).toEqual(['order#2026-01-01', 'order#2026-01-02']);
    });

    it('pages with Limit and ExclusiveStartKey in both directions, the filter applied after Limit', async () => {
      const s = await seeded();
      const first = await s.ddb.send(
        new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': S('c#1') }, Limit: 3 }),
      );
      expect(sortKeys(first.Items)).toEqual([-3, 1, 2]);
      expect(first.LastEvaluatedKey).toEqual({ pk: S('c#1'), sk: N(2) });
      const second = await s.ddb.send(
        new QueryCommand({
          TableName: 'orders',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': S('c#1') },
          Limit: 3,
          ExclusiveStartKey: first.LastEvaluatedKey,
        }),
      );
      expect(sortKeys(second.Items)).toEqual([2.5, 9, 10]);

      const backwards: number[] = [];
      for await (const page of paginateQuery(
        { client: s.ddb, pageSize: 2 },
        { TableName: 'orders', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': S('c#1') }, ScanIndexForward: false },
      )) {
        backwards.push(...sortKeys(page.Items));
      }
      expect(backwards).toEqual([25, 10, 9, 2.5, 2, 1, -3]);

      const filtered = await s.ddb.send(
        new QueryCommand({
          TableName: 'orders',
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: 'kind = :big',
          ExpressionAttributeValues: { ':pk': S('c#1'), ':big': S('big') },
          Limit: 5,
        }),
      );
      expect(filtered).toMatchObject({ Count: 1, ScannedCount: 5 });
      expect(sortKeys(filtered.Items)).toEqual([9]);

      const counted = await s.ddb.send(
        new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': S('c#1') }, Select: 'COUNT' }),
      );
      expect(counted.Items).toBeUndefined();
      expect(counted.Count).toBe(7);
    });

    it('refuses key conditions DynamoDB refuses', async () => {
      const s = await seeded();
      const message = async (input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>) => {
        const error = await failure(s.ddb.send(new QueryCommand({ TableName: 'orders', ...input })), DynamoDBServiceException);
        expect(error.name).toBe('ValidationException');
        return error.message;
      };
      expect(await message({ KeyConditionExpression: 'sk = :v', ExpressionAttributeValues: { ':v': N(1) } })).toBe(
        'Query condition missed key schema element: pk',
      );
      expect(await message({ KeyConditionExpression: 'pk = :p OR sk = :v', ExpressionAttributeValues: { ':p': S('x'), ':v': N(1) } })).toBe(
        'Invalid operator used in KeyConditionExpression: OR',
      );
      expect(await message({ KeyConditionExpression: 'pk = :p AND sk = :v', ExpressionAttributeValues: { ':p': S('x'), ':v': S('1') } })).toBe(
        'One or more parameter values were invalid: Condition parameter type does not match schema type',
      );
      expect(await message({})).toBe('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    });

    it('scans every item in pages, filters, counts, and splits into parallel segments', async () => {
      const s = await seeded();
      const all: Record<string, AttributeValue>[] = [];
      let pages = 0;
      for await (const page of paginateScan({ client: s.ddb, pageSize: 3 }, { TableName: 'orders' })) {
        all.push(...(page.Items ?? []));
        pages++;
      }
      expect(all).toHaveLength(8);
      expect(pages).toBe(3);
      expect(new Set(all.map((i) => `${i['pk']!.S}|${i['sk']!.N}`)).size).toBe(8);

      const big = await s.ddb.send(
        new ScanCommand({ TableName: 'orders', FilterExpression: 'amount >= :hundred', ExpressionAttributeValues: { ':hundred': N(100) } }),
      );
      expect(big).toMatchObject({ Count: 2, ScannedCount: 8 });
      expect(sortKeys(big.Items).sort((a, b) => a - b)).toEqual([10, 25]);

      const segments = await Promise.all(
        [0, 1].map((Segment) => s.ddb.send(new ScanCommand({ TableName: 'orders', Segment, TotalSegments: 2 }))),
      );
      expect(segments.reduce((n, page) => n + (page.Count ?? 0), 0)).toBe(8);
      const bad = await failure(s.ddb.send(new ScanCommand({ TableName: 'orders', Segment: 2, TotalSegments: 2 })), DynamoDBServiceException);
      expect(bad.name).toBe('ValidationException');
    });
  });

  describe('DynamoDB batches', () => {
    it('writes and deletes in one BatchWriteItem and reads back with BatchGetItem', async () => {
      const s = await setup();
      await activeTable(s);
      await activeTable(s, ordersTable('archive'));
      await s.ddb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: S('old'), sk: N(1) } }));
      const written = await s.ddb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            orders: [
              { PutRequest: { Item: { pk: S('a'), sk: N(1), v: S('x') } } },
              { PutRequest: { Item: { pk: S('b'), sk: N(2), v: S('y') } } },
              { DeleteRequest: { Key: { pk: S('old'), sk: N(1) } } },
            ],
            archive: [{ PutRequest: { Item: { pk: S('z'), sk: N(9) } } }],
          },
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      expect(written.UnprocessedItems).toEqual({});
      expect(written.ConsumedCapacity?.map((c) => c.TableName).sort()).toEqual(['archive', 'orders']);

      const read = await s.ddb.send(
        new BatchGetItemCommand({
          RequestItems: {
            orders: { Keys: [{ pk: S('a'), sk: N(1) }, { pk: S('b'), sk: N(2) }, { pk: S('old'), sk: N(1) }], ProjectionExpression: 'pk, v' },
            archive: { Keys: [{ pk: S('z'), sk: N(9) }] },
          },
        }),
      );
      expect(read.Responses?.['orders']).toEqual([
        { pk: S('a'), v: S('x') },
        { pk: S('b'), v: S('y') },
      ]);
      expect(read.Responses?.['archive']).toEqual([{ pk: S('z'), sk: N(9) }]);
      expect(read.UnprocessedKeys).toEqual({});
    });

    it('refuses oversized batches, duplicate keys and unknown tables, writing nothing', async () => {
      const s = await setup();
      await activeTable(s);
      const puts = (n: number) => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { pk: S(`k${i}`), sk: N(i) } } }));
      const tooMany = await failure(s.ddb.send(new BatchWriteItemCommand({ RequestItems: { orders: puts(26) } })), DynamoDBServiceException);
      expect(tooMany.message).toBe('Too many items requested for the BatchWriteItem call');
      const duplicate = await failure(
        s.ddb.send(new BatchWriteItemCommand({ RequestItems: { orders: [...puts(2), { DeleteRequest: { Key: { pk: S('k1'), sk: N(1) } } }] } })),
        DynamoDBServiceException,
      );
      expect(duplicate.message).toBe('Provided list of item keys contains duplicates');
      await failure(s.ddb.send(new BatchWriteItemCommand({ RequestItems: { orders: puts(1), ghost: puts(1) } })), ResourceNotFoundException);
      expect((await s.ddb.send(new ScanCommand({ TableName: 'orders' }))).Count).toBe(0);
    });
  });

  describe('DynamoDB in the simulator', () => {
    it('records every call in the audit trail with its event source', async () => {
      const s = await setup();
      await activeTable(s);
      await s.ddb.send(new PutItemCommand({ TableName: 'orders', Item: { pk: S('a'), sk: N(1) } }));
      await s.ddb.send(new GetItemCommand({ TableName: 'orders', Key: { pk: S('a'), sk: N(1) } })).catch(() => undefined);
      const names = s.sim.world.audit.map((r) => [r.eventSource, r.eventName, r.readOnly]);
      expect(names).toEqual([
        ['dynamodb.amazonaws.com', 'CreateTable', false],
        ['dynamodb.amazonaws.com', 'PutItem', false],
        ['dynamodb.amazonaws.com', 'GetItem', true],
      ]);
      expect(s.sim.world.audit[1]!.resources).toEqual([{ type: 'AWS::DynamoDB::Table', name: 'orders' }]);
    });

    it('is deterministic: the same seed gives the same timeline', async () => {
      const run = async () => {
        const s = await setup(7);
        await s.ddb.send(new CreateTableCommand(ordersTable()));
        await s.ddb.send(new CreateTableCommand(ordersTable('second')));
        await s.clock.advance(MINUTE);
        return s.sim.world.events.map((e) => [e.at, e.kind, e.detail]);
      };
      expect(await run()).toEqual(await run());
    });
  });
});
