import type { EpochMs } from '../../../clock/types.js';
import { storageScale } from '../../calibration.js';
import { cancelOwned, scheduleOwned, type TimerOwner } from '../../owned-timers.js';
import type { Rng, SimEvent, SimWorld } from '../../types.js';
import { drsErrors } from './errors.js';
import { Replication } from './replication.js';
import type {
  Job,
  JobLogItem,
  Page,
  ParticipatingServer,
  RecoveryInstance,
  RecoverySnapshot,
  SeedSourceServerSpec,
  SourceServer,
  StartRecoveryInput,
} from './types.js';

const HEX = '0123456789abcdef';
const ALNUM = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DAY_MS = 86_400_000;
const MAX_RESULTS = 1000;
/** StartRecovery takes at most 200 source servers. */
const MAX_SERVERS_PER_JOB = 200;

/**
 * The simulated AWS Elastic Disaster Recovery: source servers replicating
 * continuously into a staging area in their DRS region (replication.ts keeps
 * the lag and what a region outage freezes), recovery and drill jobs that
 * snapshot the staging disks, convert them and launch recovery instances,
 * which then boot until their agent answers; termination. State and rules
 * only; binding.ts is the wire.
 *
 * A launch runs, per server: an on-demand snapshot of the staging disks
 * (or the point-in-time snapshot asked for), conversion of the disks for
 * EC2, the instance's launch (PENDING → RUNNING), and the OS's boot until
 * DRS sees the SSM agent (`ssmAgentDiscoveryDatetime`). The job completes
 * when every instance runs; the server answers once booted.
 */
export class DrsModel {
  private readonly servers = new Map<string, SourceServer>();
  private readonly instances = new Map<string, RecoveryInstance>();
  private readonly jobs = new Map<string, Job>();
  /** Regions where the service is initialized (seeded servers, or InitializeService). */
  private readonly initialized = new Set<string>();
  private readonly ids: Rng;
  readonly replication: Replication;

  constructor(private readonly world: SimWorld) {
    this.ids = world.rng.fork('drs:ids');
    this.replication = new Replication(world);
    // Replication follows the network: a source whose region, or the link
    // to its staging area, goes down stops; it resumes when they are back.
    world.onEvent((event) => this.onNetworkEvent(event));
  }

  private now(): EpochMs {
    return this.world.clock.now();
  }

  private arn(region: string, kind: string, id: string): string {
    return `arn:aws:drs:${region}:${this.world.accountId}:${kind}/${id}`;
  }

  // ── Region ──────────────────────────────────────────────────────────────

  /** DRS answers in a region only once initialized there (UninitializedAccountException otherwise). */
  checkInitialized(region: string): void {
    if (!this.initialized.has(region)) throw drsErrors.uninitialized();
  }

  initializeService(region: string): void {
    if (this.initialized.has(region)) return;
    this.initialized.add(region);
    this.world.emit('drs.initialized', { region });
  }

  /**
   * The subnet a source server runs in: the network's first subnet (by id)
   * in its zone, found through the generic `targetable` as RDS finds its
   * subnets; undefined where the network declares none there.
   */
  private sourceSubnet(server: SourceServer): string | undefined {
    const ids: string[] = [];
    for (const module of this.world.modules()) {
      for (const resource of module.targetable?.('aws:ec2:subnet', server.sourceRegion) ?? []) {
        const { SubnetId, AvailabilityZone } = resource as { SubnetId?: unknown; AvailabilityZone?: unknown };
        if (typeof SubnetId === 'string' && AvailabilityZone === server.sourceAvailabilityZone) ids.push(SubnetId);
      }
    }
    return ids.sort()[0];
  }

  /**
   * The agent's blocks reach the staging area: the link between the regions
   * is up, and the server's own subnet is not cut off (the agent sends from
   * the server, over the customer's network, unlike the AWS-run replication
   * of S3 or DynamoDB).
   */
  private agentReaches(server: SourceServer): boolean {
    const subnet = this.sourceSubnet(server);
    return this.world.faults.isLinkUp(server.sourceRegion, server.region) && (subnet === undefined || this.world.faults.isSubnetUp(subnet));
  }

  private onNetworkEvent(event: SimEvent): void {
    if (!/^(region|link|subnet)\.(down|restored)$/.test(event.kind)) return;
    for (const server of this.servers.values()) {
      if (server.disconnectedAt !== undefined) continue;
      const reachable = this.agentReaches(server);
      const connected = this.replication.connected(server);
      if (!reachable && connected) this.replication.stop(server, event.at);
      else if (reachable && !connected) this.replication.resume(server, event.at);
    }
    // A region going down takes its recovery instances' answers with it; the
    // instances themselves run on (EC2 has nothing to report from a dark region).
  }

  // ── Source servers ──────────────────────────────────────────────────────

  /**
   * A source server in its steady state at t = 0: the agent installed long
   * enough ago that the point-in-time policy is full, initial sync done,
   * replication continuous.
   */
  seedSourceServer(spec: SeedSourceServerSpec): SourceServer {
    const rng = this.world.rng.fork(`drs:server:${spec.region}:${spec.hostname}`);
    if ([...this.servers.values()].some((s) => s.region === spec.region && s.hostname === spec.hostname)) {
      throw new Error(`a source server ${spec.hostname} already replicates into ${spec.region}`);
    }
    const id = `s-${rng.alnum(17, HEX)}`;
    const az = spec.sourceAvailabilityZone ?? `${spec.sourceRegion}${rng.pick(['a', 'b', 'c'])}`;
    const server: SourceServer = {
      id,
      arn: this.arn(spec.region, 'source-server', id),
      region: spec.region,
      hostname: spec.hostname,
      sourceRegion: spec.sourceRegion,
      sourceAvailabilityZone: az,
      sourceInstanceId: `i-${rng.alnum(17, HEX)}`,
      sourceIp: `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(4, 254)}`,
      instanceType: spec.instanceType,
      diskGiB: spec.diskGiB,
      tags: { ...spec.tags },
      addedAt: this.now() - 30 * DAY_MS,
      rng,
      outages: [],
    };
    this.servers.set(id, server);
    this.initialized.add(spec.region);
    if (!this.agentReaches(server)) this.replication.stop(server, this.now());
    this.world.emit('drs.source-server.seeded', { region: server.region, sourceServerID: id, hostname: server.hostname, sourceRegion: server.sourceRegion });
    return server;
  }

  sourceServer(region: string, id: string, field = 'sourceServerID'): SourceServer {
    this.checkInitialized(region);
    const server = this.servers.get(id);
    if (!server || server.region !== region) throw drsErrors.unknownSourceServer(id, field);
    return server;
  }

  describeSourceServers(region: string, filter: { sourceServerIDs?: string[]; hardwareId?: string }, page: PageInput): Page<SourceServer> {
    this.checkInitialized(region);
    const wanted = filter.sourceServerIDs?.length ? new Set(filter.sourceServerIDs) : undefined;
    const servers = [...this.servers.values()].filter(
      (s) => s.region === region && (!wanted || wanted.has(s.id)) && (filter.hardwareId === undefined || filter.hardwareId === s.sourceInstanceId),
    );
    return paginate(servers, page);
  }

  /** The source servers of every region, for the harness's ground truth. */
  allSourceServers(): readonly SourceServer[] {
    return [...this.servers.values()];
  }

  /**
   * DisconnectSourceServer: the agent stops replicating for good and the
   * staging area's snapshots go with it, so the server can no longer be
   * recovered (the "not ready for recovery" a game day meets).
   */
  disconnectSourceServer(region: string, id: string): SourceServer {
    const server = this.sourceServer(region, id);
    if (server.disconnectedAt !== undefined) return server;
    if (server.activeJobId) throw drsErrors.conflict(id, 'SOURCE_SERVER', `Source server ${id} has a job in progress (${server.activeJobId}).`);
    server.disconnectedAt = this.now();
    this.world.emit('drs.source-server.disconnected', { region, sourceServerID: id });
    return server;
  }

  describeRecoverySnapshots(
    region: string,
    sourceServerId: string,
    filter: { from?: EpochMs; to?: EpochMs },
    order: 'ASC' | 'DESC',
    page: PageInput,
  ): Page<RecoverySnapshot> {
    const server = this.sourceServer(region, sourceServerId);
    const snapshots = this.replication
      .snapshots(server, this.now())
      .filter((s) => (filter.from === undefined || s.at >= filter.from) && (filter.to === undefined || s.at <= filter.to));
    return paginate(order === 'ASC' ? snapshots.reverse() : snapshots, page);
  }

  // ── Jobs ────────────────────────────────────────────────────────────────

  private newJob(region: string, type: Job['type'], initiatedBy: Job['initiatedBy'], tags: Record<string, string>): Job {
    const id = `drsjob-${this.ids.alnum(17, ALNUM)}`;
    const job: Job = {
      id,
      arn: this.arn(region, 'job', id),
      region,
      type,
      initiatedBy,
      createdAt: this.now(),
      tags: { ...tags },
      participating: [],
      log: [],
      status: 'PENDING',
      timers: new Set(),
    };
    this.jobs.set(id, job);
    return job;
  }

  private log(job: Job, item: Omit<JobLogItem, 'at'>): void {
    job.log.push({ at: this.now(), ...item });
    this.world.emit('drs.job.log', { region: job.region, jobID: job.id, event: item.event, ...(item.sourceServerId ? { sourceServerID: item.sourceServerId } : {}) });
  }

  private after(owner: TimerOwner, ms: number, label: string, task: () => void): void {
    scheduleOwned(this.world.clock, owner, this.now() + ms, label, task);
  }

  /**
   * StartRecovery: one job over the servers named, each launched from the
   * snapshot named or, without one, from an on-demand snapshot of its
   * staging disks taken now. Refused as a whole, before anything starts, when
   * a server is unknown or cannot be recovered.
   */
  startRecovery(region: string, input: StartRecoveryInput): Job {
    this.checkInitialized(region);
    if (input.sourceServers.length === 0 || input.sourceServers.length > MAX_SERVERS_PER_JOB) {
      throw drsErrors.validation(`sourceServers must name 1 to ${MAX_SERVERS_PER_JOB} source servers.`, {
        name: 'sourceServers',
        message: `Member must have length between 1 and ${MAX_SERVERS_PER_JOB}`,
      });
    }
    const seen = new Set<string>();
    const plans = input.sourceServers.map((entry) => {
      const server = this.sourceServer(region, entry.sourceServerID, 'sourceServers.sourceServerID');
      if (seen.has(server.id)) throw drsErrors.validation(`Source server ${server.id} is named twice.`, { name: 'sourceServers', message: 'Duplicate source server' });
      seen.add(server.id);
      if (server.disconnectedAt !== undefined) throw drsErrors.notReady(server.id, 'it was disconnected from Elastic Disaster Recovery, and its replicated data with it');
      if (server.activeJobId) throw drsErrors.notReady(server.id, `job ${server.activeJobId} is launching it`);
      let snapshot: RecoverySnapshot | undefined;
      if (entry.recoverySnapshotID !== undefined) {
        snapshot = this.replication.snapshots(server, this.now()).find((s) => s.id === entry.recoverySnapshotID);
        if (!snapshot) throw drsErrors.unknownSnapshot(entry.recoverySnapshotID, server.id);
      }
      return { server, snapshot };
    });
    const job = this.newJob(region, 'LAUNCH', input.isDrill ? 'START_DRILL' : 'START_RECOVERY', input.tags);
    this.world.emit('drs.job.created', { region, jobID: job.id, type: job.type, isDrill: input.isDrill, sourceServerIDs: plans.map((p) => p.server.id) });
    this.log(job, { event: 'JOB_START' });
    job.status = 'STARTED';
    for (const { server, snapshot } of plans) {
      job.participating.push({ sourceServerId: server.id, launchStatus: 'PENDING' });
      server.activeJobId = job.id;
      server.lastLaunch = { jobId: job.id, type: input.isDrill ? 'DRILL' : 'RECOVERY', at: this.now(), result: 'PENDING' };
      this.launch(job, server, input.isDrill, snapshot);
    }
    return job;
  }

  private participant(job: Job, server: SourceServer): ParticipatingServer {
    return job.participating.find((p) => p.sourceServerId === server.id)!;
  }

  /** One server's launch: snapshot, conversion, the instance, its boot. */
  private launch(job: Job, server: SourceServer, isDrill: boolean, snapshot: RecoverySnapshot | undefined): void {
    const rng = server.rng.fork(`launch:${job.id}`);
    const scale = storageScale(server.diskGiB);
    let pointInTime: EpochMs;
    let consistentAt: EpochMs;
    let snapshotMs = 0;
    if (snapshot) {
      pointInTime = snapshot.at;
      consistentAt = snapshot.consistentAt;
      this.log(job, { event: 'USING_PREVIOUS_SNAPSHOT', sourceServerId: server.id });
    } else {
      // An EBS snapshot holds what the staging disks held when it began.
      pointInTime = this.now();
      consistentAt = this.replication.consistentAt(server, pointInTime);
      snapshotMs = this.world.duration('drs.snapshot', rng, scale);
      this.log(job, { event: 'SNAPSHOT_START', sourceServerId: server.id });
    }
    const conversionServerId = `i-${rng.alnum(17, HEX)}`;
    this.after(job, snapshotMs, `drs ${job.region}: ${job.id} converts ${server.hostname}`, () => {
      if (!snapshot) this.log(job, { event: 'SNAPSHOT_END', sourceServerId: server.id });
      this.log(job, { event: 'CONVERSION_START', sourceServerId: server.id, conversionServerId });
      this.after(job, this.world.duration('drs.conversion', rng, scale), `drs ${job.region}: ${job.id} launches ${server.hostname}`, () => {
        if (!this.world.faults.isRegionUp(job.region)) {
          this.log(job, { event: 'CONVERSION_FAIL', sourceServerId: server.id, conversionServerId, rawError: `${job.region} is unavailable` });
          return this.finishServer(job, server, 'FAILED');
        }
        this.log(job, { event: 'CONVERSION_END', sourceServerId: server.id, conversionServerId });
        const instance = this.createInstance(job, server, isDrill, pointInTime, consistentAt, rng);
        this.log(job, { event: 'LAUNCH_START', sourceServerId: server.id, targetInstanceId: instance.id });
        this.after(instance, this.world.duration('drs.launch', rng), `drs ${job.region}: ${instance.id} runs`, () => {
          instance.state = 'RUNNING';
          instance.runningAt = this.now();
          this.world.emit('drs.recovery-instance.running', { region: job.region, recoveryInstanceID: instance.id, sourceServerID: server.id });
          this.finishServer(job, server, 'LAUNCHED');
          this.after(instance, this.world.duration('drs.boot', rng), `drs ${job.region}: ${instance.id} boots`, () => {
            instance.answeringAt = this.now();
            this.world.emit('drs.recovery-instance.answering', { region: job.region, recoveryInstanceID: instance.id, sourceServerID: server.id });
          });
        });
      });
    });
  }

  private createInstance(job: Job, server: SourceServer, isDrill: boolean, pointInTime: EpochMs, consistentAt: EpochMs, rng: Rng): RecoveryInstance {
    // One recovery instance per source server: a new launch replaces the one before it.
    if (server.recoveryInstanceId) {
      const previous = this.instances.get(server.recoveryInstanceId);
      if (previous && previous.terminatingAt === undefined) this.terminate(previous, `replaced by the launch of ${job.id}`);
    }
    const id = `i-${rng.alnum(17, HEX)}`;
    const instance: RecoveryInstance = {
      id,
      arn: this.arn(job.region, 'recovery-instance', id),
      region: job.region,
      sourceServerId: server.id,
      jobId: job.id,
      isDrill,
      availabilityZone: `${job.region}${rng.pick(['a', 'b', 'c'])}`,
      privateIp: `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(4, 254)}`,
      pointInTime,
      consistentAt,
      tags: { ...job.tags },
      state: 'PENDING',
      launchedAt: this.now(),
      timers: new Set(),
    };
    this.instances.set(id, instance);
    server.recoveryInstanceId = id;
    const participant = this.participant(job, server);
    participant.recoveryInstanceId = id;
    participant.launchStatus = 'IN_PROGRESS';
    this.world.emit('drs.recovery-instance.launched', {
      region: job.region,
      recoveryInstanceID: id,
      sourceServerID: server.id,
      jobID: job.id,
      isDrill,
      pointInTime: new Date(pointInTime).toISOString(),
      consistentAt: new Date(consistentAt).toISOString(),
    });
    return instance;
  }

  private finishServer(job: Job, server: SourceServer, status: 'LAUNCHED' | 'FAILED' | 'TERMINATED'): void {
    const participant = this.participant(job, server);
    participant.launchStatus = status;
    if (status === 'FAILED') this.log(job, { event: 'LAUNCH_FAILED', sourceServerId: server.id });
    if (server.activeJobId === job.id) delete server.activeJobId;
    if (server.lastLaunch?.jobId === job.id) server.lastLaunch.result = status === 'LAUNCHED' ? 'SUCCEEDED' : 'FAILED';
    if (job.participating.every((p) => p.launchStatus === 'LAUNCHED' || p.launchStatus === 'FAILED' || p.launchStatus === 'TERMINATED')) this.endJob(job);
  }

  private endJob(job: Job): void {
    this.log(job, { event: 'JOB_END' });
    job.status = 'COMPLETED';
    job.endedAt = this.now();
    cancelOwned(this.world.clock, job);
    this.world.emit('drs.job.completed', { region: job.region, jobID: job.id, launchStatuses: job.participating.map((p) => `${p.sourceServerId}:${p.launchStatus}`) });
  }

  job(region: string, id: string): Job {
    const job = this.jobs.get(id);
    if (!job || job.region !== region) throw drsErrors.unknownJob(id);
    return job;
  }

  describeJobs(region: string, filter: { jobIDs?: string[]; from?: EpochMs; to?: EpochMs }, page: PageInput): Page<Job> {
    this.checkInitialized(region);
    const wanted = filter.jobIDs?.length ? new Set(filter.jobIDs) : undefined;
    const jobs = [...this.jobs.values()]
      .filter((j) => j.region === region && (!wanted || wanted.has(j.id)))
      .filter((j) => (filter.from === undefined || j.createdAt >= filter.from) && (filter.to === undefined || j.createdAt <= filter.to))
      .sort((a, b) => b.createdAt - a.createdAt);
    return paginate(jobs, page);
  }

  describeJobLogItems(region: string, jobId: string, page: PageInput): Page<JobLogItem> {
    this.checkInitialized(region);
    return paginate(this.job(region, jobId).log, page);
  }

  // ── Recovery instances ──────────────────────────────────────────────────

  describeRecoveryInstances(region: string, filter: { recoveryInstanceIDs?: string[]; sourceServerIDs?: string[] }, page: PageInput): Page<RecoveryInstance> {
    this.checkInitialized(region);
    const ids = filter.recoveryInstanceIDs?.length ? new Set(filter.recoveryInstanceIDs) : undefined;
    const sources = filter.sourceServerIDs?.length ? new Set(filter.sourceServerIDs) : undefined;
    // A terminated recovery instance is gone from DRS's list.
    const found = [...this.instances.values()].filter(
      (i) => i.region === region && i.state !== 'TERMINATED' && (!ids || ids.has(i.id)) && (!sources || sources.has(i.sourceServerId)),
    );
    return paginate(found, page);
  }

  /** Every recovery instance ever launched (terminated ones too), for ground truth. */
  allRecoveryInstances(): readonly RecoveryInstance[] {
    return [...this.instances.values()];
  }

  recoveryInstanceById(id: string): RecoveryInstance | undefined {
    return this.instances.get(id);
  }

  sourceServerOf(instance: RecoveryInstance): SourceServer {
    return this.servers.get(instance.sourceServerId)!;
  }

  /**
   * TerminateRecoveryInstances: a TERMINATE job over the instances named,
   * each shutting down until terminated. An unknown (or already terminated)
   * id refuses the whole request.
   */
  terminateRecoveryInstances(region: string, ids: readonly string[], tags: Record<string, string> = {}): Job {
    this.checkInitialized(region);
    if (ids.length === 0) throw drsErrors.validation('recoveryInstanceIDs must name at least one recovery instance.', { name: 'recoveryInstanceIDs', message: 'Member must have length greater than or equal to 1' });
    const instances = ids.map((id) => {
      const instance = this.instances.get(id);
      if (!instance || instance.region !== region || instance.state === 'TERMINATED') throw drsErrors.unknownRecoveryInstance(id);
      return instance;
    });
    const job = this.newJob(region, 'TERMINATE', 'TERMINATE_RECOVERY_INSTANCES', tags);
    this.world.emit('drs.job.created', { region, jobID: job.id, type: job.type, recoveryInstanceIDs: [...ids] });
    this.log(job, { event: 'JOB_START' });
    job.status = 'STARTED';
    for (const instance of instances) {
      job.participating.push({ sourceServerId: instance.sourceServerId, recoveryInstanceId: instance.id, launchStatus: 'PENDING' });
      this.log(job, { event: 'CLEANUP_START', sourceServerId: instance.sourceServerId, targetInstanceId: instance.id });
      if (instance.terminatingAt === undefined) this.terminate(instance, `terminated by ${job.id}`);
    }
    return job;
  }

  private terminate(instance: RecoveryInstance, why: string): void {
    cancelOwned(this.world.clock, instance);
    const server = this.sourceServerOf(instance);
    // An instance still launching takes its launch with it.
    const launch = this.jobs.get(instance.jobId);
    const launching = launch?.participating.find((p) => p.recoveryInstanceId === instance.id && p.launchStatus === 'IN_PROGRESS');
    if (launch && launching) this.finishServer(launch, server, 'TERMINATED');
    instance.state = 'SHUTTING-DOWN';
    instance.terminatingAt = this.now();
    this.world.emit('drs.recovery-instance.terminating', { region: instance.region, recoveryInstanceID: instance.id, why });
    const rng = server.rng.fork(`terminate:${instance.id}`);
    this.after(instance, this.world.duration('drs.terminate', rng), `drs ${instance.region}: ${instance.id} terminates`, () => {
      instance.state = 'TERMINATED';
      instance.terminatedAt = this.now();
      if (server.recoveryInstanceId === instance.id) delete server.recoveryInstanceId;
      const participant = launch?.participating.find((p) => p.recoveryInstanceId === instance.id);
      if (participant) participant.launchStatus = 'TERMINATED';
      this.world.emit('drs.recovery-instance.terminated', { region: instance.region, recoveryInstanceID: instance.id });
      // The TERMINATE jobs waiting for it.
      for (const job of this.jobs.values()) {
        if (job.type !== 'TERMINATE' || job.status === 'COMPLETED') continue;
        const waiting = job.participating.find((p) => p.recoveryInstanceId === instance.id && p.launchStatus === 'PENDING');
        if (!waiting) continue;
        waiting.launchStatus = 'TERMINATED';
        this.log(job, { event: 'CLEANUP_END', sourceServerId: waiting.sourceServerId, targetInstanceId: instance.id });
        if (job.participating.every((p) => p.launchStatus === 'TERMINATED')) this.endJob(job);
      }
    });
  }

  /** Whether the instance answers at `t` as far as DRS's state goes (its region being up is the caller's to add). */
  answersAt(instance: RecoveryInstance, t: EpochMs): boolean {
    return instance.answeringAt !== undefined && instance.answeringAt <= t && (instance.terminatingAt === undefined || t < instance.terminatingAt);
  }
}

export interface PageInput {
  maxResults?: number;
  nextToken?: string;
}

/** Opaque page tokens: the offset of the next item. */
function paginate<T>(items: readonly T[], page: PageInput): Page<T> {
  const size = page.maxResults ?? MAX_RESULTS;
  if (!Number.isInteger(size) || size < 1 || size > MAX_RESULTS) {
    throw drsErrors.validation(`maxResults must be between 1 and ${MAX_RESULTS}.`, { name: 'maxResults', message: `Member must be between 1 and ${MAX_RESULTS}` });
  }
  let start = 0;
  if (page.nextToken !== undefined && page.nextToken !== '') {
    const decoded = /^[A-Za-z0-9_-]+$/.test(page.nextToken) ? Number(Buffer.from(page.nextToken, 'base64url').toString('utf8')) : NaN;
    if (!Number.isSafeInteger(decoded) || decoded < 0) throw drsErrors.validation('The nextToken is not valid.', { name: 'nextToken', message: 'Invalid token' });
    start = decoded;
  }
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: Buffer.from(String(end), 'utf8').toString('base64url') } : {}) };
}
