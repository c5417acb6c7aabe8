import type { EpochMs } from '../../../clock/types.js';
import type { SimWorld } from '../../types.js';
import { cloneItem, readAttributeMap } from './attribute-values.js';
import { dynamoErrors } from './errors.js';
import { ItemStore } from './item-store.js';
import { Replication } from './replication.js';
import { effectiveSizeBytes, isServing, tableSizeScale, type Table } from './table.js';
import type {
  AttributeMap,
  Backup,
  BillingMode,
  CreateTableInput,
  GlobalTableGroup,
  KeySchema,
  ReplicaUpdate,
  ReplicationRecord,
  ScalarType,
  SeedTableSpec,
  TableStatus,
  Throughput,
  UpdateTableInput,
  VersionStamp,
} from './types.js';

const DAY = 86_400_000;
export const PITR_MAX_DAYS = 35;
export const GLOBAL_TABLE_VERSION = '2019.11.21';

const tableNamePattern = /^[a-zA-Z0-9_.-]+$/;

/** TableName's constraints, checked on every operation that names a table. */
export function checkTableName(name: string, member = 'TableName'): void {
  if (name.length < 3) throw dynamoErrors.constraint(member, 'Member must have length greater than or equal to 3', name);
  if (name.length > 255) throw dynamoErrors.constraint(member, 'Member must have length less than or equal to 255', name);
  if (!tableNamePattern.test(name)) throw dynamoErrors.constraint(member, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+', name);
}

/**
 * The simulated DynamoDB: regional tables, their items and item histories,
 * global table groups and their replication, point-in-time recovery and
 * on-demand backups. Item operations live in items.ts and recovery in
 * recovery.ts; both work on this model's state.
 */
export class DynamoDbModel {
  private readonly tables = new Map<string, Table>();
  readonly backups = new Map<string, Backup>();
  readonly replication: Replication;
  private seq = 0;
  /** Tables created so far: a recreated table gets a random stream of its own. */
  private generation = 0;
  private readonly ids;

  constructor(readonly world: SimWorld) {
    this.ids = world.rng.fork('dynamodb:ids');
    this.replication = new Replication(world, { tableIn: (region, name) => this.tableIn(region, name) });
  }

  now(): EpochMs {
    return this.world.clock.now();
  }

  arnOf(region: string, name: string): string {
    return `arn:aws:dynamodb:${region}:${this.world.accountId}:table/${name}`;
  }

  newId(): string {
    const hex = '0123456789abcdef';
    const r = this.ids;
    return `${r.alnum(8, hex)}-${r.alnum(4, hex)}-${r.alnum(4, hex)}-${r.alnum(4, hex)}-${r.alnum(12, hex)}`;
  }

  hexSuffix(): string {
    return this.ids.alnum(8, '0123456789abcdef');
  }

  nextStamp(region: string, at: EpochMs = this.now()): VersionStamp {
    return { at, seq: ++this.seq, region };
  }

  // ---- lookups ------------------------------------------------------------

  tableIn(region: string, name: string): Table | undefined {
    return this.tables.get(`${region}|${name}`);
  }

  tablesIn(region: string): Table[] {
    return [...this.tables.values()].filter((t) => t.region === region).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  tableByArn(arn: string): Table | undefined {
    const match = /^arn:aws[a-z-]*:dynamodb:([^:]+):\d{12}:table\/([^/]+)$/.exec(arn);
    if (!match) return undefined;
    const table = this.tableIn(match[1]!, match[2]!);
    return table?.arn === arn ? table : undefined;
  }

  /** A table for a control-plane call (Describe/Update/Delete): any status. */
  requireTable(region: string, name: string): Table {
    const table = this.tableIn(region, name);
    if (!table) throw dynamoErrors.tableNotFoundForOperation(name);
    return table;
  }

  /** A table for an item operation: only while it serves. */
  servingTable(region: string, name: string): Table {
    const table = this.tableIn(region, name);
    if (!table || !isServing(table)) throw dynamoErrors.resourceNotFound();
    return table;
  }

  // ---- writes ---------------------------------------------------------------

  /** Commit a local write (null deletes) and send it to the table's other replicas. */
  commit(table: Table, key: string, item: AttributeMap | null): VersionStamp {
    const stamp = this.nextStamp(table.region);
    table.store.apply(key, item, stamp, stamp.at);
    this.replication.enqueue(table, key, item, stamp);
    return stamp;
  }

  // ---- table lifecycle ----------------------------------------------------------

  private newTable(spec: {
    name: string;
    region: string;
    keySchema: KeySchema;
    status: TableStatus;
    createdAt: EpochMs;
    billingMode: BillingMode;
    provisioned?: Throughput;
    tags?: Record<string, string>;
    deletionProtection?: boolean;
    nominalSizeBytes?: number;
  }): Table {
    const arn = this.arnOf(spec.region, spec.name);
    const table: Table = {
      name: spec.name,
      region: spec.region,
      arn,
      id: this.newId(),
      status: spec.status,
      createdAt: spec.createdAt,
      keySchema: spec.keySchema,
      billingMode: spec.billingMode,
      ...(spec.provisioned ? { provisioned: { ...spec.provisioned } } : {}),
      ...(spec.billingMode === 'PAY_PER_REQUEST' ? { lastUpdateToPayPerRequest: spec.createdAt } : {}),
      deletionProtection: spec.deletionProtection ?? false,
      tags: { ...spec.tags },
      store: new ItemStore(spec.keySchema),
      pitr: { enabled: false, recoveryPeriodDays: PITR_MAX_DAYS, trailMs: 0 },
      ...(spec.nominalSizeBytes !== undefined ? { nominalSizeBytes: spec.nominalSizeBytes } : {}),
      rng: this.world.rng.fork(`dynamodb:${arn}:${++this.generation}`),
    };
    table.pitr.trailMs = this.world.duration('dynamodb.pitr.trail', table.rng);
    this.tables.set(`${table.region}|${table.name}`, table);
    return table;
  }

  setStatus(table: Table, status: TableStatus): void {
    const previous = table.status;
    if (previous === status) return;
    table.status = status;
    this.world.emit('dynamodb.table.status', { region: table.region, table: table.name, arn: table.arn, status, previous });
  }

  /** Run `then` after `ms`, as the table's one pending transition. */
  scheduleTransition(table: Table, ms: number, label: string, then: () => void): void {
    if (table.transition) this.world.clock.cancel(table.transition);
    table.transition = this.world.clock.schedule(
      this.now() + ms,
      () => {
        table.transition = undefined;
        then();
      },
      `dynamodb ${table.region} ${table.name}: ${label}`,
    );
  }

  createTable(region: string, input: CreateTableInput): Table {
    checkTableName(input.tableName);
    if (input.secondaryIndexes) {
      throw dynamoErrors.validation('The simulator does not model secondary indexes; create the table without GlobalSecondaryIndexes and LocalSecondaryIndexes.');
    }
    const keySchema = readKeySchema(input.keySchema, input.attributeDefinitions);
    const { billingMode, provisioned } = readBilling(input.billingMode ?? 'PROVISIONED', input.provisioned);
    if (this.tableIn(region, input.tableName)) throw dynamoErrors.resourceInUse(`Table already exists: ${input.tableName}`);
    const tags = Object.fromEntries((input.tags ?? []).map((t) => [t.key, t.value]));
    const table = this.newTable({
      name: input.tableName,
      region,
      keySchema,
      status: 'CREATING',
      createdAt: this.now(),
      billingMode,
      ...(provisioned ? { provisioned } : {}),
      tags,
      deletionProtection: input.deletionProtection ?? false,
    });
    this.world.emit('dynamodb.table.status', { region, table: table.name, arn: table.arn, status: 'CREATING' });
    this.scheduleTransition(table, this.world.duration('dynamodb.table.create', table.rng), 'created', () => this.setStatus(table, 'ACTIVE'));
    return table;
  }

  /** Create a table whose items come from a restore: CREATING for a size-dependent time, then ACTIVE. */
  createRestoredTable(
    region: string,
    spec: {
      name: string;
      keySchema: KeySchema;
      billingMode: BillingMode;
      provisioned?: Throughput;
      items: readonly AttributeMap[];
      restore: { sourceTableArn?: string; sourceBackupArn?: string; restoreDateTime: EpochMs };
      nominalSizeBytes?: number;
    },
  ): Table {
    const table = this.newTable({
      name: spec.name,
      region,
      keySchema: spec.keySchema,
      status: 'CREATING',
      createdAt: this.now(),
      billingMode: spec.billingMode,
      ...(spec.provisioned ? { provisioned: spec.provisioned } : {}),
      ...(spec.nominalSizeBytes !== undefined ? { nominalSizeBytes: spec.nominalSizeBytes } : {}),
    });
    table.restore = { ...spec.restore, inProgress: true };
    for (const item of spec.items) {
      const stamp = this.nextStamp(region);
      table.store.apply(table.store.keyOf(item), item, stamp, stamp.at);
    }
    const ms = this.world.duration('dynamodb.restore', table.rng, tableSizeScale(effectiveSizeBytes(table)));
    this.world.emit('dynamodb.restore.started', {
      region,
      table: table.name,
      arn: table.arn,
      ...spec.restore,
      items: spec.items.length,
      durationMs: ms,
    });
    this.world.emit('dynamodb.table.status', { region, table: table.name, arn: table.arn, status: 'CREATING' });
    this.scheduleTransition(table, ms, 'restored', () => {
      table.restore = { ...table.restore!, inProgress: false };
      this.setStatus(table, 'ACTIVE');
      this.world.emit('dynamodb.restore.completed', { region, table: table.name, arn: table.arn, ...spec.restore });
    });
    return table;
  }

  listTables(region: string, input: { exclusiveStartTableName?: string; limit?: number }): { names: string[]; lastEvaluated?: string } {
    const limit = input.limit ?? 100;
    if (limit < 1) throw dynamoErrors.constraint('Limit', 'Member must have value greater than or equal to 1', limit);
    if (limit > 100) throw dynamoErrors.constraint('Limit', 'Member must have value less than or equal to 100', limit);
    if (input.exclusiveStartTableName !== undefined) checkTableName(input.exclusiveStartTableName, 'ExclusiveStartTableName');
    const start = input.exclusiveStartTableName;
    const names = this.tablesIn(region)
      .map((t) => t.name)
      .filter((name) => start === undefined || name > start);
    const page = names.slice(0, limit);
    return names.length > limit ? { names: page, lastEvaluated: page[page.length - 1]! } : { names: page };
  }

  deleteTable(region: string, name: string): Table {
    checkTableName(name);
    const table = this.requireTable(region, name);
    if (table.status === 'CREATING') throw dynamoErrors.resourceInUse(`Attempt to change a resource which is still in use: Table is being created: ${name}`);
    if (table.status === 'UPDATING') throw dynamoErrors.resourceInUse(`Attempt to change a resource which is still in use: Table is being updated: ${name}`);
    if (table.status === 'DELETING') throw dynamoErrors.resourceInUse(`Attempt to change a resource which is still in use: Table is being deleted: ${name}`);
    if (table.deletionProtection) {
      throw dynamoErrors.validation(`Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.`);
    }
    if (table.transition) this.world.clock.cancel(table.transition);
    this.setStatus(table, 'DELETING');
    this.removeTable(table);
    return table;
  }

  private removeTable(table: Table): void {
    this.tables.delete(`${table.region}|${table.name}`);
    const group = table.group;
    if (group) {
      group.replicas.delete(table.region);
      this.replication.dropStreamsTo(table.name, table.region);
      if (group.replicas.size <= 1) {
        for (const region of group.replicas.keys()) {
          const other = this.tableIn(region, table.name);
          if (other) delete other.group;
        }
      }
    }
    if (![...this.tables.values()].some((t) => t.name === table.name)) this.replication.forget(table.name);
    this.world.emit('dynamodb.table.deleted', { region: table.region, table: table.name, arn: table.arn });
  }

  updateTable(region: string, input: UpdateTableInput): Table {
    checkTableName(input.tableName);
    const table = this.requireTable(region, input.tableName);
    const changes =
      input.billingMode !== undefined ||
      input.provisioned !== undefined ||
      input.deletionProtection !== undefined ||
      (input.replicaUpdates !== undefined && input.replicaUpdates.length > 0);
    if (!changes) {
      throw dynamoErrors.validation(
        'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
      );
    }
    if (table.status !== 'ACTIVE') {
      const doing = table.status === 'CREATING' ? 'created' : table.status === 'DELETING' ? 'deleted' : 'updated';
      throw dynamoErrors.resourceInUse(`Attempt to change a resource which is still in use: Table is being ${doing}: ${table.name}`);
    }
    if (input.billingMode !== undefined || input.provisioned !== undefined) this.updateBilling(table, input);
    if (input.deletionProtection !== undefined) table.deletionProtection = input.deletionProtection;
    if (input.replicaUpdates && input.replicaUpdates.length > 0) this.updateReplicas(table, input.replicaUpdates);
    return table;
  }

  private updateBilling(table: Table, input: UpdateTableInput): void {
    const mode = input.billingMode ?? table.billingMode;
    if (mode !== 'PROVISIONED' && mode !== 'PAY_PER_REQUEST') {
      throw dynamoErrors.constraint('BillingMode', 'Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]', mode);
    }
    if (mode === 'PAY_PER_REQUEST') {
      if (input.provisioned) {
        throw dynamoErrors.invalidParameters('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
      }
      if (table.billingMode !== 'PAY_PER_REQUEST') {
        table.lastUpdateToPayPerRequest = this.now();
        table.billingMode = 'PAY_PER_REQUEST';
        this.world.emit('dynamodb.table.billing', { region: table.region, table: table.name, billingMode: 'PAY_PER_REQUEST' });
      }
      return;
    }
    const provisioned = input.provisioned ?? (table.billingMode === 'PROVISIONED' ? undefined : table.provisioned);
    if (!provisioned) {
      throw dynamoErrors.validation('One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
    }
    checkThroughput(provisioned);
    const current = table.provisioned;
    if (
      table.billingMode === 'PROVISIONED' &&
      current &&
      current.readCapacityUnits === provisioned.readCapacityUnits &&
      current.writeCapacityUnits === provisioned.writeCapacityUnits
    ) {
      throw dynamoErrors.validation(
        `The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: ${current.readCapacityUnits}. Requested ReadCapacityUnits: ${provisioned.readCapacityUnits}. Current WriteCapacityUnits provisioned for the table: ${current.writeCapacityUnits}. Requested WriteCapacityUnits: ${provisioned.writeCapacityUnits}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`,
      );
    }
    table.billingMode = 'PROVISIONED';
    table.provisioned = { ...provisioned };
    this.world.emit('dynamodb.table.billing', { region: table.region, table: table.name, billingMode: 'PROVISIONED', ...provisioned });
  }

  private updateReplicas(table: Table, updates: ReplicaUpdate[]): void {
    // Check every update before acting on any, so a refused request changes nothing.
    const seen = new Set<string>();
    for (const update of updates) {
      const region = 'create' in update ? update.create : update.delete;
      if (seen.has(region)) throw dynamoErrors.invalidParameters(`Only one replica update per region is allowed in one request; region: ${region}`);
      seen.add(region);
      if ('create' in update) {
        if (region === table.region) throw dynamoErrors.invalidParameters(`Cannot add a replica in the table's own region: ${region}`);
        if (table.group?.replicas.has(region)) throw dynamoErrors.invalidParameters(`The table already has a replica in region ${region}`);
        if (this.tableIn(region, table.name)) {
          throw dynamoErrors.validation(
            `Failed to create a the new replica of table with name: '${table.name}' because one or more replicas already existed as tables.`,
          );
        }
      } else {
        if (region === table.region) {
          throw dynamoErrors.invalidParameters(`Cannot delete the replica in the region the request is made in (${region}); call DeleteTable there instead`);
        }
        if (!table.group?.replicas.has(region)) throw dynamoErrors.invalidParameters(`The table has no replica in region ${region}`);
        const replica = this.tableIn(region, table.name);
        if (replica && replica.status === 'CREATING') {
          throw dynamoErrors.resourceInUse(`Attempt to change a resource which is still in use: Replica is being created in region ${region}`);
        }
      }
    }
    for (const update of updates) {
      if ('create' in update) this.addReplica(table, update.create);
      else this.removeReplica(table, update.delete);
    }
  }

  private groupOf(table: Table): GlobalTableGroup {
    if (!table.group) {
      table.group = { name: table.name, replicas: new Map([[table.region, { region: table.region, status: 'ACTIVE' }]]) };
    }
    return table.group;
  }

  private addReplica(source: Table, region: string): void {
    const group = this.groupOf(source);
    const replica = this.newTable({
      name: source.name,
      region,
      keySchema: source.keySchema,
      status: 'CREATING',
      createdAt: this.now(),
      billingMode: source.billingMode,
      ...(source.provisioned ? { provisioned: source.provisioned } : {}),
      tags: source.tags,
      ...(source.nominalSizeBytes !== undefined ? { nominalSizeBytes: source.nominalSizeBytes } : {}),
    });
    replica.group = group;
    group.replicas.set(region, { region, status: 'CREATING' });
    this.setStatus(source, 'UPDATING');
    this.world.emit('dynamodb.replica.status', { table: source.name, region, status: 'CREATING', from: source.region });
    const ms = this.world.duration('dynamodb.replica.create', replica.rng, tableSizeScale(effectiveSizeBytes(source)));
    this.scheduleTransition(replica, ms, `replica created from ${source.region}`, () => this.finishReplica(source, replica));
  }

  /** The new replica is built: backfill it, then it serves and takes part in replication. */
  private finishReplica(source: Table, replica: Table): void {
    if (!this.world.faults.isRegionUp(replica.region)) {
      // Creation cannot finish in a region that is down; look again later.
      this.scheduleTransition(replica, 60_000, 'replica creation waits for its region', () => this.finishReplica(source, replica));
      return;
    }
    const group = replica.group;
    if (!group) return;
    // Newest version of every key across the serving replicas (deletes included), by last-writer-wins.
    for (const region of group.replicas.keys()) {
      const member = this.tableIn(region, replica.name);
      if (!member || member === replica || member.status === 'CREATING') continue;
      for (const { key, item, stamp } of member.store.entries()) replica.store.apply(key, item, stamp, this.now(), true);
    }
    group.replicas.set(replica.region, { region: replica.region, status: 'ACTIVE' });
    this.setStatus(replica, 'ACTIVE');
    this.world.emit('dynamodb.replica.status', { table: replica.name, region: replica.region, status: 'ACTIVE', items: replica.store.itemCount });
    const stillCreating = [...group.replicas.values()].some((r) => r.status === 'CREATING');
    const origin = this.tableIn(source.region, source.name);
    if (origin && origin.status === 'UPDATING' && !stillCreating) this.setStatus(origin, 'ACTIVE');
    this.replication.kick(replica.name);
  }

  private removeReplica(table: Table, region: string): void {
    const replica = this.tableIn(region, table.name);
    this.world.emit('dynamodb.replica.status', { table: table.name, region, status: 'DELETING' });
    if (replica) {
      if (replica.transition) this.world.clock.cancel(replica.transition);
      this.setStatus(replica, 'DELETING');
      this.removeTable(replica);
    } else {
      table.group?.replicas.delete(region);
      this.replication.dropStreamsTo(table.name, region);
    }
  }

  // ---- seeding and ground truth ----------------------------------------------------

  /**
   * A table as it stands at t = 0 (DESIGN §6, Seeding): ACTIVE, created a
   * year ago unless told, point-in-time recovery on since creation (so the
   * window already reaches back 35 days), replicas in sync, items present
   * since creation.
   */
  seedTable(spec: SeedTableSpec): Table {
    checkTableName(spec.name);
    const keySchema: KeySchema = { hash: { ...spec.key.hash }, ...(spec.key.range ? { range: { ...spec.key.range } } : {}) };
    const createdAt = spec.createdAt ?? this.now() - 365 * DAY;
    const billingMode = spec.billingMode ?? 'PAY_PER_REQUEST';
    const provisioned = billingMode === 'PROVISIONED' ? (spec.provisioned ?? { readCapacityUnits: 5, writeCapacityUnits: 5 }) : undefined;
    const regions = [spec.region, ...(spec.replicaRegions ?? []).filter((r) => r !== spec.region)];
    for (const region of regions) {
      if (this.tableIn(region, spec.name)) throw new Error(`seedTable: table ${spec.name} already exists in ${region}`);
    }
    const items = (spec.items ?? []).map((item, i) => {
      const read = readAttributeMap(item as never, `items[${i}]`);
      for (const key of [keySchema.hash, ...(keySchema.range ? [keySchema.range] : [])]) {
        const value = read[key.name];
        if (!value || !(key.type in value)) throw new Error(`seedTable ${spec.name}: item ${i} lacks key ${key.name} of type ${key.type}`);
      }
      return read;
    });
    const group: GlobalTableGroup | undefined =
      regions.length > 1 ? { name: spec.name, replicas: new Map(regions.map((region) => [region, { region, status: 'ACTIVE' as const }])) } : undefined;
    const stamps = items.map(() => this.nextStamp(spec.region, createdAt));
    const tables = regions.map((region) => {
      const table = this.newTable({
        name: spec.name,
        region,
        keySchema,
        status: 'ACTIVE',
        createdAt,
        billingMode,
        ...(provisioned ? { provisioned } : {}),
        ...(spec.tags ? { tags: spec.tags } : {}),
        ...(spec.deletionProtection !== undefined ? { deletionProtection: spec.deletionProtection } : {}),
        ...(spec.nominalSizeBytes !== undefined ? { nominalSizeBytes: spec.nominalSizeBytes } : {}),
      });
      if (group) table.group = group;
      if (spec.pitr ?? true) table.pitr = { ...table.pitr, enabled: true, enabledAt: createdAt };
      items.forEach((item, i) => table.store.apply(table.store.keyOf(item), item, stamps[i]!, createdAt));
      return table;
    });
    this.world.emit('dynamodb.table.seeded', { table: spec.name, regions, items: items.length, pitr: spec.pitr ?? true });
    return tables[0]!;
  }

  /** The items of a regional table as they were at `time` (ground truth; no API call). */
  itemsAsOf(region: string, table: string, time: EpochMs): AttributeMap[] {
    const found = this.tableIn(region, table);
    if (!found) throw new Error(`no DynamoDB table ${table} in ${region}`);
    return found.store.asOf(time);
  }

  /** The current items of a regional table, whatever its status (ground truth). */
  items(region: string, table: string): AttributeMap[] {
    const found = this.tableIn(region, table);
    if (!found) throw new Error(`no DynamoDB table ${table} in ${region}`);
    return found.store.scanOrder().map((item) => cloneItem(item));
  }

  /** Writes accepted in one region and not yet applied in another, oldest first. */
  replicationBacklog(table?: string): ReplicationRecord[] {
    return this.replication.backlog(table);
  }
}

function readKeySchema(elements: CreateTableInput['keySchema'], definitions: CreateTableInput['attributeDefinitions']): KeySchema {
  if (elements.length < 1) throw dynamoErrors.constraint('KeySchema', 'Member must have length greater than or equal to 1', '[]');
  if (elements.length > 2) throw dynamoErrors.constraint('KeySchema', 'Member must have length less than or equal to 2');
  elements.forEach((e, i) => {
    if (e.keyType !== 'HASH' && e.keyType !== 'RANGE') {
      throw dynamoErrors.constraint(`KeySchema.${i + 1}.member.KeyType`, 'Member must satisfy enum value set: [HASH, RANGE]', e.keyType);
    }
  });
  definitions.forEach((d, i) => {
    if (d.type !== 'S' && d.type !== 'N' && d.type !== 'B') {
      throw dynamoErrors.constraint(`AttributeDefinitions.${i + 1}.member.AttributeType`, 'Member must satisfy enum value set: [B, N, S]', d.type);
    }
  });
  const [hash, range] = elements;
  if (hash!.keyType !== 'HASH') throw dynamoErrors.validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (range && range.keyType !== 'RANGE') throw dynamoErrors.validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  if (range && range.name === hash!.name) {
    throw dynamoErrors.validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  }
  const names = elements.map((e) => e.name);
  const defined = definitions.map((d) => d.name);
  const missing = names.filter((n) => !defined.includes(n));
  if (missing.length > 0) {
    throw dynamoErrors.invalidParameters(
      `Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(', ')}], AttributeDefinitions: [${defined.join(', ')}]`,
    );
  }
  if (new Set(defined).size !== defined.length || defined.length !== names.length) {
    throw dynamoErrors.invalidParameters(
      'Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  }
  const typeOfName = (name: string) => definitions.find((d) => d.name === name)!.type as ScalarType;
  return {
    hash: { name: hash!.name, type: typeOfName(hash!.name) },
    ...(range ? { range: { name: range.name, type: typeOfName(range.name) } } : {}),
  };
}

function checkThroughput(throughput: Throughput): void {
  for (const [member, value] of [
    ['ProvisionedThroughput.ReadCapacityUnits', throughput.readCapacityUnits],
    ['ProvisionedThroughput.WriteCapacityUnits', throughput.writeCapacityUnits],
  ] as const) {
    if (value < 1) throw dynamoErrors.constraint(member, 'Member must have value greater than or equal to 1', value);
  }
}

function readBilling(mode: string, provisioned: Throughput | undefined): { billingMode: BillingMode; provisioned?: Throughput } {
  if (mode !== 'PROVISIONED' && mode !== 'PAY_PER_REQUEST') {
    throw dynamoErrors.constraint('BillingMode', 'Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]', mode);
  }
  if (mode === 'PAY_PER_REQUEST') {
    if (provisioned) {
      throw dynamoErrors.invalidParameters('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    }
    return { billingMode: mode };
  }
  if (!provisioned) {
    throw dynamoErrors.invalidParameters('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  }
  checkThroughput(provisioned);
  return { billingMode: mode, provisioned };
}
