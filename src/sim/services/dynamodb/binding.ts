import {
  createAwsJsonBinding,
  jsonMember,
  jsonOperation,
  type AwsJsonBinding,
  type AwsJsonOperation,
  type JsonObject,
  type JsonValue,
} from '../../protocols/aws-json.js';
import { readAttributeMap } from './attribute-values.js';
import { dynamoErrors } from './errors.js';
import { batchGetItem, batchWriteItem, deleteItem, getItem, putItem, query, scan, updateItem } from './items.js';
import { checkTableName, type DynamoDbModel } from './model.js';
import {
  createBackup,
  deleteBackup,
  describeContinuousBackups,
  findBackup,
  listBackups,
  restoreTableFromBackup,
  restoreTableToPointInTime,
  updateContinuousBackups,
} from './recovery.js';
import {
  backupDescriptionOut,
  backupDetailsOut,
  backupSummaryOut,
  consumedCapacityOut,
  continuousBackupsOut,
  tableDescription,
} from './shapes.js';
import type { Table } from './table.js';
import type { AttributeMap, ConsumedCapacity, ExpressionInput, ReadInput, ReplicaUpdate, Throughput, WriteRequest } from './types.js';

/**
 * DynamoDB on the wire (awsJson 1.0, `X-Amz-Target: DynamoDB_20120810.<Op>`):
 * one row per operation, each reading its input off the JSON body, calling
 * the model and shaping the output.
 */

export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810';
export const DYNAMODB_ERROR_NAMESPACE = 'com.amazonaws.dynamodb.v20120810';

const TABLE = 'AWS::DynamoDB::Table';
const BACKUP = 'AWS::DynamoDB::Backup';

// ---- readers ------------------------------------------------------------------

type Reader<T> = (body: JsonObject, name: string) => T | undefined;

/** A member DynamoDB requires: ValidationException naming it in lowerCamelCase when absent. */
function required<T>(body: JsonObject, name: string, read: Reader<T>): T {
  const value = read(body, name);
  if (value === undefined) throw dynamoErrors.constraint(name, 'Member must not be null');
  return value;
}

function tableName(body: JsonObject, name = 'TableName'): string {
  const value = required(body, name, jsonMember.string);
  checkTableName(value, name);
  return value;
}

/**
 * Parameters of DynamoDB's legacy (pre-expression) API. The sim models the
 * expression API only; it says so instead of silently ignoring them.
 */
function refuseLegacy(body: JsonObject, names: readonly string[]): void {
  for (const name of names) {
    if (body[name] !== undefined && body[name] !== null) {
      throw dynamoErrors.validation(`The simulator does not support the legacy parameter ${name}; use the expression parameters instead.`);
    }
  }
}

function attributeMap(body: JsonObject, name: string): AttributeMap | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  return readAttributeMap(value, name);
}

function expressionInput(body: JsonObject): ExpressionInput {
  const names = jsonMember.stringMap(body, 'ExpressionAttributeNames');
  const values = attributeMap(body, 'ExpressionAttributeValues');
  const capacity = jsonMember.string(body, 'ReturnConsumedCapacity');
  return {
    ...(names !== undefined ? { expressionAttributeNames: names } : {}),
    ...(values !== undefined ? { expressionAttributeValues: values } : {}),
    ...(capacity !== undefined ? { returnConsumedCapacity: capacity } : {}),
  };
}

/** `{ key: value }`, or nothing when the member was absent: spread into an input. */
function optional<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

function throughput(body: JsonObject, name: string): Throughput | undefined {
  const value = jsonMember.object(body, name);
  if (value === undefined) return undefined;
  return {
    readCapacityUnits: required(value, 'ReadCapacityUnits', jsonMember.integer),
    writeCapacityUnits: required(value, 'WriteCapacityUnits', jsonMember.integer),
  };
}

function tags(body: JsonObject): { key: string; value: string }[] | undefined {
  return jsonMember.objectList(body, 'Tags', (tag) => ({ key: required(tag, 'Key', jsonMember.string), value: required(tag, 'Value', jsonMember.string) }));
}

function readInput(body: JsonObject): ReadInput {
  return {
    tableName: tableName(body),
    ...expressionInput(body),
    ...optional('indexName', jsonMember.string(body, 'IndexName')),
    ...optional('filterExpression', jsonMember.string(body, 'FilterExpression')),
    ...optional('projectionExpression', jsonMember.string(body, 'ProjectionExpression')),
    ...optional('attributesToGet', jsonMember.stringList(body, 'AttributesToGet')),
    ...optional('select', jsonMember.string(body, 'Select')),
    ...optional('limit', jsonMember.integer(body, 'Limit')),
    ...optional('exclusiveStartKey', attributeMap(body, 'ExclusiveStartKey')),
    ...optional('consistentRead', jsonMember.boolean(body, 'ConsistentRead')),
  };
}

function capacityOut(consumed: ConsumedCapacity | undefined) {
  return consumed ? consumedCapacityOut(consumed) : undefined;
}

// ---- the table ------------------------------------------------------------------

export function createDynamoDbBinding(model: DynamoDbModel): AwsJsonBinding {
  const describe = (table: Table) => tableDescription(table, (region) => model.tableIn(region, table.name));

  const operations: Record<string, AwsJsonOperation> = {
    CreateTable: jsonOperation({
      input: (b) => {
        const indexes = ['GlobalSecondaryIndexes', 'LocalSecondaryIndexes'].some((n) => (jsonMember.list(b, n)?.length ?? 0) > 0);
        return {
          tableName: tableName(b),
          attributeDefinitions: required(b, 'AttributeDefinitions', (body, n) =>
            jsonMember.objectList(body, n, (d) => ({ name: required(d, 'AttributeName', jsonMember.string), type: required(d, 'AttributeType', jsonMember.string) })),
          ),
          keySchema: required(b, 'KeySchema', (body, n) =>
            jsonMember.objectList(body, n, (e) => ({ name: required(e, 'AttributeName', jsonMember.string), keyType: required(e, 'KeyType', jsonMember.string) })),
          ),
          ...optional('billingMode', jsonMember.string(b, 'BillingMode')),
          ...optional('provisioned', throughput(b, 'ProvisionedThroughput')),
          ...optional('tags', tags(b)),
          ...optional('deletionProtection', jsonMember.boolean(b, 'DeletionProtectionEnabled')),
          secondaryIndexes: indexes,
        };
      },
      run: (input, ctx) => ({ TableDescription: describe(model.createTable(ctx.region, input)) }),
      resources: (input) => [{ type: TABLE, name: input.tableName }],
    }),
    DescribeTable: jsonOperation({
      input: (b) => ({ tableName: tableName(b) }),
      run: (input, ctx) => ({ Table: describe(model.requireTable(ctx.region, input.tableName)) }),
      resources: (input) => [{ type: TABLE, name: input.tableName }],
    }),
    ListTables: jsonOperation({
      input: (b) => ({
        ...optional('exclusiveStartTableName', jsonMember.string(b, 'ExclusiveStartTableName')),
        ...optional('limit', jsonMember.integer(b, 'Limit')),
      }),
      run: (input, ctx) => {
        const page = model.listTables(ctx.region, input);
        return { TableNames: page.names, LastEvaluatedTableName: page.lastEvaluated };
      },
    }),
    DeleteTable: jsonOperation({
      input: (b) => ({ tableName: tableName(b) }),
      run: (input, ctx) => ({ TableDescription: describe(model.deleteTable(ctx.region, input.tableName)) }),
      resources: (input) => [{ type: TABLE, name: input.tableName }],
    }),
    UpdateTable: jsonOperation({
      input: (b) => {
        const replicaUpdates = jsonMember.objectList(b, 'ReplicaUpdates', (update, path): ReplicaUpdate => {
          const create = jsonMember.object(update, 'Create');
          const del = jsonMember.object(update, 'Delete');
          if ((create ? 1 : 0) + (del ? 1 : 0) !== 1) {
            throw dynamoErrors.validation(`One or more parameter values were invalid: ${path} must have exactly one of Create or Delete (the simulator does not model Update)`);
          }
          return create ? { create: required(create, 'RegionName', jsonMember.string) } : { delete: required(del!, 'RegionName', jsonMember.string) };
        });
        if ((jsonMember.list(b, 'GlobalSecondaryIndexUpdates')?.length ?? 0) > 0) {
          throw dynamoErrors.validation('The simulator does not model secondary indexes.');
        }
        return {
          tableName: tableName(b),
          ...optional('billingMode', jsonMember.string(b, 'BillingMode')),
          ...optional('provisioned', throughput(b, 'ProvisionedThroughput')),
          ...optional('deletionProtection', jsonMember.boolean(b, 'DeletionProtectionEnabled')),
          ...optional('replicaUpdates', replicaUpdates),
        };
      },
      run: (input, ctx) => ({ TableDescription: describe(model.updateTable(ctx.region, input)) }),
      resources: (input) => [{ type: TABLE, name: input.tableName }],
    }),

    PutItem: jsonOperation({
      input: (b) => {
        refuseLegacy(b, ['Expected', 'ConditionalOperator']);
        return {
          tableName: tableName(b),
          item: required(b, 'Item', attributeMap),
          ...expressionInput(b),
          ...optional('conditionExpression', jsonMember.string(b, 'ConditionExpression')),
          ...optional('returnValues', jsonMember.string(b, 'ReturnValues')),
          ...optional('returnValuesOnConditionCheckFailure', jsonMember.string(b, 'ReturnValuesOnConditionCheckFailure')),
        };
      },
      run: (input, ctx) => {
        const result = putItem(model, ctx.region, input);
        return { Attributes: result.attributes, ConsumedCapacity: capacityOut(result.consumedCapacity) };
      },
      resources: (input) => [{ type: TABLE, name: input.tableName }],
    }),
    GetItem: jsonOperation({
      input: (b) => ({
        tableName: tableName(b),
        key: required(b, 'Key', attributeMap),
        ...expressionInput(b),
        ...optional('consistentRead', jsonMember.boolean(b, 'ConsistentRead')),
        ...optional('projectionExpression', jsonMember.string(b, 'ProjectionExpression')),
        ...optional('attributesToGet', jsonMember.stringList(b, 'AttributesToGet')),
      }),
      run: (input, ctx) => {
        const result = getItem(model, ctx.region, input);
        return { Item: result.item, ConsumedCapacity: capacityOut(result.consumedCapacity) };
      },
      resources: (input) => [{ type: TABLE, name: input.tableName }],
    }),
    DeleteItem: jsonOperation({
      input: (b) => {
        refuseLegacy(b, ['Expected', 'ConditionalOperator']);
        return {
          tableName: tableName(b),
          key: required(b, 'Key', attributeMap),
          ...expressionInput(b),
          ...optional('conditionExpression', jsonMember.string(b, 'ConditionExpression')),
          ...optional('returnValues', jsonMember.string(b, 'ReturnValues')),
          ...optional('returnValuesOnConditionCheckFailure', jsonMember.string(b, 'ReturnValuesOnConditionCheckFailure')),
        };
      },
      run: (input, ctx) => {
        const result = deleteItem(model, ctx.region, input);
        return { Attributes: result.attributes, ConsumedCapacity: capacityOut(result.consumedCapacity) };
      },
      resources: (input) => [{ type: TABLE, name: input.tableName }],
    }),
    UpdateItem: jsonOperation({
      input: (b) => {
        refuseLegacy(b, ['AttributeUpdates', 'Expected', 'ConditionalOperator']);
        return {
          tableName: tableName(b),
          key: required(b, 'Key', attributeMap),
          ...expressionInput(b),
          ...optional('updateExpression', jsonMember.string(b, 'UpdateExpression')),
          ...optional('conditionExpression', jsonMember.string(b, 'ConditionExpression')),
          ...optional('returnValues', jsonMember.string(b, 'ReturnValues')),
          ...optional('returnValuesOnConditionCheckFailure', jsonMember.string(b, 'ReturnValuesOnConditionCheckFailure')),
        };
      },
      run: (input, ctx) => {
        const result = updateItem(model, ctx.region, input);
        return { Attributes: result.attributes, ConsumedCapacity: capacityOut(result.consumedCapacity) };
      },
      resources: (input) => [{ type: TABLE, name: input.tableName }],
    }),
    Query: jsonOperation({
      input: (b) => {
        refuseLegacy(b, ['KeyConditions', 'QueryFilter', 'ConditionalOperator']);
        return {
          ...readInput(b),
          ...optional('keyConditionExpression', jsonMember.string(b, 'KeyConditionExpression')),
          ...optional('scanIndexForward', jsonMember.boolean(b, 'ScanIndexForward')),
        };
      },
      run: (input, ctx) => {
        const result = query(model, ctx.region, input);
        return {
          Items: result.items,
          Count: result.count,
          ScannedCount: result.scannedCount,
          LastEvaluatedKey: result.lastEvaluatedKey,
          ConsumedCapacity: capacityOut(result.consumedCapacity),
        };
      },
      resources: (input) => [{ type: TABLE, name: input.tableName }],
    }),
    Scan: jsonOperation({
      input: (b) => {
        refuseLegacy(b, ['ScanFilter', 'ConditionalOperator']);
        return {
          ...readInput(b),
          ...optional('segment', jsonMember.integer(b, 'Segment')),
          ...optional('totalSegments', jsonMember.integer(b, 'TotalSegments')),
        };
      },
      run: (input, ctx) => {
        const result = scan(model, ctx.region, input);
        return {
          Items: result.items,
          Count: result.count,
          ScannedCount: result.scannedCount,
          LastEvaluatedKey: result.lastEvaluatedKey,
          ConsumedCapacity: capacityOut(result.consumedCapacity),
        };
      },
      resources: (input) => [{ type: TABLE, name: input.tableName }],
    }),
    BatchWriteItem: jsonOperation({
      input: (b) => {
        const map = required(b, 'RequestItems', jsonMember.object);
        const requestItems: Record<string, WriteRequest[]> = {};
        for (const name of Object.keys(map)) {
          checkTableName(name, 'RequestItems');
          requestItems[name] = required(map, name, (m, n) => jsonMember.objectList(m, n, readWriteRequest));
        }
        return { requestItems, ...optional('returnConsumedCapacity', jsonMember.string(b, 'ReturnConsumedCapacity')) };
      },
      run: (input, ctx) => {
        const result = batchWriteItem(model, ctx.region, input);
        return { UnprocessedItems: result.unprocessedItems, ConsumedCapacity: result.consumedCapacity?.map(consumedCapacityOut) };
      },
      resources: (input) => Object.keys(input.requestItems).map((name) => ({ type: TABLE, name })),
    }),
    BatchGetItem: jsonOperation({
      input: (b) => {
        const requestItems = required(b, 'RequestItems', (body, n) =>
          jsonMember.objectMap(body, n, (request) => ({
            keys: required(request, 'Keys', (r, k) => jsonMember.list(r, k)?.map((key: JsonValue, i) => readAttributeMap(key, `${k}[${i}]`))),
            ...optional('projectionExpression', jsonMember.string(request, 'ProjectionExpression')),
            ...optional('expressionAttributeNames', jsonMember.stringMap(request, 'ExpressionAttributeNames')),
            ...optional('attributesToGet', jsonMember.stringList(request, 'AttributesToGet')),
            ...optional('consistentRead', jsonMember.boolean(request, 'ConsistentRead')),
          })),
        );
        for (const name of Object.keys(requestItems)) checkTableName(name, 'RequestItems');
        return { requestItems, ...optional('returnConsumedCapacity', jsonMember.string(b, 'ReturnConsumedCapacity')) };
      },
      run: (input, ctx) => {
        const result = batchGetItem(model, ctx.region, input);
        return { Responses: result.responses, UnprocessedKeys: result.unprocessedKeys, ConsumedCapacity: result.consumedCapacity?.map(consumedCapacityOut) };
      },
      resources: (input) => Object.keys(input.requestItems).map((name) => ({ type: TABLE, name })),
    }),

    UpdateContinuousBackups: jsonOperation({
      input: (b) => {
        const spec = required(b, 'PointInTimeRecoverySpecification', jsonMember.object);
        return {
          tableName: tableName(b),
          enabled: required(spec, 'PointInTimeRecoveryEnabled', jsonMember.boolean),
          ...optional('recoveryPeriodDays', jsonMember.integer(spec, 'RecoveryPeriodInDays')),
        };
      },
      run: (input, ctx) => ({ ContinuousBackupsDescription: continuousBackupsOut(updateContinuousBackups(model, ctx.region, input.tableName, input)) }),
      resources: (input) => [{ type: TABLE, name: input.tableName }],
    }),
    DescribeContinuousBackups: jsonOperation({
      input: (b) => ({ tableName: tableName(b) }),
      run: (input, ctx) => ({ ContinuousBackupsDescription: continuousBackupsOut(describeContinuousBackups(model, ctx.region, input.tableName)) }),
      resources: (input) => [{ type: TABLE, name: input.tableName }],
    }),
    RestoreTableToPointInTime: jsonOperation({
      input: (b) => ({
        targetTableName: tableName(b, 'TargetTableName'),
        ...optional('sourceTableName', jsonMember.string(b, 'SourceTableName')),
        ...optional('sourceTableArn', jsonMember.string(b, 'SourceTableArn')),
        ...optional('restoreDateTime', jsonMember.timestamp(b, 'RestoreDateTime')?.getTime()),
        ...optional('useLatestRestorableTime', jsonMember.boolean(b, 'UseLatestRestorableTime')),
        ...optional('billingModeOverride', jsonMember.string(b, 'BillingModeOverride')),
        ...optional('provisionedThroughputOverride', throughput(b, 'ProvisionedThroughputOverride')),
      }),
      run: (input, ctx) => ({ TableDescription: describe(restoreTableToPointInTime(model, ctx.region, input)) }),
      resources: (input) => [
        { type: TABLE, name: input.targetTableName },
        { type: TABLE, name: input.sourceTableName ?? input.sourceTableArn ?? '' },
      ],
    }),
    CreateBackup: jsonOperation({
      input: (b) => ({ tableName: tableName(b), backupName: required(b, 'BackupName', jsonMember.string) }),
      run: (input, ctx) => ({ BackupDetails: backupDetailsOut(createBackup(model, ctx.region, input.tableName, input.backupName)) }),
      resources: (input) => [
        { type: TABLE, name: input.tableName },
        { type: BACKUP, name: input.backupName },
      ],
    }),
    DescribeBackup: jsonOperation({
      input: (b) => ({ backupArn: required(b, 'BackupArn', jsonMember.string) }),
      run: (input, ctx) => ({ BackupDescription: backupDescriptionOut(findBackup(model, ctx.region, input.backupArn)) }),
      resources: (input) => [{ type: BACKUP, name: input.backupArn }],
    }),
    ListBackups: jsonOperation({
      input: (b) => ({
        ...optional('tableName', jsonMember.string(b, 'TableName')),
        ...optional('limit', jsonMember.integer(b, 'Limit')),
        ...optional('timeRangeLowerBound', jsonMember.timestamp(b, 'TimeRangeLowerBound')?.getTime()),
        ...optional('timeRangeUpperBound', jsonMember.timestamp(b, 'TimeRangeUpperBound')?.getTime()),
        ...optional('exclusiveStartBackupArn', jsonMember.string(b, 'ExclusiveStartBackupArn')),
        ...optional('backupType', jsonMember.string(b, 'BackupType')),
      }),
      run: (input, ctx) => {
        const page = listBackups(model, ctx.region, input);
        return { BackupSummaries: page.backups.map(backupSummaryOut), LastEvaluatedBackupArn: page.lastEvaluatedArn };
      },
    }),
    DeleteBackup: jsonOperation({
      input: (b) => ({ backupArn: required(b, 'BackupArn', jsonMember.string) }),
      run: (input, ctx) => ({ BackupDescription: backupDescriptionOut(deleteBackup(model, ctx.region, input.backupArn)) }),
      resources: (input) => [{ type: BACKUP, name: input.backupArn }],
    }),
    RestoreTableFromBackup: jsonOperation({
      input: (b) => ({
        targetTableName: tableName(b, 'TargetTableName'),
        backupArn: required(b, 'BackupArn', jsonMember.string),
        ...optional('billingModeOverride', jsonMember.string(b, 'BillingModeOverride')),
        ...optional('provisionedThroughputOverride', throughput(b, 'ProvisionedThroughputOverride')),
      }),
      run: (input, ctx) => ({ TableDescription: describe(restoreTableFromBackup(model, ctx.region, input)) }),
      resources: (input) => [
        { type: TABLE, name: input.targetTableName },
        { type: BACKUP, name: input.backupArn },
      ],
    }),

    TagResource: jsonOperation({
      input: (b) => ({ resourceArn: required(b, 'ResourceArn', jsonMember.string), tags: required(b, 'Tags', tags) }),
      run: (input, ctx) => {
        const table = taggedTable(model, ctx.region, input.resourceArn);
        for (const { key, value } of input.tags) table.tags[key] = value;
        return {};
      },
      resources: (input) => [{ type: TABLE, name: input.resourceArn }],
    }),
    UntagResource: jsonOperation({
      input: (b) => ({ resourceArn: required(b, 'ResourceArn', jsonMember.string), keys: required(b, 'TagKeys', jsonMember.stringList) }),
      run: (input, ctx) => {
        const table = taggedTable(model, ctx.region, input.resourceArn);
        for (const key of input.keys) delete table.tags[key];
        return {};
      },
      resources: (input) => [{ type: TABLE, name: input.resourceArn }],
    }),
    ListTagsOfResource: jsonOperation({
      input: (b) => ({ resourceArn: required(b, 'ResourceArn', jsonMember.string) }),
      run: (input, ctx) => {
        const table = taggedTable(model, ctx.region, input.resourceArn);
        return { Tags: Object.entries(table.tags).map(([Key, Value]) => ({ Key, Value })) };
      },
      resources: (input) => [{ type: TABLE, name: input.resourceArn }],
    }),
  };

  return createAwsJsonBinding({
    signingName: 'dynamodb',
    eventSource: 'dynamodb.amazonaws.com',
    targetPrefix: DYNAMODB_TARGET_PREFIX,
    version: '1.0',
    errorNamespace: DYNAMODB_ERROR_NAMESPACE,
    operations,
  });
}

function taggedTable(model: DynamoDbModel, region: string, arn: string): Table {
  const table = model.tableByArn(arn);
  if (!table || table.region !== region) throw dynamoErrors.resourceNotFound(`ResourceArn: ${arn} not found`);
  return table;
}

function readWriteRequest(request: JsonObject, path: string): WriteRequest {
  const put = jsonMember.object(request, 'PutRequest');
  const del = jsonMember.object(request, 'DeleteRequest');
  if ((put ? 1 : 0) + (del ? 1 : 0) !== 1) {
    throw dynamoErrors.validation(`Supplied WriteRequest at ${path} must have exactly one of PutRequest or DeleteRequest`);
  }
  return put ? { put: required(put, 'Item', attributeMap) } : { delete: required(del!, 'Key', attributeMap) };
}
