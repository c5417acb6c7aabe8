import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeDBInstancesCommand } from '@aws-sdk/client-rds';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import type { DynamoDbTable, OrdersApi, RdsCluster, S3Bucket } from '../env/index.js';
import { errorCode } from './aws-error.js';
import { canaryEvidence } from './canary.js';
import { clusterSampler } from './cluster.js';
import { resolveAlias } from '../env/index.js';
import type { ProbeHandle, ProbeSample, ScenarioContext } from './scenario.js';
import type { SimControl } from './target.js';

/** One look at a target: healthy or not, and what was seen. */
export type Sampler = () => Promise<{ ok: boolean; status: string }>;

/**
 * Statuses in which an RDS instance accepts connections and writes: a backup
 * or a configuration change runs with the instance up.
 */
const SERVING = new Set(['available', 'backing-up', 'modifying', 'storage-optimization', 'configuring-enhanced-monitoring', 'configuring-log-exports']);

/**
 * RDS: the database the alias's data lives in now (after a promotion, the
 * replica) is serving and is no longer a read replica, so it takes writes.
 */
function rdsSampler(ctx: ScenarioContext, alias: string): Sampler {
  const dataPath = canaryEvidence(ctx, alias);
  return async () => {
    const current = ctx.database(ctx.current(alias));
    try {
      const { DBInstances } = await ctx.target.clients
        .rds(current.region)
        .send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: current.identifier }));
      const instance = DBInstances?.[0];
      const status = instance?.DBInstanceStatus ?? 'missing';
      if (instance?.ReadReplicaSourceDBInstanceIdentifier) return dataPath.serving(false, { ok: false, status: `${status}, read-only replica` });
      if (!SERVING.has(status)) return dataPath.serving(false, { ok: false, status });
      const write = (await ctx.target.orders.writable(current)) ?? dataPath.lastOrder();
      if (write && !write.ok) return { ok: false, status: `${status}, but writes fail: ${write.error}` };
      return dataPath.serving(true, { ok: true, status });
    } catch (error) {
      return dataPath.serving(false, { ok: false, status: errorCode(error) });
    }
  };
}

/** The URL an HTTP probe GETs: the service's health path. */
function healthUrl(api: OrdersApi): string {
  return new URL(api.healthPath, api.url).toString();
}

/** The name of a probe's own HTTP client (and with it, its own DNS cache). */
function probeClient(alias: string): string {
  return `probe:${alias}`;
}

/** HTTP: the service's health path answers 200, through the probe's own DNS client (so DNS caching shows). */
function httpSampler(ctx: ScenarioContext, api: OrdersApi, name: string): Sampler {
  const client = ctx.target.http(name);
  const url = healthUrl(api);
  return async () => {
    const answer = await client.request({ method: 'GET', url });
    const where = answer.servedBy ? ` from ${answer.servedBy}` : '';
    return { ok: answer.status === 200, status: answer.status ? `HTTP ${answer.status}${where}` : (answer.error ?? 'no answer') };
  };
}

/** DynamoDB: the table answers in the first of its regions that answers, the way an active-active client reads. */
function dynamodbSampler(ctx: ScenarioContext, table: DynamoDbTable): Sampler {
  return async () => {
    const failures: string[] = [];
    for (const region of [table.region, ...table.replicaRegions]) {
      try {
        const { Table } = await ctx.target.clients.dynamodb(region).send(new DescribeTableCommand({ TableName: table.identifier }));
        if (Table?.TableStatus === 'ACTIVE' || Table?.TableStatus === 'UPDATING') return { ok: true, status: `${Table.TableStatus} in ${region}` };
        failures.push(`${Table?.TableStatus ?? 'missing'} in ${region}`);
      } catch (error) {
        failures.push(`${errorCode(error)} in ${region}`);
      }
    }
    return { ok: false, status: failures.join('; ') };
  };
}

/** S3: HeadBucket in the bucket's region. */
function s3Sampler(ctx: ScenarioContext, bucket: S3Bucket): Sampler {
  return async () => {
    try {
      await ctx.target.clients.s3(bucket.region).send(new HeadBucketCommand({ Bucket: bucket.identifier }));
      return { ok: true, status: 'reachable' };
    } catch (error) {
      return { ok: false, status: errorCode(error) };
    }
  };
}

/** What a probe on an alias looks at, by kind. */
type Probed =
  | { kind: 'rds' }
  | { kind: 'rds-cluster'; cluster: RdsCluster }
  | { kind: 'http'; api: OrdersApi }
  | { kind: 'dynamodb'; table: DynamoDbTable }
  | { kind: 's3'; bucket: S3Bucket };

function probed(ctx: ScenarioContext, alias: string): Probed {
  if (ctx.createdDatabases.has(alias)) return { kind: 'rds' };
  const created = ctx.createdTables.get(alias);
  if (created) return { kind: 'dynamodb', table: created };
  const resource = resolveAlias(ctx.env, alias);
  switch (resource.kind) {
    case 'rds-instance':
    case 'rds-read-replica':
      return { kind: 'rds' };
    case 'rds-cluster':
      return { kind: 'rds-cluster', cluster: resource };
    case 'orders-api':
      return { kind: 'http', api: resource };
    case 'dynamodb-table':
      return { kind: 'dynamodb', table: resource };
    case 's3-bucket':
      return { kind: 's3', bucket: resource };
    case 'dns-failover-record':
    case 'ebs-volume':
    case 'backup-plan':
    case 'backup-framework':
      throw new Error(`"${alias}" is a ${resource.kind}; probe the service it serves or protects instead`);
    case 'drs-source-servers':
      throw new Error(`"${alias}" are servers Elastic Disaster Recovery replicates; once recovered, probe them with: the recovered servers answer in "${resource.region}"`);
  }
}

export function samplerFor(ctx: ScenarioContext, alias: string): { kind: string; sample: Sampler } {
  const target = probed(ctx, alias);
  switch (target.kind) {
    case 'rds':
      return { kind: 'rds', sample: rdsSampler(ctx, alias) };
    case 'rds-cluster':
      return { kind: 'rds-cluster', sample: clusterSampler(ctx, target.cluster) };
    case 'http':
      return { kind: 'http', sample: httpSampler(ctx, target.api, probeClient(alias)) };
    case 'dynamodb':
      return { kind: 'dynamodb', sample: dynamodbSampler(ctx, target.table) };
    case 's3':
      return { kind: 's3', sample: s3Sampler(ctx, target.bucket) };
  }
}

/**
 * On the sim: the true instant from which what the probe on `alias` samples
 * has been healthy without interruption until now, at or after `since`
 * (the same target, judged the same way, from the sim's state rather than by
 * sampling); undefined where the sim cannot tell or it is not healthy now.
 */
export function truthRecoveredFrom(ctx: ScenarioContext, sim: SimControl, alias: string, since: number): number | undefined {
  const target = probed(ctx, alias);
  switch (target.kind) {
    case 'rds':
      return sim.writableFrom(ctx.database(ctx.current(alias)), since);
    case 'rds-cluster':
      return sim.writableFrom({ region: target.cluster.region, identifier: target.cluster.identifier }, since);
    case 'http':
      return sim.servingFrom(probeClient(alias), healthUrl(target.api), since);
    case 'dynamodb':
      return sim.tableAnsweringFrom({ identifier: target.table.identifier, regions: [target.table.region, ...target.table.replicaRegions] }, since);
    case 's3':
      return sim.bucketReachableFrom({ region: target.bucket.region, identifier: target.bucket.identifier }, since);
  }
}

/**
 * Sample `alias` every resolution seconds, as an actor on the clock, until
 * stopped. Samples go on the timeline as `probe.sample`.
 */
export function startProbe(ctx: ScenarioContext, alias: string): ProbeHandle {
  const existing = ctx.probes.get(alias);
  if (existing) return existing;
  const resolutionSeconds = ctx.env.probes.resolutionSeconds;
  const { kind, sample } = samplerFor(ctx, alias);
  const samples: TimedSample[] = [];
  let stopped = false;
  let first: (sample: ProbeSample) => void = () => {};
  const handle: ProbeHandle = {
    name: `probe:${alias}`,
    target: alias,
    resolutionSeconds,
    samples,
    firstSample: new Promise((resolve) => (first = resolve)),
    stop: () => {
      stopped = true;
    },
  };
  ctx.probes.set(alias, handle);
  ctx.emit({ kind: 'probe.started', detail: { probe: handle.name, kind, target: alias, resolutionSeconds } });
  void ctx.clock.spawn(handle.name, async () => {
    while (!stopped && !ctx.signal.aborted) {
      const sentAt = ctx.clock.now();
      const { ok, status } = await sample();
      // A sample counts from when its answer came back: a request in flight
      // when service returned is answered after it, never before.
      const taken: TimedSample = { at: ctx.clock.now(), sentAt, ok, status };
      samples.push(taken);
      if (samples.length === 1) first(taken);
      ctx.emit({ kind: 'probe.sample', detail: { probe: handle.name, ok, status } });
      // A resolution after the request went out, so a slow answer (an HTTP timeout) does not push the next sample back.
      await ctx.clock.sleep(Math.max(0, sentAt + resolutionSeconds * 1000 - ctx.clock.now()), 'until the next sample', ctx.signal);
    }
  });
  return handle;
}

/** A sample and the instant its request went out. */
interface TimedSample extends ProbeSample {
  sentAt: number;
}

/**
 * The recovery instant: the first of `consecutive` healthy samples in a row,
 * sent at or after `since` (an answer to a request sent before the fault says
 * nothing about after it). Undefined until there are that many.
 */
export function recoveryInstant(samples: readonly (ProbeSample & { sentAt?: number })[], since: number, consecutive: number): number | undefined {
  let run = 0;
  let first: number | undefined;
  for (const sample of samples) {
    if ((sample.sentAt ?? sample.at) < since) continue;
    if (sample.ok) {
      if (run === 0) first = sample.at;
      if (++run >= consecutive) return first;
    } else {
      run = 0;
      first = undefined;
    }
  }
  return undefined;
}
