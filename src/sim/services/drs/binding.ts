import { member, renderRestJsonError, RestJsonCodec, type JsonObject, type RestJsonInput, type WireValue } from '../../protocols/rest-json.js';
import { AwsError, type CallContext, type InvokeResult, type ServiceBinding, type SimResponse } from '../../types.js';
import { DrsError } from './errors.js';
import type { DrsModel, PageInput } from './model.js';
import type { Job, JobLogItem, RecoveryInstance, RecoverySnapshot, SourceServer } from './types.js';

/**
 * Elastic Disaster Recovery on the wire (restJson1, every operation a POST
 * with a JSON body): one row per operation, input read as the SDK's schema
 * names it (camelCase), the model called, the output shaped. DRS writes its
 * timestamps as ISO-8601 strings, not epoch seconds.
 */

type Wire = { [key: string]: WireValue };

interface DrsOperation {
  name: string;
  /** 202 for StartRecovery, 204 for InitializeService, as the SDK expects them. */
  successStatus?: number;
  call(drs: DrsModel, input: RestJsonInput, ctx: CallContext): { output: Wire; resources?: { type: string; name: string }[] };
}

const SOURCE_SERVER = 'AWS::DRS::SourceServer';
const JOB = 'AWS::DRS::Job';
const RECOVERY_INSTANCE = 'AWS::DRS::RecoveryInstance';

const operations: DrsOperation[] = [
  {
    name: 'InitializeService',
    successStatus: 204,
    call: (drs, _input, ctx) => {
      drs.initializeService(ctx.region);
      return { output: {} };
    },
  },
  {
    name: 'DescribeSourceServers',
    call: (drs, input, ctx) => {
      const filters = member.object(input.body, 'filters') ?? {};
      const page = drs.describeSourceServers(
        ctx.region,
        { ...optional('sourceServerIDs', member.stringList(filters, 'sourceServerIDs')), ...optional('hardwareId', member.string(filters, 'hardwareId')) },
        pageOf(input.body),
      );
      return { output: { items: page.items.map((s) => sourceServerOut(drs, s, ctx)), nextToken: page.nextToken } };
    },
  },
  {
    name: 'DisconnectSourceServer',
    call: (drs, input, ctx) => {
      const server = drs.disconnectSourceServer(ctx.region, input.required('sourceServerID', member.string));
      return { output: sourceServerOut(drs, server, ctx), resources: [{ type: SOURCE_SERVER, name: server.id }] };
    },
  },
  {
    name: 'DescribeRecoverySnapshots',
    call: (drs, input, ctx) => {
      const b = input.body;
      const id = input.required('sourceServerID', member.string);
      const filters = member.object(b, 'filters') ?? {};
      const order = member.string(b, 'order') ?? 'ASC';
      if (order !== 'ASC' && order !== 'DESC') throw new DrsError('ValidationException', `order must be ASC or DESC, not ${order}.`, 400, { reason: 'fieldValidationFailed', fieldList: [{ name: 'order', message: 'Invalid value' }] });
      const page = drs.describeRecoverySnapshots(ctx.region, id, { ...optional('from', time(filters, 'fromDateTime')), ...optional('to', time(filters, 'toDateTime')) }, order, pageOf(b));
      return { output: { items: page.items.map(snapshotOut), nextToken: page.nextToken }, resources: [{ type: SOURCE_SERVER, name: id }] };
    },
  },
  {
    name: 'StartRecovery',
    successStatus: 202,
    call: (drs, input, ctx) => {
      const b = input.body;
      const sourceServers = input.required('sourceServers', (body, name) =>
        member.objectList(body, name, (entry, path) => ({
          sourceServerID: member.string(entry, 'sourceServerID') ?? missing(`${path}.sourceServerID`),
          ...optional('recoverySnapshotID', member.string(entry, 'recoverySnapshotID')),
        })),
      );
      const job = drs.startRecovery(ctx.region, { isDrill: member.boolean(b, 'isDrill') ?? false, sourceServers, tags: member.stringMap(b, 'tags') ?? {} });
      return {
        output: { job: jobOut(drs, job) },
        resources: [{ type: JOB, name: job.id }, ...job.participating.map((p) => ({ type: SOURCE_SERVER, name: p.sourceServerId }))],
      };
    },
  },
  {
    name: 'DescribeJobs',
    call: (drs, input, ctx) => {
      const filters = member.object(input.body, 'filters') ?? {};
      const page = drs.describeJobs(
        ctx.region,
        { ...optional('jobIDs', member.stringList(filters, 'jobIDs')), ...optional('from', time(filters, 'fromDate')), ...optional('to', time(filters, 'toDate')) },
        pageOf(input.body),
      );
      return { output: { items: page.items.map((j) => jobOut(drs, j)), nextToken: page.nextToken } };
    },
  },
  {
    name: 'DescribeJobLogItems',
    call: (drs, input, ctx) => {
      const jobId = input.required('jobID', member.string);
      const page = drs.describeJobLogItems(ctx.region, jobId, pageOf(input.body));
      return { output: { items: page.items.map(logOut), nextToken: page.nextToken }, resources: [{ type: JOB, name: jobId }] };
    },
  },
  {
    name: 'DescribeRecoveryInstances',
    call: (drs, input, ctx) => {
      const filters = member.object(input.body, 'filters') ?? {};
      const page = drs.describeRecoveryInstances(
        ctx.region,
        { ...optional('recoveryInstanceIDs', member.stringList(filters, 'recoveryInstanceIDs')), ...optional('sourceServerIDs', member.stringList(filters, 'sourceServerIDs')) },
        pageOf(input.body),
      );
      return { output: { items: page.items.map((i) => recoveryInstanceOut(drs, i)), nextToken: page.nextToken } };
    },
  },
  {
    name: 'TerminateRecoveryInstances',
    call: (drs, input, ctx) => {
      const ids = input.required('recoveryInstanceIDs', member.stringList);
      const job = drs.terminateRecoveryInstances(ctx.region, ids);
      return { output: { job: jobOut(drs, job) }, resources: [{ type: JOB, name: job.id }, ...ids.map((id) => ({ type: RECOVERY_INSTANCE, name: id }))] };
    },
  },
];

export function createDrsBinding(drs: DrsModel): ServiceBinding {
  const codec = new RestJsonCodec(operations.map((op) => ({ operation: op.name, method: 'POST', path: `/${op.name}`, ...optional('successStatus', op.successStatus) })));
  const byName = new Map(operations.map((op) => [op.name, op]));
  return {
    signingName: 'drs',
    eventSource: 'drs.amazonaws.com',
    operationOf: (request) => codec.operationOf(request),
    invoke: async (operation, request, ctx): Promise<InvokeResult> => {
      const op = byName.get(operation)!;
      const { output, resources } = op.call(drs, codec.decode(operation, request), ctx);
      const response = codec.encode(operation, output, ctx.requestId);
      // A 204 has no body.
      return { response: op.successStatus === 204 ? { ...response, body: '' } : response, ...(resources ? { resources } : {}) };
    },
    renderError: (error, ctx) => renderDrsError(error, ctx.requestId),
  };
}

/** The operation names DRS answers, in table order. */
export const drsOperations: readonly string[] = operations.map((op) => op.name);

/** DRS's exceptions carry `code` and their own members (`resourceId`, `fieldList`, …) beside the message. */
function renderDrsError(error: AwsError, requestId: string): SimResponse {
  const response = renderRestJsonError(error, requestId);
  const members = error instanceof DrsError ? error.members : {};
  return { ...response, body: JSON.stringify({ message: error.message, code: error.code, ...members }) };
}

// ── input ──────────────────────────────────────────────────────────────────

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function missing(name: string): never {
  throw new DrsError('ValidationException', `${name} is required.`, 400, { reason: 'fieldValidationFailed', fieldList: [{ name, message: 'Member must not be null' }] });
}

function pageOf(body: JsonObject): PageInput {
  return { ...optional('maxResults', member.integer(body, 'maxResults')), ...optional('nextToken', member.string(body, 'nextToken')) };
}

function time(body: JsonObject, name: string): number | undefined {
  const raw = member.string(body, name);
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new DrsError('ValidationException', `${name} is not a date-time: ${raw}.`, 400, { reason: 'fieldValidationFailed', fieldList: [{ name, message: 'Invalid date-time' }] });
  return ms;
}

// ── output ─────────────────────────────────────────────────────────────────

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

/** ISO-8601 durations, in whole seconds rounded up (a lag of 2.3 s reads PT3S: never better than it was). */
export function isoDuration(ms: number): string {
  return `PT${Math.max(0, Math.ceil(ms / 1000))}S`;
}

const GIB = 1024 ** 3;
const OS = { fullString: 'Amazon Linux 2023' };
const AGENT_VERSION = '4.6.0';

function sourceServerOut(drs: DrsModel, server: SourceServer, ctx: CallContext): Wire {
  const now = ctx.world.clock.now();
  const replication = drs.replication;
  const state = replication.state(server, now);
  const lag = replication.lagMs(server, now);
  const outage = server.outages.at(-1);
  const lastSeen = server.disconnectedAt ?? (outage && outage.resumedAt === undefined ? outage.stoppedAt : now);
  const bytes = server.diskGiB * GIB;
  return {
    sourceServerID: server.id,
    arn: server.arn,
    tags: server.tags,
    recoveryInstanceId: server.recoveryInstanceId,
    lastLaunchResult: server.lastLaunch?.result ?? 'NOT_STARTED',
    dataReplicationInfo: {
      lagDuration: isoDuration(lag),
      replicatedDisks: [
        {
          deviceName: '/dev/xvda',
          totalStorageBytes: bytes,
          replicatedStorageBytes: bytes,
          rescannedStorageBytes: 0,
          backloggedStorageBytes: state === 'CONTINUOUS' ? 0 : Math.min(bytes, Math.round((lag / 1000) * 1_048_576)),
          volumeStatus: 'REGULAR',
        },
      ],
      dataReplicationState: state,
      ...(state === 'DISCONNECTED' && server.disconnectedAt === undefined ? { dataReplicationError: { error: 'AGENT_NOT_SEEN', rawError: `The agent on ${server.hostname} has not been seen since ${iso(lastSeen)}` } } : {}),
      dataReplicationInitiation: {
        startDateTime: iso(server.addedAt),
        steps: ['WAIT', 'CREATE_SECURITY_GROUP', 'LAUNCH_REPLICATION_SERVER', 'BOOT_REPLICATION_SERVER', 'AUTHENTICATE_WITH_SERVICE', 'DOWNLOAD_REPLICATION_SOFTWARE', 'CREATE_STAGING_DISKS', 'ATTACH_STAGING_DISKS', 'PAIR_REPLICATION_SERVER_WITH_AGENT', 'CONNECT_AGENT_TO_REPLICATION_SERVER', 'START_DATA_TRANSFER'].map(
          (name) => ({ name, status: 'SUCCEEDED' }),
        ),
      },
      stagingAvailabilityZone: `${server.region}a`,
    },
    lifeCycle: {
      addedToServiceDateTime: iso(server.addedAt),
      firstByteDateTime: iso(server.addedAt),
      elapsedReplicationDuration: isoDuration(now - server.addedAt),
      lastSeenByServiceDateTime: iso(lastSeen),
      ...(server.lastLaunch
        ? {
            lastLaunch: {
              initiated: { apiCallDateTime: iso(server.lastLaunch.at), jobID: server.lastLaunch.jobId, type: server.lastLaunch.type },
              status: launchStatusOf(drs, server),
            },
          }
        : {}),
    },
    sourceProperties: {
      lastUpdatedDateTime: iso(server.addedAt),
      recommendedInstanceType: server.instanceType,
      identificationHints: { hostname: server.hostname, fqdn: `${server.hostname}.${server.sourceRegion}.compute.internal`, awsInstanceID: server.sourceInstanceId },
      networkInterfaces: [{ macAddress: macOf(server.sourceInstanceId), ips: [server.sourceIp], isPrimary: true }],
      disks: [{ deviceName: '/dev/xvda', bytes }],
      cpus: [{ cores: 2, modelName: 'Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz' }],
      ramBytes: 8 * GIB,
      os: OS,
      supportsNitroInstances: true,
    },
    stagingArea: { status: 'NOT_EXTENDED', stagingAccountID: ctx.accountId },
    sourceCloudProperties: { originAccountID: ctx.accountId, originRegion: server.sourceRegion, originAvailabilityZone: server.sourceAvailabilityZone },
    replicationDirection: 'FAILOVER',
    agentVersion: AGENT_VERSION,
  };
}

function launchStatusOf(drs: DrsModel, server: SourceServer): string | undefined {
  const jobId = server.lastLaunch?.jobId;
  if (!jobId) return undefined;
  try {
    return drs.job(server.region, jobId).participating.find((p) => p.sourceServerId === server.id)?.launchStatus;
  } catch {
    // The job is gone: nothing to say of its launch.
    return undefined;
  }
}

function macOf(instanceId: string): string {
  const hex = instanceId.replace(/^i-/, '').padEnd(12, '0').slice(-12);
  return hex.match(/../g)!.join(':');
}

function jobOut(drs: DrsModel, job: Job): Wire {
  return {
    jobID: job.id,
    arn: job.arn,
    type: job.type,
    initiatedBy: job.initiatedBy,
    creationDateTime: iso(job.createdAt),
    endDateTime: iso(job.endedAt),
    status: job.status,
    participatingServers: job.participating.map((p) => {
      const instance = p.recoveryInstanceId ? drs.recoveryInstanceById(p.recoveryInstanceId) : undefined;
      const answering = job.type === 'LAUNCH' && instance?.answeringAt !== undefined ? instance.answeringAt : undefined;
      return {
        sourceServerID: p.sourceServerId,
        recoveryInstanceID: p.recoveryInstanceId,
        launchStatus: p.launchStatus,
        ...(job.type === 'LAUNCH' ? { launchActionsStatus: { ssmAgentDiscoveryDatetime: iso(answering), runs: [] } } : {}),
      };
    }),
    tags: job.tags,
    participatingResources: [],
  };
}

function logOut(item: JobLogItem): Wire {
  return {
    logDateTime: iso(item.at),
    event: item.event,
    eventData: {
      sourceServerID: item.sourceServerId,
      conversionServerID: item.conversionServerId,
      targetInstanceID: item.targetInstanceId,
      rawError: item.rawError,
    },
  };
}

function recoveryInstanceOut(drs: DrsModel, instance: RecoveryInstance): Wire {
  const server = drs.sourceServerOf(instance);
  return {
    ec2InstanceID: instance.id,
    ec2InstanceState: instance.state,
    jobID: instance.jobId,
    recoveryInstanceID: instance.id,
    sourceServerID: instance.sourceServerId,
    arn: instance.arn,
    tags: instance.tags,
    isDrill: instance.isDrill,
    pointInTimeSnapshotDateTime: iso(instance.pointInTime),
    originEnvironment: 'AWS',
    originAvailabilityZone: server.sourceAvailabilityZone,
    recoveryInstanceProperties: {
      lastUpdatedDateTime: iso(instance.runningAt ?? instance.launchedAt),
      identificationHints: { hostname: server.hostname, awsInstanceID: instance.id },
      networkInterfaces: [{ macAddress: macOf(instance.id), ips: [instance.privateIp], isPrimary: true }],
      disks: [{ internalDeviceName: '/dev/xvda', bytes: server.diskGiB * GIB, ebsVolumeID: `vol-${instance.id.slice(2)}` }],
      cpus: [{ cores: 2, modelName: 'Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz' }],
      ramBytes: 8 * GIB,
      os: OS,
    },
    agentVersion: AGENT_VERSION,
  };
}

function snapshotOut(snapshot: RecoverySnapshot): Wire {
  return {
    snapshotID: snapshot.id,
    sourceServerID: snapshot.sourceServerId,
    expectedTimestamp: iso(snapshot.at),
    timestamp: iso(snapshot.at),
    ebsSnapshots: [`snap-${snapshot.id.slice(4)}`],
  };
}
