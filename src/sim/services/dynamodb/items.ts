import { cloneItem, encodeKey, itemSize, keyOf, MAX_ITEM_BYTES, typeOf } from './attribute-values.js';
import { dynamoErrors } from './errors.js';
import { applyUpdate, checkKeyNotUpdated, evaluateCondition, project, updatedPaths } from './expressions/evaluate.js';
import { analyzeKeyCondition, matchesSortKey } from './expressions/key-condition.js';
import { ExpressionAttributes, parseCondition, parseProjection, parseUpdate, type Condition, type DocumentPath } from './expressions/parser.js';
import type { DynamoDbModel } from './model.js';
import type { Table } from './table.js';
import type {
  AttributeMap,
  BatchGetItemInput,
  BatchWriteItemInput,
  ConsumedCapacity,
  DeleteItemInput,
  GetItemInput,
  KeySchema,
  PutItemInput,
  QueryInput,
  ReadInput,
  ScanInput,
  UpdateItemInput,
} from './types.js';

/**
 * Item operations: PutItem, GetItem, UpdateItem, DeleteItem, Query, Scan,
 * BatchWriteItem and BatchGetItem, with DynamoDB's checks in DynamoDB's words.
 */

export interface WriteResult {
  attributes?: AttributeMap;
  consumedCapacity?: ConsumedCapacity;
}

export interface GetResult {
  item?: AttributeMap;
  consumedCapacity?: ConsumedCapacity;
}

export interface ReadResult {
  items?: AttributeMap[];
  count: number;
  scannedCount: number;
  lastEvaluatedKey?: AttributeMap;
  consumedCapacity?: ConsumedCapacity;
}

/** Query and Scan stop a page at 1 MB of evaluated data. */
const MAX_PAGE_BYTES = 1024 * 1024;
const MAX_BATCH_WRITE = 25;
const MAX_BATCH_GET = 100;

// ---- shared checks -----------------------------------------------------------

function keyAttributes(schema: KeySchema) {
  return [schema.hash, ...(schema.range ? [schema.range] : [])];
}

function emptyKeyValue(value: AttributeMap[string]): string | undefined {
  if ('S' in value && value.S === '') return 'string';
  if ('B' in value && value.B === '') return 'binary';
  return undefined;
}

/** A `Key` parameter: exactly the key attributes, of the key's types. */
export function checkKey(key: AttributeMap, schema: KeySchema, invalid = 'The provided key element does not match the schema'): void {
  const attributes = keyAttributes(schema);
  const names = Object.keys(key);
  if (names.length !== attributes.length || !attributes.every((a) => key[a.name] !== undefined && a.type in key[a.name]!)) {
    throw dynamoErrors.validation(invalid);
  }
  for (const attribute of attributes) {
    const empty = emptyKeyValue(key[attribute.name]!);
    if (empty) {
      throw dynamoErrors.validation(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${empty} value. Key: ${attribute.name}`,
      );
    }
  }
}

/** An item to put: it holds the key attributes, of the key's types, and fits in 400 KB. */
function checkItem(item: AttributeMap, schema: KeySchema): void {
  for (const attribute of keyAttributes(schema)) {
    const value = item[attribute.name];
    if (value === undefined) throw dynamoErrors.invalidParameters(`Missing the key ${attribute.name} in the item`);
    if (!(attribute.type in value)) {
      throw dynamoErrors.invalidParameters(`Type mismatch for key ${attribute.name} expected: ${attribute.type} actual: ${typeOf(value)}`);
    }
    const empty = emptyKeyValue(value);
    if (empty) {
      throw dynamoErrors.validation(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${empty} value. Key: ${attribute.name}`,
      );
    }
  }
  checkSize(item);
}

function checkSize(item: AttributeMap): void {
  if (itemSize(item) > MAX_ITEM_BYTES) throw dynamoErrors.validation('Item size has exceeded the maximum allowed size');
}

/**
 * The request's placeholders, checked the way DynamoDB checks them before it
 * reads any expression.
 */
function expressionAttributes(
  input: { expressionAttributeNames?: Record<string, string>; expressionAttributeValues?: AttributeMap },
  anyExpression: boolean,
): ExpressionAttributes {
  const names = input.expressionAttributeNames;
  const values = input.expressionAttributeValues;
  if (names !== undefined) {
    if (!anyExpression) throw dynamoErrors.validation('ExpressionAttributeNames can only be specified when using expressions');
    if (Object.keys(names).length === 0) throw dynamoErrors.validation('ExpressionAttributeNames must not be empty');
    for (const key of Object.keys(names)) {
      if (!/^#[A-Za-z0-9_]+$/.test(key)) throw dynamoErrors.validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
    }
  }
  if (values !== undefined) {
    if (!anyExpression) throw dynamoErrors.validation('ExpressionAttributeValues can only be specified when using expressions');
    if (Object.keys(values).length === 0) throw dynamoErrors.validation('ExpressionAttributeValues must not be empty');
    for (const key of Object.keys(values)) {
      if (!/^:[A-Za-z0-9_]+$/.test(key)) throw dynamoErrors.validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
    }
  }
  return new ExpressionAttributes(names, values);
}

function projectionOf(
  input: { projectionExpression?: string; attributesToGet?: string[] },
  attributes: ExpressionAttributes,
): DocumentPath[] | undefined {
  if (input.projectionExpression !== undefined && input.attributesToGet !== undefined) {
    throw dynamoErrors.validation(
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    );
  }
  if (input.projectionExpression !== undefined) return parseProjection(input.projectionExpression, attributes);
  if (input.attributesToGet !== undefined) {
    if (new Set(input.attributesToGet).size !== input.attributesToGet.length) {
      throw dynamoErrors.validation(`One or more parameter values were invalid: Duplicate value in attribute name: ${input.attributesToGet.join(', ')}`);
    }
    return input.attributesToGet.map((name) => [{ kind: 'attribute' as const, name }]);
  }
  return undefined;
}

function checkReturnValues(value: string | undefined, allowed: readonly string[]): string {
  const mode = value ?? 'NONE';
  if (!['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'].includes(mode)) {
    throw dynamoErrors.constraint('ReturnValues', 'Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]', mode);
  }
  if (!allowed.includes(mode)) throw dynamoErrors.validation('Return values set to invalid value');
  return mode;
}

function checkReturnOnFailure(value: string | undefined): boolean {
  const mode = value ?? 'NONE';
  if (mode !== 'NONE' && mode !== 'ALL_OLD') {
    throw dynamoErrors.constraint('ReturnValuesOnConditionCheckFailure', 'Member must satisfy enum value set: [ALL_OLD, NONE]', mode);
  }
  return mode === 'ALL_OLD';
}

function wantsCapacity(input: { returnConsumedCapacity?: string }): boolean {
  const mode = input.returnConsumedCapacity ?? 'NONE';
  if (!['INDEXES', 'TOTAL', 'NONE'].includes(mode)) {
    throw dynamoErrors.constraint('ReturnConsumedCapacity', 'Member must satisfy enum value set: [INDEXES, TOTAL, NONE]', mode);
  }
  return mode !== 'NONE';
}

const readUnits = (bytes: number, consistent: boolean) => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

function capacity(table: Table, units: number, wanted: boolean): { consumedCapacity?: ConsumedCapacity } {
  return wanted ? { consumedCapacity: { tableName: table.name, capacityUnits: units } } : {};
}

function checkCondition(condition: Condition | undefined, current: AttributeMap | undefined, returnOnFailure: boolean): void {
  if (!condition) return;
  if (evaluateCondition(condition, current ?? {})) return;
  throw dynamoErrors.conditionalCheckFailed(returnOnFailure && current ? cloneItem(current) : undefined);
}

function withAttributes(attributes: AttributeMap | undefined): { attributes?: AttributeMap } {
  return attributes && Object.keys(attributes).length > 0 ? { attributes: cloneItem(attributes) } : {};
}

// ---- single-item operations ------------------------------------------------------

export function putItem(model: DynamoDbModel, region: string, input: PutItemInput): WriteResult {
  const table = model.servingTable(region, input.tableName);
  const returnValues = checkReturnValues(input.returnValues, ['NONE', 'ALL_OLD']);
  const returnOnFailure = checkReturnOnFailure(input.returnValuesOnConditionCheckFailure);
  const wanted = wantsCapacity(input);
  checkItem(input.item, table.keySchema);
  const attributes = expressionAttributes(input, input.conditionExpression !== undefined);
  const condition = input.conditionExpression === undefined ? undefined : parseCondition(input.conditionExpression, 'ConditionExpression', attributes);
  attributes.checkAllUsed();
  const key = table.store.keyOf(input.item);
  const old = table.store.get(key);
  checkCondition(condition, old, returnOnFailure);
  model.commit(table, key, input.item);
  return { ...withAttributes(returnValues === 'ALL_OLD' ? old : undefined), ...capacity(table, writeUnits(itemSize(input.item)), wanted) };
}

export function getItem(model: DynamoDbModel, region: string, input: GetItemInput): GetResult {
  const table = model.servingTable(region, input.tableName);
  const wanted = wantsCapacity(input);
  checkKey(input.key, table.keySchema);
  const attributes = expressionAttributes(input, input.projectionExpression !== undefined);
  const projection = projectionOf(input, attributes);
  attributes.checkAllUsed();
  const item = table.store.get(encodeKey(input.key, table.keySchema));
  const consistent = input.consistentRead ?? false;
  const units = readUnits(item ? itemSize(item) : 0, consistent);
  if (!item) return capacity(table, units, wanted);
  return { item: projection ? project(item, projection) : cloneItem(item), ...capacity(table, units, wanted) };
}

export function deleteItem(model: DynamoDbModel, region: string, input: DeleteItemInput): WriteResult {
  const table = model.servingTable(region, input.tableName);
  const returnValues = checkReturnValues(input.returnValues, ['NONE', 'ALL_OLD']);
  const returnOnFailure = checkReturnOnFailure(input.returnValuesOnConditionCheckFailure);
  const wanted = wantsCapacity(input);
  checkKey(input.key, table.keySchema);
  const attributes = expressionAttributes(input, input.conditionExpression !== undefined);
  const condition = input.conditionExpression === undefined ? undefined : parseCondition(input.conditionExpression, 'ConditionExpression', attributes);
  attributes.checkAllUsed();
  const key = encodeKey(input.key, table.keySchema);
  const old = table.store.get(key);
  checkCondition(condition, old, returnOnFailure);
  // Deleting what is not there changes nothing, so nothing replicates either.
  if (old) model.commit(table, key, null);
  return { ...withAttributes(returnValues === 'ALL_OLD' ? old : undefined), ...capacity(table, writeUnits(old ? itemSize(old) : 0), wanted) };
}

export function updateItem(model: DynamoDbModel, region: string, input: UpdateItemInput): WriteResult {
  const table = model.servingTable(region, input.tableName);
  const returnValues = checkReturnValues(input.returnValues, ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW']);
  const returnOnFailure = checkReturnOnFailure(input.returnValuesOnConditionCheckFailure);
  const wanted = wantsCapacity(input);
  checkKey(input.key, table.keySchema);
  const attributes = expressionAttributes(input, input.conditionExpression !== undefined || input.updateExpression !== undefined);
  const actions = input.updateExpression === undefined ? undefined : parseUpdate(input.updateExpression, attributes);
  const condition = input.conditionExpression === undefined ? undefined : parseCondition(input.conditionExpression, 'ConditionExpression', attributes);
  attributes.checkAllUsed();
  if (actions) checkKeyNotUpdated(actions, table.keySchema);
  const key = encodeKey(input.key, table.keySchema);
  const old = table.store.get(key);
  checkCondition(condition, old, returnOnFailure);
  const base = old ?? cloneItem(input.key);
  const next = actions ? applyUpdate(base, actions) : cloneItem(base);
  checkSize(next);
  model.commit(table, key, next);
  const paths = actions ? updatedPaths(actions) : [];
  const returned =
    returnValues === 'ALL_OLD'
      ? old
      : returnValues === 'ALL_NEW'
        ? next
        : returnValues === 'UPDATED_OLD'
          ? old && project(old, paths)
          : returnValues === 'UPDATED_NEW'
            ? project(next, paths)
            : undefined;
  return { ...withAttributes(returned), ...capacity(table, writeUnits(Math.max(itemSize(next), old ? itemSize(old) : 0)), wanted) };
}

// ---- reads over many items ---------------------------------------------------------

interface ReadPlan {
  filter?: Condition;
  projection?: DocumentPath[];
  count: boolean;
  limit?: number;
}

function planRead(input: ReadInput, attributes: ExpressionAttributes, parseExtra: () => void): ReadPlan {
  if (input.indexName !== undefined) {
    throw dynamoErrors.validation(`The table does not have the specified index: ${input.indexName}`);
  }
  parseExtra();
  const filter = input.filterExpression === undefined ? undefined : parseCondition(input.filterExpression, 'FilterExpression', attributes);
  const projection = projectionOf(input, attributes);
  attributes.checkAllUsed();
  const select = input.select;
  if (select !== undefined && !['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT'].includes(select)) {
    throw dynamoErrors.constraint('Select', 'Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]', select);
  }
  if (select === 'ALL_PROJECTED_ATTRIBUTES') throw dynamoErrors.validation('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  if (projection && select !== undefined && select !== 'SPECIFIC_ATTRIBUTES') {
    throw dynamoErrors.validation(`Cannot specify the ProjectionExpression when choosing to get ${select}`);
  }
  if (select === 'SPECIFIC_ATTRIBUTES' && !projection) {
    throw dynamoErrors.validation('SPECIFIC_ATTRIBUTES requires a ProjectionExpression or AttributesToGet');
  }
  if (input.limit !== undefined && input.limit < 1) throw dynamoErrors.constraint('Limit', 'Member must have value greater than or equal to 1', input.limit);
  return {
    ...(filter ? { filter } : {}),
    ...(projection ? { projection } : {}),
    count: select === 'COUNT',
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
  };
}

/**
 * One page: evaluate items in order until Limit items were read or 1 MB was
 * read, filter after reading (the filter does not change what Limit counts),
 * and say where to go on from when the page stopped early. Like DynamoDB,
 * a page that stops at Limit names its last key even when nothing follows.
 */
function page(table: Table, candidates: AttributeMap[], plan: ReadPlan, consistent: boolean, wanted: boolean): ReadResult {
  let scanned = 0;
  let bytes = 0;
  const matched: AttributeMap[] = [];
  let lastEvaluatedKey: AttributeMap | undefined;
  for (const [i, item] of candidates.entries()) {
    scanned++;
    bytes += itemSize(item);
    if (!plan.filter || evaluateCondition(plan.filter, item)) matched.push(item);
    const more = i < candidates.length - 1;
    if ((plan.limit !== undefined && scanned >= plan.limit) || (bytes >= MAX_PAGE_BYTES && more)) {
      lastEvaluatedKey = cloneItem(keyOf(item, table.keySchema));
      break;
    }
  }
  return {
    ...(plan.count ? {} : { items: matched.map((item) => (plan.projection ? project(item, plan.projection) : cloneItem(item))) }),
    count: matched.length,
    scannedCount: scanned,
    ...(lastEvaluatedKey ? { lastEvaluatedKey } : {}),
    ...capacity(table, readUnits(bytes, consistent), wanted),
  };
}

export function query(model: DynamoDbModel, region: string, input: QueryInput): ReadResult {
  const table = model.servingTable(region, input.tableName);
  const wanted = wantsCapacity(input);
  const schema = table.keySchema;
  const attributes = expressionAttributes(input, true);
  let keyCondition: ReturnType<typeof analyzeKeyCondition> | undefined;
  const plan = planRead(input, attributes, () => {
    if (input.keyConditionExpression === undefined) {
      throw dynamoErrors.validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    }
    keyCondition = analyzeKeyCondition(parseCondition(input.keyConditionExpression, 'KeyConditionExpression', attributes), schema);
  });
  const condition = keyCondition!;
  let candidates = table.store.partition(condition.partition);
  const range = schema.range;
  if (range && condition.sort) candidates = candidates.filter((item) => matchesSortKey(item[range.name]!, condition.sort!));
  const forward = input.scanIndexForward ?? true;
  if (!forward) candidates.reverse();
  const start = input.exclusiveStartKey;
  if (start) {
    checkKey(start, schema, 'The provided starting key is invalid: The provided key element does not match the schema');
    if (encodeKey(start, { hash: schema.hash }) !== encodeKey(condition.partition, { hash: schema.hash })) {
      throw dynamoErrors.validation('The provided starting key does not match the range key predicate');
    }
    if (!range) candidates = [];
    else {
      const startKey = encodeKey(start, schema);
      const at = candidates.findIndex((item) => encodeKey(item, schema) === startKey);
      candidates =
        at >= 0
          ? candidates.slice(at + 1)
          : candidates.filter((item) => {
              const order = table.store.compareScanPosition(item, start);
              return forward ? order > 0 : order < 0;
            });
    }
  }
  return page(table, candidates, plan, input.consistentRead ?? false, wanted);
}

export function scan(model: DynamoDbModel, region: string, input: ScanInput): ReadResult {
  const table = model.servingTable(region, input.tableName);
  const wanted = wantsCapacity(input);
  const attributes = expressionAttributes(input, input.filterExpression !== undefined || input.projectionExpression !== undefined);
  const plan = planRead(input, attributes, () => undefined);
  const { segment, totalSegments } = input;
  if (segment !== undefined && totalSegments === undefined) {
    throw dynamoErrors.validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (totalSegments !== undefined && segment === undefined) {
    throw dynamoErrors.validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
  }
  if (totalSegments !== undefined && (totalSegments < 1 || totalSegments > 1_000_000)) {
    throw dynamoErrors.constraint('TotalSegments', 'Member must have value between 1 and 1000000', totalSegments);
  }
  if (segment !== undefined && totalSegments !== undefined && (segment < 0 || segment >= totalSegments)) {
    throw dynamoErrors.validation(
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${totalSegments}`,
    );
  }
  let candidates = table.store.scanOrder();
  if (segment !== undefined && totalSegments !== undefined) {
    candidates = candidates.filter((item) => table.store.segmentOf(item, totalSegments) === segment);
  }
  const start = input.exclusiveStartKey;
  if (start) {
    checkKey(start, table.keySchema, 'The provided starting key is invalid: The provided key element does not match the schema');
    candidates = candidates.filter((item) => table.store.compareScanPosition(item, start) > 0);
  }
  return page(table, candidates, plan, input.consistentRead ?? false, wanted);
}

// ---- batches -------------------------------------------------------------------------

export interface BatchWriteResult {
  unprocessedItems: Record<string, never[]>;
  consumedCapacity?: ConsumedCapacity[];
}

export function batchWriteItem(model: DynamoDbModel, region: string, input: BatchWriteItemInput): BatchWriteResult {
  const wanted = wantsCapacity(input);
  const entries = Object.entries(input.requestItems);
  const total = entries.reduce((n, [, requests]) => n + requests.length, 0);
  if (entries.length === 0) throw dynamoErrors.constraint('RequestItems', 'Member must have length greater than or equal to 1', '{}');
  if (total > MAX_BATCH_WRITE) throw dynamoErrors.validation('Too many items requested for the BatchWriteItem call');
  // Check everything before writing anything: a refused batch writes nothing.
  const plans = entries.map(([name, requests]) => {
    const table = model.servingTable(region, name);
    if (requests.length === 0) throw dynamoErrors.constraint(`RequestItems.${name}`, 'Member must have length greater than or equal to 1', '[]');
    const keys = new Set<string>();
    const writes = requests.map((request) => {
      let key: string;
      if ('put' in request) {
        checkItem(request.put, table.keySchema);
        key = table.store.keyOf(request.put);
      } else {
        checkKey(request.delete, table.keySchema);
        key = encodeKey(request.delete, table.keySchema);
      }
      if (keys.has(key)) throw dynamoErrors.validation('Provided list of item keys contains duplicates');
      keys.add(key);
      return { key, item: 'put' in request ? request.put : null };
    });
    return { table, writes };
  });
  const consumed: ConsumedCapacity[] = [];
  for (const { table, writes } of plans) {
    let units = 0;
    for (const { key, item } of writes) {
      const old = table.store.get(key);
      units += writeUnits(item ? itemSize(item) : old ? itemSize(old) : 0);
      if (item || old) model.commit(table, key, item);
    }
    consumed.push({ tableName: table.name, capacityUnits: units });
  }
  return { unprocessedItems: {}, ...(wanted ? { consumedCapacity: consumed } : {}) };
}

export interface BatchGetResult {
  responses: Record<string, AttributeMap[]>;
  unprocessedKeys: Record<string, never>;
  consumedCapacity?: ConsumedCapacity[];
}

export function batchGetItem(model: DynamoDbModel, region: string, input: BatchGetItemInput): BatchGetResult {
  const wanted = wantsCapacity(input);
  const entries = Object.entries(input.requestItems);
  if (entries.length === 0) throw dynamoErrors.constraint('RequestItems', 'Member must have length greater than or equal to 1', '{}');
  const total = entries.reduce((n, [, request]) => n + request.keys.length, 0);
  if (total > MAX_BATCH_GET) throw dynamoErrors.validation('Too many items requested for the BatchGetItem call');
  const plans = entries.map(([name, request]) => {
    const table = model.servingTable(region, name);
    if (request.keys.length === 0) throw dynamoErrors.constraint(`RequestItems.${name}.member.Keys`, 'Member must have length greater than or equal to 1', '[]');
    const seen = new Set<string>();
    const keys = request.keys.map((key) => {
      checkKey(key, table.keySchema);
      const encoded = encodeKey(key, table.keySchema);
      if (seen.has(encoded)) throw dynamoErrors.validation('Provided list of item keys contains duplicates');
      seen.add(encoded);
      return encoded;
    });
    const attributes = expressionAttributes(request, request.projectionExpression !== undefined);
    const projection = projectionOf(request, attributes);
    attributes.checkAllUsed();
    return { name, table, keys, projection, consistent: request.consistentRead ?? false };
  });
  const responses: Record<string, AttributeMap[]> = {};
  const consumed: ConsumedCapacity[] = [];
  for (const { name, table, keys, projection, consistent } of plans) {
    let units = 0;
    responses[name] = keys.flatMap((key) => {
      const item = table.store.get(key);
      units += readUnits(item ? itemSize(item) : 0, consistent);
      if (!item) return [];
      return [projection ? project(item, projection) : cloneItem(item)];
    });
    consumed.push({ tableName: name, capacityUnits: units });
  }
  return { responses, unprocessedKeys: {}, ...(wanted ? { consumedCapacity: consumed } : {}) };
}

