import { storageScale } from '../../calibration.js';
import { DAY_MS, newBackupState, seedBackups, startBackups } from './backups.js';
import { engineDefaults, isAurora, reachableStatuses } from './engines.js';
import { rdsErrors } from './errors.js';
import type { RdsModel } from './model.js';
import { applyFilters, checkIdentifier, matchesIdOrArn, paginate, rdsArn } from './naming.js';
import { tagsOf } from './records.js';
import type {
  CreateDBClusterInput,
  CreateDBInstanceInput,
  DbCluster,
  DbInstance,
  DescribeDBClustersInput,
  FailoverDBClusterInput,
  InstanceStatus,
  Page,
  SeedClusterSpec,
  Tag,
} from './types.js';

/**
 * DB clusters: Multi-AZ DB clusters (a writer and two readers in three
 * AZs) and Aurora-style clusters (instances join through CreateDBInstance),
 * sharing one volume among their members; cluster failover and the choice
 * of the reader RDS promotes.
 */

/** A Multi-AZ DB cluster (or an Aurora cluster for `aurora-*` engines) with its members, available. */
export function seedCluster(model: RdsModel, spec: SeedClusterSpec): DbCluster {
  const engine = model.checkEngine(spec.engine ?? 'aurora-postgresql');
  const id = checkIdentifier('DBClusterIdentifier', spec.identifier);
  const cluster = newCluster(model, {
    id,
    region: spec.region,
    engine,
    ...(spec.engineVersion !== undefined ? { engineVersion: spec.engineVersion } : {}),
    instanceClass: spec.instanceClass ?? 'db.r6g.large',
    allocatedStorage: spec.allocatedStorage ?? 100,
    retentionDays: model.checkRetention(spec.backupRetentionDays) ?? 7,
    tags: tagsOf(spec.tags),
    ...(spec.subnetIds?.length ? { subnetIds: [...spec.subnetIds], dbSubnetGroupName: `${id}-subnets` } : {}),
    status: 'available',
  });
  cluster.createdAt = model.now() - (cluster.backup.retentionDays + 30) * DAY_MS;
  seedBackups(model.world, cluster.backup, model.now());
  const members = spec.members ?? [1, 2, 3].map((n) => `${cluster.id}-instance-${n}`);
  members.forEach((member, i) => {
    const m = typeof member === 'string' ? { identifier: member } : member;
    addClusterMember(model, cluster, m.identifier, i, 'available', {
      ...(m.availabilityZone !== undefined ? { AvailabilityZone: m.availabilityZone } : {}),
      ...(m.promotionTier !== undefined ? { PromotionTier: m.promotionTier } : {}),
      ...(m.instanceClass !== undefined ? { DBInstanceClass: m.instanceClass } : {}),
    });
  });
  return cluster;
}

function newCluster(
  model: RdsModel,
  args: {
    id: string;
    region: string;
    engine: string;
    engineVersion?: string;
    instanceClass?: string;
    allocatedStorage?: number;
    storageType?: string;
    port?: number;
    masterUsername?: string;
    databaseName?: string;
    retentionDays: number;
    availabilityZones?: string[];
    subnetIds?: string[];
    dbSubnetGroupName?: string;
    tags: Tag[];
    status: DbCluster['status'];
  },
): DbCluster {
  if (model.clusters.has(model.key(args.region, args.id))) throw rdsErrors.dbClusterAlreadyExists();
  const arn = rdsArn(args.region, model.world.accountId, 'cluster', args.id);
  const rng = model.rngFor(arn);
  const defaults = engineDefaults[args.engine];
  const hash = model.endpointHash(args.region);
  const aurora = isAurora(args.engine);
  const cluster: DbCluster = {
    id: args.id,
    region: args.region,
    arn,
    resourceId: 'cluster-' + rng.alnum(26, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
    engine: args.engine,
    engineVersion: args.engineVersion ?? defaults?.version ?? '1.0',
    status: args.status,
    multiAZCluster: !aurora,
    ...(args.instanceClass !== undefined ? { instanceClass: args.instanceClass } : {}),
    allocatedStorage: args.allocatedStorage ?? 1,
    port: args.port ?? defaults?.port ?? 5432,
    endpoint: `${args.id}.cluster-${hash}.${args.region}.rds.amazonaws.com`,
    readerEndpoint: `${args.id}.cluster-ro-${hash}.${args.region}.rds.amazonaws.com`,
    masterUsername: args.masterUsername ?? defaults?.user ?? 'admin',
    ...(args.databaseName !== undefined ? { databaseName: args.databaseName } : {}),
    // A cluster's AvailabilityZones are its subnet group's, as RDS answers them.
    availabilityZones: args.availabilityZones ?? model.zonesOf(args.region, model.subnetsOf(args.region, args.subnetIds ?? [])),
    subnetIds: [...(args.subnetIds ?? [])],
    ...(args.dbSubnetGroupName !== undefined ? { dbSubnetGroupName: args.dbSubnetGroupName } : {}),
    members: [],
    createdAt: model.now(),
    tags: args.tags,
    backup: newBackupState(
      rdsArn(args.region, model.world.accountId, 'cluster-auto-backup', 'cab-' + rng.alnum(41)),
      args.retentionDays,
      model.world.rng.fork(`rds:${arn}:log-shipping#${model.incarnations.get(arn)}`),
    ),
    volume: { entries: [], nextSeq: 1 },
    promotionRng: model.world.rng.fork(`rds:${arn}:promotion#${model.incarnations.get(arn)}`),
    rng,
    timers: new Set(),
  };
  model.clusters.set(model.key(args.region, args.id), cluster);
  model.world.emit('rds.cluster.status', { region: cluster.region, id: cluster.id, arn: cluster.arn, status: cluster.status });
  return cluster;
}

export function addClusterMember(
  model: RdsModel,
  cluster: DbCluster,
  rawId: string,
  index: number,
  status: InstanceStatus,
  input?: Partial<CreateDBInstanceInput>,
): DbInstance {
  const id = model.requireNewInstanceId(cluster.region, rawId);
  const zones = cluster.availabilityZones;
  const member = model.newInstance({
    id,
    region: cluster.region,
    engine: cluster.engine,
    engineVersion: cluster.engineVersion,
    instanceClass: input?.DBInstanceClass ?? cluster.instanceClass ?? 'db.r6g.large',
    allocatedStorage: cluster.allocatedStorage,
    port: cluster.port,
    masterUsername: cluster.masterUsername,
    multiAZ: false,
    // Members join the cluster's DB subnet group: each lands in the subnet of its zone.
    ...(cluster.subnetIds.length > 0 ? { subnetIds: cluster.subnetIds } : {}),
    ...(cluster.dbSubnetGroupName !== undefined ? { dbSubnetGroupName: cluster.dbSubnetGroupName } : {}),
    ...(input?.AvailabilityZone !== undefined
      ? { availabilityZone: input.AvailabilityZone }
      : cluster.multiAZCluster && zones.length > 0
        ? { availabilityZone: zones[index % zones.length]! }
        : {}),
    retentionDays: 0,
    tags: input?.Tags ?? [],
    status,
    clusterId: cluster.id,
    volume: cluster.volume,
    promotionTier: input?.PromotionTier ?? 1,
  });
  member.createdAt = cluster.createdAt;
  if (status !== 'available') member.createdAt = model.now();
  cluster.members.push(member.id);
  cluster.writerId ??= member.id;
  return model.register(member);
}

export function removeClusterMember(model: RdsModel, cluster: DbCluster, id: string): void {
  cluster.members = cluster.members.filter((m) => m !== id);
  if (cluster.writerId === id) {
    const next = pickReader(model, cluster);
    if (next) cluster.writerId = next.id;
    else delete cluster.writerId;
    model.world.emit('rds.cluster.writer', { region: cluster.region, id: cluster.id, writer: cluster.writerId ?? null });
  }
}

/**
 * The reader RDS promotes when it picks one itself. Aurora User Guide,
 * "Fault tolerance for an Aurora DB cluster": Aurora "promotes the Aurora
 * Replica that has the highest priority" (tier-0 first, then tier-1, … up
 * to tier-15); "If two or more Aurora Replicas share the same priority,
 * then Amazon RDS promotes the replica that is largest in size. If two or
 * more Aurora Replicas share the same priority and size, then Amazon RDS
 * promotes an arbitrary replica in the same promotion tier." Arbitrary is
 * a draw from the cluster's own stream, not the identifier order, so a
 * drill cannot come to rely on which of two equal readers wins. A reader
 * that cannot take over (being deleted, created, or in a zone without
 * power) is passed over.
 */
export function pickReader(model: RdsModel, cluster: DbCluster): DbInstance | undefined {
  const candidates = cluster.members
    .filter((m) => m !== cluster.writerId)
    .map((m) => model.findInstance(cluster.region, m))
    .filter((m): m is DbInstance => m !== undefined && reachableStatuses.has(m.status) && model.world.faults.isZonePowered(m.availabilityZone))
    .sort((a, b) => a.promotionTier - b.promotionTier || instanceClassSize(b.instanceClass) - instanceClassSize(a.instanceClass) || (a.id < b.id ? -1 : 1));
  const best = candidates[0];
  if (!best) return undefined;
  const tied = candidates.filter((m) => m.promotionTier === best.promotionTier && instanceClassSize(m.instanceClass) === instanceClassSize(best.instanceClass));
  return tied.length === 1 ? best : cluster.promotionRng.pick(tied);
}

/**
 * Aurora engines create an empty cluster (instances join through
 * CreateDBInstance); mysql/postgres with DBClusterInstanceClass create a
 * Multi-AZ DB cluster with a writer and two readers in three AZs.
 */
export function createDBCluster(model: RdsModel, region: string, input: CreateDBClusterInput): DbCluster {
  const id = checkIdentifier('DBClusterIdentifier', input.DBClusterIdentifier);
  const engine = model.checkEngine(input.Engine);
  const aurora = isAurora(engine);
  if (!aurora && (input.DBClusterInstanceClass === undefined || input.AllocatedStorage === undefined)) {
    throw rdsErrors.invalidParameterCombination(
      'A Multi-AZ DB cluster needs DBClusterInstanceClass and AllocatedStorage (or use an aurora-mysql or aurora-postgresql engine).',
    );
  }
  if (!aurora && engine !== 'mysql' && engine !== 'postgres') {
    throw rdsErrors.invalidParameterValue(`Multi-AZ DB clusters are not available for engine ${engine}.`);
  }
  // Check the members' names before anything exists, so a refusal leaves no half-made cluster.
  const memberIds = aurora ? [] : [1, 2, 3].map((n) => `${id}-instance-${n}`);
  for (const memberId of memberIds) model.requireNewInstanceId(region, memberId);
  const cluster = newCluster(model, {
    id,
    region,
    engine,
    ...(input.EngineVersion !== undefined ? { engineVersion: input.EngineVersion } : {}),
    ...(input.DBClusterInstanceClass !== undefined ? { instanceClass: input.DBClusterInstanceClass } : {}),
    ...(input.AllocatedStorage !== undefined ? { allocatedStorage: input.AllocatedStorage } : {}),
    ...(input.Port !== undefined ? { port: input.Port } : {}),
    ...(input.MasterUsername !== undefined ? { masterUsername: input.MasterUsername } : {}),
    ...(input.DatabaseName !== undefined ? { databaseName: input.DatabaseName } : {}),
    retentionDays: model.checkRetention(input.BackupRetentionPeriod) ?? 1,
    ...(input.AvailabilityZones !== undefined && input.AvailabilityZones.length > 0 ? { availabilityZones: input.AvailabilityZones } : {}),
    tags: input.Tags ?? [],
    status: 'creating',
  });
  const members = memberIds.map((memberId, i) => addClusterMember(model, cluster, memberId, i, 'creating'));
  const ms = model.world.duration('rds.instance.create', cluster.rng, storageScale(cluster.allocatedStorage));
  model.after(cluster, ms, `rds ${region}/${id}: cluster created`, () => {
    model.setClusterStatus(cluster, 'available');
    if (cluster.backup.retentionDays > 0) startBackups(model.world, cluster.backup, model.now());
    for (const member of members) if (member.status === 'creating') model.setStatus(member, 'available');
  });
  return cluster;
}

export function describeDBClusters(model: RdsModel, region: string, input: DescribeDBClustersInput): Page<DbCluster> {
  if (input.DBClusterIdentifier !== undefined) {
    return paginate([model.cluster(region, input.DBClusterIdentifier)], (c) => c.id, input);
  }
  const all = applyFilters(model.clustersIn(region), input.Filters, {
    'db-cluster-id': (c, values) => matchesIdOrArn(c.id, c.arn, values),
    'db-cluster-resource-id': (c, values) => values.includes(c.resourceId),
    engine: (c, values) => values.includes(c.engine),
  });
  return paginate(all, (c) => c.id, input);
}

/** The writer role moves to the target (or the best reader) after the calibrated 15–35 s; writes fail meanwhile. */
export function failoverDBCluster(model: RdsModel, region: string, input: FailoverDBClusterInput): DbCluster {
  const cluster = model.cluster(region, input.DBClusterIdentifier);
  return model.failoverCluster(cluster, input.TargetDBInstanceIdentifier);
}

export function failoverCluster(model: RdsModel, cluster: DbCluster, targetRef?: string, cause?: 'zone-power-loss'): DbCluster {
  if (cluster.status !== 'available') {
    throw rdsErrors.invalidDBClusterState(`DB cluster ${cluster.id} is not in available state (it is ${cluster.status}).`);
  }
  let target: DbInstance | undefined;
  if (targetRef !== undefined) {
    target = model.findInstance(cluster.region, targetRef);
    if (!target || target.clusterId !== cluster.id) {
      throw rdsErrors.invalidParameterValue(`DB instance ${targetRef} is not a member of DB cluster ${cluster.id}.`);
    }
    if (target.id === cluster.writerId) {
      throw rdsErrors.invalidParameterValue(`DB instance ${targetRef} is already the writer of DB cluster ${cluster.id}.`);
    }
  } else {
    target = pickReader(model, cluster);
  }
  if (!target) throw rdsErrors.invalidDBClusterState(`DB cluster ${cluster.id} has no reader to fail over to.`);
  if (target.status !== 'available') {
    throw rdsErrors.invalidDBInstanceState(`DB instance ${target.id} is not in available state (it is ${target.status}).`);
  }
  const from = cluster.writerId ?? null;
  const to = target.id;
  const startedAt = model.now();
  model.setClusterStatus(cluster, 'failing-over');
  model.world.emit('rds.failover.started', { kind: 'cluster', region: cluster.region, id: cluster.id, arn: cluster.arn, from, to, ...(cause ? { cause } : {}) });
  model.after(cluster, model.world.duration('rds.cluster.failover', cluster.rng), `rds ${cluster.region}/${cluster.id}: failed over`, () => {
    if (cluster.members.includes(to)) cluster.writerId = to;
    model.setClusterStatus(cluster, 'available');
    model.world.emit('rds.failover.completed', {
      kind: 'cluster',
      region: cluster.region,
      id: cluster.id,
      arn: cluster.arn,
      from,
      to: cluster.writerId ?? null,
      durationMs: model.now() - startedAt,
    });
  });
  return cluster;
}

/**
 * How large an instance class is, by its size (`large` < `xlarge` <
 * `2xlarge` < … < `metal`), for "the replica that is largest in size";
 * the family is not compared (RDS does not say how it weighs one).
 */
function instanceClassSize(instanceClass: string): number {
  const size = instanceClass.split('.').pop() ?? '';
  const small: Record<string, number> = { nano: 1, micro: 2, small: 3, medium: 4, large: 5, xlarge: 6 };
  if (Object.hasOwn(small, size)) return small[size]!;
  const multiple = /^(\d+)xlarge$/.exec(size);
  if (multiple) return 6 + Number(multiple[1]);
  return size === 'metal' ? 1000 : 0;
}
