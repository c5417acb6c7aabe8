import type { EpochMs } from '../../../clock/types.js';
import { scheduleOwned, type TimerOwner } from '../../owned-timers.js';
import { AwsError, type SimWorld } from '../../types.js';
import { backupErrors } from './errors.js';
import { DEFAULT_START_WINDOW_MINUTES, IDEMPOTENCY_MS, MINUTE_MS, roleArnPattern, vaultArnPattern } from './limits.js';
import type { BackupModel } from './model.js';
import { newestFirst, paginate, within } from './paging.js';
import { regionOfArn, type ProtectedResource } from './resources.js';
import type {
  BackupJob,
  BackupResourceType,
  CopyAction,
  CopyJob,
  Lifecycle,
  ListBackupJobsInput,
  ListCopyJobsInput,
  ListRestoreJobsInput,
  Page,
  RecoveryPoint,
  RecoveryPointCreator,
  RestoreJob,
  StartBackupJobInput,
  StartCopyJobInput,
  StartRestoreJobInput,
} from './types.js';

type Job = BackupJob | CopyJob | RestoreJob;

/**
 * AWS Backup's backup, copy and restore jobs: each a small state machine
 * (CREATED/PENDING → RUNNING → a final state) that follows its service's
 * snapshot, copy or restore through the resource adapters. The jobs work on
 * the model's vaults and recovery points (model.ts); the model holds one
 * BackupJobs as `model.jobs`.
 */
export class BackupJobs {
  /** Every job by id; seeding.ts adds the jobs of a plan's seeded history here too. */
  readonly backupJobs = new Map<string, BackupJob>();
  readonly copyJobs = new Map<string, CopyJob>();
  private readonly restoreJobs = new Map<string, RestoreJob>();
  /** Jobs not yet in a final state, in creation order. */
  private readonly active = new Set<Job>();
  private readonly idempotency = new Map<string, { jobId: string; at: EpochMs }>();
  private recheckQueued = false;
  private readonly world: SimWorld;

  constructor(private readonly model: BackupModel) {
    this.world = model.world;
    // Jobs follow their service's snapshot, copy or restore: whenever one of
    // those services (or the network) changes state, running jobs look again.
    const prefixes = model.adapters.map((a) => a.eventPrefix);
    this.world.onEvent((event) => {
      if (this.active.size === 0) return;
      if (event.kind === 'region.restored' || event.kind === 'link.restored' || prefixes.some((p) => event.kind.startsWith(p))) {
        this.queueRecheck();
      }
    });
  }

  private now(): EpochMs {
    return this.world.clock.now();
  }

  // ── Scheduling ──────────────────────────────────────────────────────────

  private after(owner: TimerOwner, at: EpochMs, label: string, task: () => void): void {
    scheduleOwned(this.world.clock, owner, at, label, task);
  }

  /** Look at every running job once more, after whatever is happening at this instant has finished. */
  private queueRecheck(): void {
    if (this.recheckQueued) return;
    this.recheckQueued = true;
    this.world.clock.schedule(
      this.now(),
      () => {
        this.recheckQueued = false;
        for (const job of [...this.active]) this.advance(job);
      },
      'backup: check jobs',
    );
  }

  private advance(job: Job): void {
    if ('sourceRecoveryPointArn' in job) this.advanceCopyJob(job);
    else if ('metadata' in job) this.advanceRestoreJob(job);
    else this.advanceBackupJob(job);
  }

  // ── Backup jobs ─────────────────────────────────────────────────────────

  /** A backup job for one resource, as a rule's run or StartBackupJob makes it; it goes on through advance(). */
  createBackupJob(
    region: string,
    args: {
      vaultName: string;
      resource: ProtectedResource | { arn: string; type: BackupResourceType; name?: undefined };
      iamRoleArn: string;
      startWindowMinutes: number;
      lifecycle?: Lifecycle;
      recoveryPointTags?: Record<string, string>;
      createdBy?: RecoveryPointCreator;
      copyActions?: CopyAction[];
    },
  ): BackupJob {
    const id = this.model.jobId();
    const now = this.now();
    const rng = this.world.rng.fork(`backup:job:${id}`);
    const job: BackupJob = {
      id,
      region,
      vaultName: args.vaultName,
      vaultArn: this.model.vaultArn(region, args.vaultName),
      resourceArn: args.resource.arn,
      resourceType: args.resource.type,
      ...(args.resource.name !== undefined ? { resourceName: args.resource.name } : {}),
      iamRoleArn: args.iamRoleArn,
      createdAt: now,
      readyAt: now + this.world.duration('backup.job.start', rng),
      startBy: now + args.startWindowMinutes * MINUTE_MS,
      state: 'CREATED',
      percentDone: 0,
      ...(args.lifecycle ? { lifecycle: args.lifecycle } : {}),
      ...(args.recoveryPointTags ? { recoveryPointTags: args.recoveryPointTags } : {}),
      ...(args.createdBy ? { createdBy: args.createdBy } : {}),
      copyActions: args.copyActions ?? [],
      rng,
      timers: new Set(),
    };
    this.backupJobs.set(id, job);
    this.active.add(job);
    this.emitJob(job);
    this.after(job, job.readyAt, `backup ${region}: job ${id} starts`, () => this.advanceBackupJob(job));
    this.after(job, job.startBy, `backup ${region}: job ${id} start window ends`, () => {
      if (job.state === 'CREATED') this.finishBackupJob(job, 'EXPIRED', 'The backup job did not start within its start window.');
    });
    return job;
  }

  private emitJob(job: BackupJob): void {
    this.world.emit('backup.job.state', {
      region: job.region,
      jobId: job.id,
      state: job.state,
      resourceArn: job.resourceArn,
      resourceType: job.resourceType,
      vault: job.vaultName,
      ...(job.recoveryPointArn ? { recoveryPointArn: job.recoveryPointArn } : {}),
      ...(job.statusMessage ? { statusMessage: job.statusMessage } : {}),
    });
  }

  private advanceBackupJob(job: BackupJob): void {
    const now = this.now();
    if (job.state === 'CREATED') {
      if (now < job.readyAt) return;
      // Nothing starts in a region that is down; the start window keeps running.
      if (!this.world.faults.isRegionUp(job.region)) return;
      const vault = this.model.findVault(job.region, job.vaultName);
      if (!vault) return this.finishBackupJob(job, 'FAILED', `Backup vault ${job.vaultName} does not exist.`);
      const adapter = this.model.adapterOfType(job.resourceType);
      const resource = adapter.find(job.resourceArn);
      if (!resource) return this.finishBackupJob(job, 'FAILED', `Resource ${job.resourceArn} was not found.`);
      let recoveryPointArn: string;
      try {
        recoveryPointArn = adapter.startBackup(resource, this.model.backupJobRef(adapter, job.region, job.id));
      } catch (error) {
        if (error instanceof AwsError) return this.finishBackupJob(job, 'FAILED', `${error.code}: ${error.message}`);
        throw error;
      }
      job.state = 'RUNNING';
      job.initiatedAt = now;
      job.recoveryPointArn = recoveryPointArn;
      job.backupSizeInBytes = resource.sizeBytes;
      this.model.recoveryPoints.set(recoveryPointArn, {
        arn: recoveryPointArn,
        region: job.region,
        vaultName: vault.name,
        vaultArn: vault.arn,
        resourceArn: job.resourceArn,
        resourceType: job.resourceType,
        ...(job.resourceName !== undefined ? { resourceName: job.resourceName } : {}),
        iamRoleArn: job.iamRoleArn,
        createdAt: job.createdAt,
        initiatedAt: now,
        status: 'CREATING',
        ...(job.lifecycle ? { lifecycle: job.lifecycle } : {}),
        ...(job.createdBy ? { createdBy: job.createdBy } : {}),
        encryptionKeyArn: vault.encryptionKeyArn,
        tags: { ...job.recoveryPointTags },
      });
      this.emitJob(job);
    }
    if (job.state !== 'RUNNING' || !job.recoveryPointArn) return;
    const progress = this.model.adapterOfType(job.resourceType).progress(job.recoveryPointArn);
    if (progress.state === 'running') {
      job.percentDone = progress.percent;
      return;
    }
    if (progress.state === 'failed') {
      this.model.recoveryPoints.delete(job.recoveryPointArn);
      return this.finishBackupJob(job, 'FAILED', progress.message);
    }
    if (progress.sizeBytes !== undefined) job.backupSizeInBytes = progress.sizeBytes;
    const rp = this.model.recoveryPoints.get(job.recoveryPointArn);
    if (rp) this.model.completeRecoveryPoint(rp, job.backupSizeInBytes);
    this.finishBackupJob(job, 'COMPLETED');
    if (rp) for (const action of job.copyActions) this.createCopyJob(rp, action, { backupJob: job });
  }

  private finishBackupJob(job: BackupJob, state: 'COMPLETED' | 'FAILED' | 'EXPIRED' | 'ABORTED', message?: string): void {
    job.state = state;
    if (message !== undefined) job.statusMessage = message;
    if (state === 'COMPLETED') job.percentDone = 100;
    job.completedAt = this.now();
    for (const handle of job.timers) this.world.clock.cancel(handle);
    job.timers.clear();
    this.active.delete(job);
    this.emitJob(job);
  }

  startBackupJob(region: string, input: StartBackupJobInput): BackupJob {
    if (input.BackupVaultName === undefined) throw backupErrors.missingParameter('BackupVaultName');
    if (input.ResourceArn === undefined) throw backupErrors.missingParameter('ResourceArn');
    if (input.IamRoleArn === undefined) throw backupErrors.missingParameter('IamRoleArn');
    if (!roleArnPattern.test(input.IamRoleArn)) throw backupErrors.invalidParameterValue(`Invalid IAM role ARN ${input.IamRoleArn}.`);
    this.model.vault(region, input.BackupVaultName);
    if (input.IdempotencyToken !== undefined) {
      const seen = this.idempotency.get(input.IdempotencyToken);
      const job = seen ? this.backupJobs.get(seen.jobId) : undefined;
      if (seen && job && this.now() - seen.at < IDEMPOTENCY_MS) return job;
    }
    const adapter = this.model.adapterFor(input.ResourceArn);
    if (!adapter) {
      throw backupErrors.invalidParameterValue(
        `Invalid ARN ${input.ResourceArn}: not a resource type the simulator backs up (RDS DB instances, EBS volumes, DynamoDB tables).`,
      );
    }
    if (regionOfArn(input.ResourceArn) !== region) {
      throw backupErrors.invalidParameterValue(`The resource ${input.ResourceArn} is not in the Region of the backup vault, ${region}.`);
    }
    const startWindow = input.StartWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES;
    if (startWindow < 60) throw backupErrors.invalidParameterValue('StartWindowMinutes must be at least 60.');
    const lifecycle = this.model.checkLifecycle(input.Lifecycle, 'Lifecycle');
    const resource = adapter.find(input.ResourceArn) ?? { arn: input.ResourceArn, type: adapter.type };
    const job = this.createBackupJob(region, {
      vaultName: input.BackupVaultName,
      resource,
      iamRoleArn: input.IamRoleArn,
      startWindowMinutes: startWindow,
      ...(lifecycle ? { lifecycle } : {}),
      ...(input.RecoveryPointTags ? { recoveryPointTags: input.RecoveryPointTags } : {}),
    });
    if (input.IdempotencyToken !== undefined) this.idempotency.set(input.IdempotencyToken, { jobId: job.id, at: this.now() });
    return job;
  }

  backupJob(region: string, id: string): BackupJob {
    const job = this.backupJobs.get(id);
    if (!job || job.region !== region) throw backupErrors.jobNotFound('Backup', id);
    return job;
  }

  listBackupJobs(region: string, input: ListBackupJobsInput): Page<BackupJob> {
    const jobs = [...this.backupJobs.values()].filter(
      (j) =>
        j.region === region &&
        (input.ByResourceArn === undefined || j.resourceArn === input.ByResourceArn) &&
        (input.ByState === undefined || j.state === input.ByState) &&
        (input.ByBackupVaultName === undefined || j.vaultName === input.ByBackupVaultName) &&
        (input.ByResourceType === undefined || j.resourceType === input.ByResourceType) &&
        (input.ByAccountId === undefined || input.ByAccountId === this.world.accountId) &&
        within(j.createdAt, input.ByCreatedAfter, input.ByCreatedBefore) &&
        (input.ByCompleteAfter === undefined && input.ByCompleteBefore === undefined
          ? true
          : j.completedAt !== undefined && within(j.completedAt, input.ByCompleteAfter, input.ByCompleteBefore)),
    );
    return paginate(newestFirst(jobs), input);
  }

  // ── Copy jobs ───────────────────────────────────────────────────────────

  /**
   * Copy a completed recovery point to a vault, usually in another region
   * (a DR copy outside any plan). The copy job then goes as a plan's would:
   * it fails when the service cannot copy (a DynamoDB backup made without
   * AWS Backup's advanced features).
   */
  startCopyJob(region: string, input: StartCopyJobInput): CopyJob {
    if (input.RecoveryPointArn === undefined) throw backupErrors.missingParameter('RecoveryPointArn');
    if (input.SourceBackupVaultName === undefined) throw backupErrors.missingParameter('SourceBackupVaultName');
    if (input.DestinationBackupVaultArn === undefined) throw backupErrors.missingParameter('DestinationBackupVaultArn');
    if (input.IamRoleArn === undefined) throw backupErrors.missingParameter('IamRoleArn');
    if (!roleArnPattern.test(input.IamRoleArn)) throw backupErrors.invalidParameterValue(`Invalid IAM role ARN ${input.IamRoleArn}.`);
    if (!vaultArnPattern.test(input.DestinationBackupVaultArn)) {
      throw backupErrors.invalidParameterValue(`Invalid DestinationBackupVaultArn ${input.DestinationBackupVaultArn}.`);
    }
    if (input.IdempotencyToken !== undefined) {
      const seen = this.idempotency.get(input.IdempotencyToken);
      const job = seen ? this.copyJobs.get(seen.jobId) : undefined;
      if (seen && job && this.now() - seen.at < IDEMPOTENCY_MS) return job;
    }
    const source = this.model.recoveryPoint(region, input.SourceBackupVaultName, input.RecoveryPointArn);
    if (source.status !== 'COMPLETED') {
      throw backupErrors.invalidRequest(`Recovery point ${source.arn} is ${source.status}: only a completed recovery point can be copied.`);
    }
    const lifecycle = this.model.checkLifecycle(input.Lifecycle, 'Lifecycle');
    const job = this.createCopyJob(
      source,
      { DestinationBackupVaultArn: input.DestinationBackupVaultArn, ...(lifecycle ? { Lifecycle: lifecycle } : {}) },
      { iamRoleArn: input.IamRoleArn },
    );
    if (input.IdempotencyToken !== undefined) this.idempotency.set(input.IdempotencyToken, { jobId: job.id, at: this.now() });
    return job;
  }

  private createCopyJob(source: RecoveryPoint, action: CopyAction, origin: { backupJob?: BackupJob; iamRoleArn?: string } = {}): CopyJob {
    const backupJob = origin.backupJob;
    const id = this.model.jobId();
    const now = this.now();
    const rng = this.world.rng.fork(`backup:copy-job:${id}`);
    const job: CopyJob = {
      id,
      region: source.region,
      sourceVaultArn: source.vaultArn,
      sourceRecoveryPointArn: source.arn,
      destinationVaultArn: action.DestinationBackupVaultArn,
      resourceArn: source.resourceArn,
      resourceType: source.resourceType,
      ...(source.resourceName !== undefined ? { resourceName: source.resourceName } : {}),
      iamRoleArn: origin.iamRoleArn ?? source.iamRoleArn,
      createdAt: now,
      readyAt: now + this.world.duration('backup.job.start', rng),
      state: 'CREATED',
      ...(action.Lifecycle ? { destinationLifecycle: action.Lifecycle } : {}),
      ...(source.backupSizeInBytes !== undefined ? { backupSizeInBytes: source.backupSizeInBytes } : {}),
      ...(source.createdBy ? { createdBy: source.createdBy } : {}),
      ...(backupJob ? { createdByBackupJobId: backupJob.id } : {}),
      rng,
      timers: new Set(),
    };
    this.copyJobs.set(id, job);
    this.active.add(job);
    this.emitCopyJob(job);
    this.after(job, job.readyAt, `backup ${job.region}: copy job ${id} starts`, () => this.advanceCopyJob(job));
    return job;
  }

  private emitCopyJob(job: CopyJob): void {
    this.world.emit('backup.copy-job.state', {
      region: job.region,
      jobId: job.id,
      state: job.state,
      resourceArn: job.resourceArn,
      sourceRecoveryPointArn: job.sourceRecoveryPointArn,
      destinationVaultArn: job.destinationVaultArn,
      ...(job.destinationRecoveryPointArn ? { destinationRecoveryPointArn: job.destinationRecoveryPointArn } : {}),
      ...(job.statusMessage ? { statusMessage: job.statusMessage } : {}),
    });
  }

  private advanceCopyJob(job: CopyJob): void {
    if (job.state === 'CREATED') {
      if (this.now() < job.readyAt || !this.world.faults.isRegionUp(job.region)) return;
      const destination = this.model.vaultByArn(job.destinationVaultArn);
      if (!destination) return this.finishCopyJob(job, 'FAILED', `Backup vault ${job.destinationVaultArn} does not exist.`);
      const source = this.model.recoveryPoints.get(job.sourceRecoveryPointArn);
      if (!source || source.status !== 'COMPLETED') return this.finishCopyJob(job, 'FAILED', `Recovery point ${job.sourceRecoveryPointArn} is not available to copy.`);
      let arn: string;
      try {
        arn = this.model.adapterOfType(job.resourceType).copy(source.arn, destination.region, this.model.copyJobRef(source.arn, destination.region, job.id));
      } catch (error) {
        if (error instanceof AwsError) return this.finishCopyJob(job, 'FAILED', `${error.code}: ${error.message}`);
        throw error;
      }
      job.state = 'RUNNING';
      job.destinationRecoveryPointArn = arn;
      this.model.recoveryPoints.set(arn, {
        arn,
        region: destination.region,
        vaultName: destination.name,
        vaultArn: destination.arn,
        resourceArn: source.resourceArn,
        resourceType: source.resourceType,
        ...(source.resourceName !== undefined ? { resourceName: source.resourceName } : {}),
        iamRoleArn: source.iamRoleArn,
        createdAt: this.now(),
        initiatedAt: this.now(),
        status: 'CREATING',
        ...(job.destinationLifecycle ? { lifecycle: job.destinationLifecycle } : {}),
        ...(source.createdBy ? { createdBy: source.createdBy } : {}),
        sourceBackupVaultArn: source.vaultArn,
        encryptionKeyArn: destination.encryptionKeyArn,
        tags: { ...source.tags },
      });
      this.emitCopyJob(job);
    }
    if (job.state !== 'RUNNING' || !job.destinationRecoveryPointArn) return;
    const progress = this.model.adapterOfType(job.resourceType).progress(job.destinationRecoveryPointArn);
    if (progress.state === 'running') return;
    const rp = this.model.recoveryPoints.get(job.destinationRecoveryPointArn);
    if (progress.state === 'failed') {
      this.model.recoveryPoints.delete(job.destinationRecoveryPointArn);
      return this.finishCopyJob(job, 'FAILED', progress.message);
    }
    if (rp) this.model.completeRecoveryPoint(rp, progress.sizeBytes ?? job.backupSizeInBytes);
    this.finishCopyJob(job, 'COMPLETED');
  }

  private finishCopyJob(job: CopyJob, state: 'COMPLETED' | 'FAILED', message?: string): void {
    job.state = state;
    if (message !== undefined) job.statusMessage = message;
    job.completedAt = this.now();
    for (const handle of job.timers) this.world.clock.cancel(handle);
    job.timers.clear();
    this.active.delete(job);
    this.emitCopyJob(job);
  }

  copyJob(region: string, id: string): CopyJob {
    const job = this.copyJobs.get(id);
    if (!job || job.region !== region) throw backupErrors.jobNotFound('Copy', id);
    return job;
  }

  listCopyJobs(region: string, input: ListCopyJobsInput): Page<CopyJob> {
    const jobs = [...this.copyJobs.values()].filter(
      (j) =>
        j.region === region &&
        (input.ByResourceArn === undefined || j.resourceArn === input.ByResourceArn) &&
        (input.ByState === undefined || j.state === input.ByState) &&
        (input.ByDestinationVaultArn === undefined || j.destinationVaultArn === input.ByDestinationVaultArn) &&
        (input.ByResourceType === undefined || j.resourceType === input.ByResourceType) &&
        (input.BySourceRecoveryPointArn === undefined || j.sourceRecoveryPointArn === input.BySourceRecoveryPointArn) &&
        within(j.createdAt, input.ByCreatedAfter, input.ByCreatedBefore) &&
        (input.ByCompleteAfter === undefined && input.ByCompleteBefore === undefined
          ? true
          : j.completedAt !== undefined && within(j.completedAt, input.ByCompleteAfter, input.ByCompleteBefore)),
    );
    return paginate(newestFirst(jobs), input);
  }

  // ── Restore jobs ────────────────────────────────────────────────────────

  startRestoreJob(region: string, input: StartRestoreJobInput): RestoreJob {
    if (input.RecoveryPointArn === undefined) throw backupErrors.missingParameter('RecoveryPointArn');
    if (input.Metadata === undefined) throw backupErrors.missingParameter('Metadata');
    if (input.IamRoleArn !== undefined && !roleArnPattern.test(input.IamRoleArn)) {
      throw backupErrors.invalidParameterValue(`Invalid IAM role ARN ${input.IamRoleArn}.`);
    }
    if (input.IdempotencyToken !== undefined) {
      const seen = this.idempotency.get(input.IdempotencyToken);
      const job = seen ? this.restoreJobs.get(seen.jobId) : undefined;
      if (seen && job && this.now() - seen.at < IDEMPOTENCY_MS) return job;
    }
    const rp = this.model.recoveryPoints.get(input.RecoveryPointArn);
    if (!rp || rp.region !== region) throw backupErrors.recoveryPointNotFound(input.RecoveryPointArn);
    if (input.ResourceType !== undefined && input.ResourceType !== rp.resourceType) {
      throw backupErrors.invalidParameterValue(`ResourceType ${input.ResourceType} does not match the recovery point's ${rp.resourceType}.`);
    }
    if (rp.status !== 'COMPLETED') throw backupErrors.invalidRequest(`Recovery point ${rp.arn} is ${rp.status}: only a completed recovery point can be restored.`);
    this.model.adapterOfType(rp.resourceType).checkRestoreMetadata(input.Metadata);
    const id = this.model.jobId();
    const now = this.now();
    const rng = this.world.rng.fork(`backup:restore-job:${id}`);
    const job: RestoreJob = {
      id,
      region,
      recoveryPointArn: rp.arn,
      recoveryPointCreatedAt: rp.createdAt,
      vaultArn: rp.vaultArn,
      sourceResourceArn: rp.resourceArn,
      resourceType: rp.resourceType,
      iamRoleArn: input.IamRoleArn ?? rp.iamRoleArn,
      metadata: { ...input.Metadata },
      createdAt: now,
      readyAt: now + this.world.duration('backup.job.start', rng),
      status: 'PENDING',
      percentDone: 0,
      ...(rp.backupSizeInBytes !== undefined ? { backupSizeInBytes: rp.backupSizeInBytes } : {}),
      rng,
      timers: new Set(),
    };
    this.restoreJobs.set(id, job);
    this.active.add(job);
    if (input.IdempotencyToken !== undefined) this.idempotency.set(input.IdempotencyToken, { jobId: id, at: now });
    this.emitRestoreJob(job);
    this.after(job, job.readyAt, `backup ${region}: restore job ${id} starts`, () => this.advanceRestoreJob(job));
    return job;
  }

  private emitRestoreJob(job: RestoreJob): void {
    this.world.emit('backup.restore-job.state', {
      region: job.region,
      jobId: job.id,
      status: job.status,
      recoveryPointArn: job.recoveryPointArn,
      resourceType: job.resourceType,
      ...(job.createdResourceArn ? { createdResourceArn: job.createdResourceArn } : {}),
      ...(job.statusMessage ? { statusMessage: job.statusMessage } : {}),
    });
  }

  private advanceRestoreJob(job: RestoreJob): void {
    const adapter = this.model.adapterOfType(job.resourceType);
    if (job.status === 'PENDING') {
      if (this.now() < job.readyAt || !this.world.faults.isRegionUp(job.region)) return;
      const rp = this.model.recoveryPoints.get(job.recoveryPointArn);
      if (!rp) return this.finishRestoreJob(job, 'FAILED', `Recovery point ${job.recoveryPointArn} no longer exists.`);
      try {
        job.createdResourceArn = adapter.restore(rp.arn, job.metadata);
      } catch (error) {
        if (error instanceof AwsError) return this.finishRestoreJob(job, 'FAILED', `${error.code}: ${error.message}`);
        throw error;
      }
      rp.lastRestoreAt = this.now();
      job.status = 'RUNNING';
      this.emitRestoreJob(job);
    }
    if (job.status !== 'RUNNING' || !job.createdResourceArn) return;
    const progress = adapter.restoreProgress(job.createdResourceArn);
    if (progress.state === 'running') {
      job.percentDone = progress.percent;
      return;
    }
    if (progress.state === 'failed') return this.finishRestoreJob(job, 'FAILED', progress.message);
    this.finishRestoreJob(job, 'COMPLETED');
  }

  private finishRestoreJob(job: RestoreJob, status: 'COMPLETED' | 'FAILED', message?: string): void {
    job.status = status;
    if (message !== undefined) job.statusMessage = message;
    if (status === 'COMPLETED') job.percentDone = 100;
    job.completedAt = this.now();
    for (const handle of job.timers) this.world.clock.cancel(handle);
    job.timers.clear();
    this.active.delete(job);
    this.emitRestoreJob(job);
  }

  restoreJob(region: string, id: string): RestoreJob {
    const job = this.restoreJobs.get(id);
    if (!job || job.region !== region) throw backupErrors.jobNotFound('Restore', id);
    return job;
  }

  listRestoreJobs(region: string, input: ListRestoreJobsInput): Page<RestoreJob> {
    const jobs = [...this.restoreJobs.values()].filter(
      (j) =>
        j.region === region &&
        (input.ByStatus === undefined || j.status === input.ByStatus) &&
        (input.ByResourceType === undefined || j.resourceType === input.ByResourceType) &&
        within(j.createdAt, input.ByCreatedAfter, input.ByCreatedBefore) &&
        (input.ByCompleteAfter === undefined && input.ByCompleteBefore === undefined
          ? true
          : j.completedAt !== undefined && within(j.completedAt, input.ByCompleteAfter, input.ByCompleteBefore)),
    );
    return paginate(newestFirst(jobs), input);
  }
}
