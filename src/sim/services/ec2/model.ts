import { cancelOwned, scheduleOwned, type TimerOwner } from '../../owned-timers.js';
import { createHash } from 'node:crypto';
import type { EpochMs } from '../../../clock/types.js';
import { storageScale } from '../../calibration.js';
import type { Rng, SimWorld, TargetableResource } from '../../types.js';
import { ec2Errors } from './errors.js';
import { Ec2Instances } from './instances.js';
import { TransitGateways } from './transit-gateways.js';
import { applyFilters, byId, checkTag, paginate, tagsFor, tagsOf, tagsOfResource } from './listing.js';
import type {
  CopySnapshotInput,
  CreateSnapshotInput,
  CreateTagsInput,
  CreateVolumeInput,
  DeleteSnapshotInput,
  DeleteVolumeInput,
  DescribeSnapshotsInput,
  DescribeTagsInput,
  DescribeVolumesInput,
  EbsSnapshot,
  EbsVolume,
  Page,
  SeedSnapshotSpec,
  SeedVolumeSpec,
  SnapshotState,
  Tag,
  TagDescription,
  VolumeData,
  VolumeState,
} from './types.js';

const DAY_MS = 86_400_000;
const HEX = '0123456789abcdef';

const volumeIdPattern = /^vol-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
const snapshotIdPattern = /^snap-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;

/** EBS volume types and the sizes (GiB) each allows. */
const volumeTypes: Record<string, { min: number; max: number }> = {
  standard: { min: 1, max: 1024 },
  gp2: { min: 1, max: 16384 },
  gp3: { min: 1, max: 65536 },
  io1: { min: 4, max: 16384 },
  io2: { min: 4, max: 65536 },
  st1: { min: 125, max: 16384 },
  sc1: { min: 125, max: 16384 },
};

/** Zones the sim knows in any region: letters a–f, as the largest regions have. */
const zonePattern = /^([a-z]{2}(?:-[a-z]+)+-\d)([a-f])$/;

/** Who is asking: EC2's own API, or AWS Backup acting on its recovery points. */
export interface SnapshotOptions {
  managedBy?: 'backup';
}

/**
 * The simulated EC2 API: instances and subnets (instances.ts works on them)
 * and Amazon EBS: volumes, point-in-time snapshots with progress,
 * cross-region copies that wait for the network, volumes restored from
 * snapshots, I/O that stalls (FIS, a zone without power), and tags. Each
 * volume's data is a version history, so a restore can be shown to hold
 * exactly the snapshot's data. State and rules only.
 */
export class Ec2Model {
  private readonly volumes = new Map<string, EbsVolume>();
  private readonly snapshots = new Map<string, EbsSnapshot>();
  private readonly ids: Rng;
  /** Work that waits for a cross-region link (snapshot copies). */
  private linkWaiters: { from: string; to: string; run: () => void }[] = [];
  /** Volume ARN → who holds its I/O paused (FIS actions, a zone's power), so it resumes when the last lets go. */
  private readonly ioPauses = new Map<string, Set<string>>();
  readonly instances: Ec2Instances;
  readonly transitGateways: TransitGateways;

  constructor(private readonly world: SimWorld) {
    this.ids = world.rng.fork('ec2:ids');
    this.instances = new Ec2Instances(world);
    this.transitGateways = new TransitGateways(world);
    // Stalled copies resume the moment the network comes back.
    world.onEvent((event) => {
      if (event.kind === 'link.restored' || event.kind === 'region.restored') this.resumeLinks();
      const zone = event.detail['zone'];
      if (typeof zone !== 'string') return;
      // Without power a zone's volumes stall, and come back with it.
      if (event.kind === 'zone.power-lost') for (const v of this.volumes.values()) if (v.availabilityZone === zone) this.pauseIo(v, `power:${zone}`);
      if (event.kind === 'zone.power-restored') for (const v of this.volumes.values()) if (v.availabilityZone === zone) this.resumeIo(v, `power:${zone}`);
    });
  }

  // ── Volume I/O ──────────────────────────────────────────────────────────

  /** Stop a volume's I/O on behalf of `holder` (aws:ebs:pause-volume-io, a zone's power): writes stall until every holder resumes it. */
  pauseIo(volume: EbsVolume, holder: string): void {
    const holders = this.ioPauses.get(volume.arn) ?? new Set<string>();
    const was = holders.size > 0;
    holders.add(holder);
    this.ioPauses.set(volume.arn, holders);
    if (!was) this.world.emit('ec2.volume.io-paused', { region: volume.region, volumeId: volume.id, arn: volume.arn, by: holder });
  }

  resumeIo(volume: EbsVolume, holder: string): void {
    const holders = this.ioPauses.get(volume.arn);
    if (!holders?.delete(holder)) return;
    if (holders.size > 0) return;
    this.ioPauses.delete(volume.arn);
    this.world.emit('ec2.volume.io-resumed', { region: volume.region, volumeId: volume.id, arn: volume.arn });
  }

  isIoPaused(volume: EbsVolume): boolean {
    return (this.ioPauses.get(volume.arn)?.size ?? 0) > 0;
  }

  private now(): EpochMs {
    return this.world.clock.now();
  }

  // ── Lookup ──────────────────────────────────────────────────────────────

  private key(region: string, id: string): string {
    return `${region}/${id}`;
  }

  findVolume(region: string, id: string): EbsVolume | undefined {
    return this.volumes.get(this.key(region, id));
  }

  volume(region: string, id: string): EbsVolume {
    if (!volumeIdPattern.test(id)) throw ec2Errors.volumeIdMalformed(id);
    const found = this.findVolume(region, id);
    if (!found) throw ec2Errors.volumeNotFound(id);
    return found;
  }

  findSnapshot(region: string, id: string): EbsSnapshot | undefined {
    this.resumeLinks();
    return this.snapshots.get(this.key(region, id));
  }

  snapshot(region: string, id: string): EbsSnapshot {
    if (!snapshotIdPattern.test(id)) throw ec2Errors.snapshotIdMalformed(id);
    const found = this.findSnapshot(region, id);
    if (!found) throw ec2Errors.snapshotNotFound(id);
    return found;
  }

  /** `arn:aws:ec2:REGION:ACCOUNT:volume/vol-…` */
  volumeArn(region: string, id: string): string {
    return `arn:aws:ec2:${region}:${this.world.accountId}:volume/${id}`;
  }

  /** `arn:aws:ec2:REGION::snapshot/snap-…`: snapshot ARNs carry no account. */
  snapshotArn(region: string, id: string): string {
    return `arn:aws:ec2:${region}::snapshot/${id}`;
  }

  volumeByArn(arn: string): EbsVolume | undefined {
    const parsed = parseEc2Arn(arn);
    if (!parsed || parsed.kind !== 'volume' || parsed.accountId !== this.world.accountId) return undefined;
    return this.findVolume(parsed.region, parsed.id);
  }

  snapshotByArn(arn: string): EbsSnapshot | undefined {
    const parsed = parseEc2Arn(arn);
    if (!parsed || parsed.kind !== 'snapshot') return undefined;
    return this.findSnapshot(parsed.region, parsed.id);
  }

  volumesIn(region: string): EbsVolume[] {
    return [...this.volumes.values()].filter((v) => v.region === region).sort(byId);
  }

  snapshotsIn(region: string): EbsSnapshot[] {
    this.resumeLinks();
    return [...this.snapshots.values()].filter((s) => s.region === region).sort(byId);
  }

  /** "NN%": EBS reports how far a pending snapshot is. */
  progressOf(snapshot: EbsSnapshot): number {
    if (snapshot.state === 'completed') return 100;
    if (snapshot.state === 'error') return 0;
    const span = snapshot.dueAt - snapshot.startedAt;
    if (span <= 0) return 99;
    return Math.min(99, Math.max(0, Math.floor((100 * (this.now() - snapshot.startedAt)) / span)));
  }

  // ── Data (model methods, not AWS APIs) ──────────────────────────────────

  /** The data a volume holds now. */
  dataOf(region: string, volumeId: string): VolumeData {
    const volume = this.findVolume(region, volumeId);
    if (!volume) throw new Error(`no EBS volume ${volumeId} in ${region}`);
    return current(volume);
  }

  /** The data a snapshot holds (that of its volume when it was started). */
  snapshotDataOf(region: string, snapshotId: string): VolumeData {
    const snapshot = this.findSnapshot(region, snapshotId);
    if (!snapshot) throw new Error(`no EBS snapshot ${snapshotId} in ${region}`);
    return snapshot.data;
  }

  /** The application writes to the volume: a new version of its data. */
  writeVolume(region: string, volumeId: string, note = ''): VolumeData {
    const volume = this.findVolume(region, volumeId);
    if (!volume) throw new Error(`no EBS volume ${volumeId} in ${region}`);
    if (volume.state !== 'available' && volume.state !== 'in-use') {
      throw new Error(`EBS volume ${volumeId} cannot be written while it is ${volume.state}`);
    }
    if (this.isIoPaused(volume)) throw new Error(`EBS volume ${volumeId} cannot be written: its I/O is paused`);
    const before = current(volume);
    const data: VolumeData = { version: before.version + 1, checksum: nextChecksum(before.checksum, before.version + 1, note), writtenAt: this.now() };
    volume.history.push(data);
    this.world.emit('ec2.volume.written', { region, volumeId, version: data.version, checksum: data.checksum });
    return data;
  }

  // ── Scheduling ──────────────────────────────────────────────────────────

  private after(owner: TimerOwner, ms: number, label: string, task: () => void): void {
    scheduleOwned(this.world.clock, owner, this.now() + Math.max(0, ms), label, task);
  }

  private cancelTimers(owner: TimerOwner): void {
    cancelOwned(this.world.clock, owner);
  }

  private setVolumeState(volume: EbsVolume, state: VolumeState): void {
    if (volume.state === state) return;
    const previous = volume.state;
    volume.state = state;
    this.world.emit('ec2.volume.state', { region: volume.region, volumeId: volume.id, arn: volume.arn, state, previous });
  }

  private setSnapshotState(snapshot: EbsSnapshot, state: SnapshotState): void {
    if (snapshot.state === state) return;
    const previous = snapshot.state;
    snapshot.state = state;
    if (state === 'completed') snapshot.completedAt = this.now();
    this.world.emit('ec2.snapshot.state', {
      region: snapshot.region,
      snapshotId: snapshot.id,
      arn: snapshot.arn,
      volumeId: snapshot.volumeId,
      state,
      previous,
    });
  }

  private resumeLinks(): void {
    if (this.linkWaiters.length === 0) return;
    const waiting = this.linkWaiters;
    this.linkWaiters = [];
    for (const waiter of waiting) {
      if (this.world.faults.isLinkUp(waiter.from, waiter.to)) waiter.run();
      else this.linkWaiters.push(waiter);
    }
  }

  private newId(prefix: 'vol' | 'snap'): string {
    return `${prefix}-${this.ids.alnum(17, HEX)}`;
  }

  // ── Seeding (the environment loader, at t = 0) ──────────────────────────

  /** A volume in steady state: available (or in-use when attached), its data written before t = 0. */
  seedVolume(spec: SeedVolumeSpec): EbsVolume {
    if (!volumeIdPattern.test(spec.id)) throw new Error(`seedVolume: "${spec.id}" is not an EBS volume id (vol- and 8 or 17 hex digits)`);
    if (this.volumes.has(this.key(spec.region, spec.id))) throw new Error(`seedVolume: ${spec.id} already exists in ${spec.region}`);
    const type = spec.type ?? 'gp3';
    const limits = volumeTypes[type];
    if (!limits) throw new Error(`seedVolume ${spec.id}: unknown volume type ${type}`);
    if (!Number.isInteger(spec.sizeGiB) || spec.sizeGiB < limits.min || spec.sizeGiB > limits.max) {
      throw new Error(`seedVolume ${spec.id}: ${spec.sizeGiB} GiB is outside ${limits.min}–${limits.max} GiB for ${type}`);
    }
    const az = spec.az ?? `${spec.region}a`;
    this.checkZone(spec.region, az);
    const createdAt = this.now() - 90 * DAY_MS;
    const volume = this.newVolume({
      id: spec.id,
      region: spec.region,
      az,
      sizeGiB: spec.sizeGiB,
      volumeType: type,
      encrypted: spec.encrypted ?? false,
      tags: tagsOf(spec.tags),
      state: spec.attachedTo ? 'in-use' : 'available',
      createdAt,
      data: { version: 1, checksum: nextChecksum(`seed:${spec.region}:${spec.id}`, 1, ''), writtenAt: createdAt },
    });
    if (spec.attachedTo) {
      volume.attachment = { instanceId: spec.attachedTo.instanceId, device: spec.attachedTo.device ?? '/dev/xvdf', attachedAt: createdAt, deleteOnTermination: false };
    }
    this.world.emit('ec2.volume.state', { region: volume.region, volumeId: volume.id, arn: volume.arn, state: volume.state, seeded: true });
    return volume;
  }

  /**
   * A snapshot that was started at `startedAt` and completed long before
   * t = 0, holding the volume's data of that time (seeded backup history).
   */
  seedSnapshot(spec: SeedSnapshotSpec): EbsSnapshot {
    const source = spec.copyOf ? this.findSnapshot(spec.copyOf.region, spec.copyOf.snapshotId) : undefined;
    if (spec.copyOf && !source) throw new Error(`seedSnapshot: no snapshot ${spec.copyOf.snapshotId} in ${spec.copyOf.region} to copy`);
    const volume = this.findVolume(source?.region ?? spec.region, spec.volumeId);
    if (!source && !volume) throw new Error(`seedSnapshot: no volume ${spec.volumeId} in ${spec.region}`);
    if (spec.startedAt > this.now()) throw new Error('seedSnapshot: startedAt lies in the future');
    const id = this.newId('snap');
    const rng = this.world.rng.fork(`ec2:${this.snapshotArn(spec.region, id)}`);
    const sizeGiB = source?.volumeSize ?? volume!.sizeGiB;
    const dueAt = Math.min(this.now(), spec.startedAt + this.world.duration(spec.copyOf ? 'ec2.snapshot.copy' : 'ec2.snapshot.create', rng, storageScale(sizeGiB)));
    const snapshot: EbsSnapshot = {
      id,
      region: spec.region,
      arn: this.snapshotArn(spec.region, id),
      // A copy names a volume id that exists nowhere, as EC2's copies do.
      volumeId: source ? 'vol-ffffffff' : spec.volumeId,
      volumeSize: sizeGiB,
      description: spec.description ?? '',
      state: 'completed',
      startedAt: spec.startedAt,
      dueAt,
      completedAt: dueAt,
      encrypted: source?.encrypted ?? volume!.encrypted,
      tags: tagsOf(spec.tags),
      data: source ? source.data : dataAsOf(volume!, spec.startedAt),
      ...(source ? { sourceRegion: source.region, sourceSnapshotId: source.id } : {}),
      ...(spec.managedBy ? { managedBy: spec.managedBy } : {}),
      timers: new Set(),
    };
    this.snapshots.set(this.key(spec.region, id), snapshot);
    this.world.emit('ec2.snapshot.state', { region: spec.region, snapshotId: id, arn: snapshot.arn, volumeId: spec.volumeId, state: 'completed', seeded: true });
    return snapshot;
  }

  private newVolume(args: {
    id: string;
    region: string;
    az: string;
    sizeGiB: number;
    volumeType: string;
    iops?: number;
    throughput?: number;
    encrypted: boolean;
    kmsKeyId?: string;
    tags: Tag[];
    state: VolumeState;
    createdAt: EpochMs;
    snapshotId?: string;
    data: VolumeData;
  }): EbsVolume {
    const arn = this.volumeArn(args.region, args.id);
    const volume: EbsVolume = {
      id: args.id,
      region: args.region,
      arn,
      availabilityZone: args.az,
      sizeGiB: args.sizeGiB,
      volumeType: args.volumeType,
      ...defaultPerformance(args.volumeType, args.sizeGiB, args.iops, args.throughput),
      encrypted: args.encrypted,
      ...(args.kmsKeyId !== undefined ? { kmsKeyId: args.kmsKeyId } : {}),
      state: args.state,
      createdAt: args.createdAt,
      ...(args.snapshotId !== undefined ? { snapshotId: args.snapshotId } : {}),
      tags: args.tags,
      history: [args.data],
      rng: this.world.rng.fork(`ec2:${arn}`),
      timers: new Set(),
    };
    this.volumes.set(this.key(args.region, args.id), volume);
    return volume;
  }

  private checkZone(region: string, zone: string): void {
    const match = zonePattern.exec(zone);
    if (!match || match[1] !== region) throw ec2Errors.zoneNotFound(zone);
  }

  // ── Volumes ─────────────────────────────────────────────────────────────

  describeVolumes(region: string, input: DescribeVolumesInput): Page<EbsVolume> {
    if (input.VolumeId?.length && input.MaxResults !== undefined) {
      throw ec2Errors.invalidParameterCombination('The parameter volumeSet cannot be used with the parameter maxResults');
    }
    let volumes: EbsVolume[];
    if (input.VolumeId?.length) {
      const missing: string[] = [];
      volumes = [];
      for (const id of new Set(input.VolumeId)) {
        if (!volumeIdPattern.test(id)) throw ec2Errors.volumeIdMalformed(id);
        const found = this.findVolume(region, id);
        if (found) volumes.push(found);
        else missing.push(id);
      }
      if (missing.length > 0) throw ec2Errors.volumeNotFound(missing.join(', '));
      volumes.sort(byId);
    } else {
      volumes = this.volumesIn(region);
    }
    const filtered = applyFilters(volumes, input.Filter, {
      'volume-id': (v) => [v.id],
      status: (v) => [v.state],
      'availability-zone': (v) => [v.availabilityZone],
      size: (v) => [String(v.sizeGiB)],
      'volume-type': (v) => [v.volumeType],
      'snapshot-id': (v) => (v.snapshotId ? [v.snapshotId] : ['']),
      encrypted: (v) => [String(v.encrypted)],
      'create-time': (v) => [new Date(v.createdAt).toISOString()],
      'attachment.instance-id': (v) => (v.attachment ? [v.attachment.instanceId] : []),
      'attachment.status': (v) => (v.attachment ? ['attached'] : []),
    }, tagsOfResource);
    return paginate(filtered, input, { min: 5, max: 500 });
  }

  createVolume(region: string, input: CreateVolumeInput): EbsVolume {
    if (input.AvailabilityZone === undefined) throw ec2Errors.missingParameter('AvailabilityZone');
    this.checkZone(region, input.AvailabilityZone);
    const type = input.VolumeType ?? 'gp2';
    const limits = volumeTypes[type];
    if (!limits) {
      throw ec2Errors.invalidParameterValue(`Value (${type}) for parameter volumeType is invalid. Valid values: ${Object.keys(volumeTypes).join(', ')}`);
    }
    let snapshot: EbsSnapshot | undefined;
    if (input.SnapshotId !== undefined) {
      snapshot = this.snapshot(region, input.SnapshotId);
      if (snapshot.state !== 'completed') throw ec2Errors.incorrectState(`Snapshot is in invalid state - ${snapshot.state}`);
    }
    if (input.Size === undefined && !snapshot) throw ec2Errors.missingParameter('size or snapshot');
    const size = input.Size ?? snapshot!.volumeSize;
    if (snapshot && size < snapshot.volumeSize) {
      throw ec2Errors.invalidParameterValue(`Volume of ${size}GiB is smaller than snapshot '${snapshot.id}', expect size >= ${snapshot.volumeSize}GiB`);
    }
    if (size < limits.min || size > limits.max) {
      throw ec2Errors.invalidParameterValue(`Volume of ${size}GiB is outside ${limits.min}–${limits.max}GiB allowed for volume type ${type}.`);
    }
    const tags = tagsFor('volume', input.TagSpecification);
    const id = this.newId('vol');
    const volume = this.newVolume({
      id,
      region,
      az: input.AvailabilityZone,
      sizeGiB: size,
      volumeType: type,
      ...(input.Iops !== undefined ? { iops: input.Iops } : {}),
      ...(input.Throughput !== undefined ? { throughput: input.Throughput } : {}),
      encrypted: input.Encrypted ?? snapshot?.encrypted ?? false,
      ...(input.KmsKeyId !== undefined ? { kmsKeyId: input.KmsKeyId } : snapshot?.kmsKeyId !== undefined ? { kmsKeyId: snapshot.kmsKeyId } : {}),
      tags,
      state: 'creating',
      createdAt: this.now(),
      ...(snapshot ? { snapshotId: snapshot.id } : {}),
      // A new empty volume holds version 0; a restored one exactly its snapshot's data.
      data: snapshot ? snapshot.data : { version: 0, checksum: nextChecksum(`empty:${region}:${id}`, 0, ''), writtenAt: this.now() },
    });
    this.world.emit('ec2.volume.state', { region, volumeId: id, arn: volume.arn, state: 'creating', snapshotId: snapshot?.id ?? null });
    // Restores lazy-load from S3 and take the calibrated time; an empty volume is the smallest case of the same range.
    const ms = this.world.duration('ec2.volume.restore', volume.rng, snapshot ? storageScale(size) : 0);
    this.after(volume, ms, `ec2 ${region}/${id}: volume available`, () => this.setVolumeState(volume, 'available'));
    return volume;
  }

  deleteVolume(region: string, input: DeleteVolumeInput): EbsVolume {
    const volume = this.volume(region, input.VolumeId);
    if (volume.attachment) throw ec2Errors.volumeInUse(volume.id, volume.attachment.instanceId);
    if (volume.state !== 'available') throw ec2Errors.incorrectState(`The volume '${volume.id}' is '${volume.state}'`);
    this.cancelTimers(volume);
    this.setVolumeState(volume, 'deleting');
    this.volumes.delete(this.key(region, volume.id));
    this.world.emit('ec2.volume.deleted', { region, volumeId: volume.id, arn: volume.arn });
    return volume;
  }

  // ── Snapshots ───────────────────────────────────────────────────────────

  /** A point-in-time snapshot: it holds the volume's data of now, and is `pending` for the calibrated, size-dependent time. */
  createSnapshot(region: string, input: CreateSnapshotInput, options: SnapshotOptions = {}): EbsSnapshot {
    const volume = this.volume(region, input.VolumeId);
    if (volume.state !== 'available' && volume.state !== 'in-use') {
      throw ec2Errors.incorrectState(`The volume '${volume.id}' is '${volume.state}'`);
    }
    const tags = tagsFor('snapshot', input.TagSpecification);
    const id = this.newId('snap');
    const arn = this.snapshotArn(region, id);
    const rng = this.world.rng.fork(`ec2:${arn}`);
    const now = this.now();
    const ms = this.world.duration('ec2.snapshot.create', rng, storageScale(volume.sizeGiB));
    const snapshot: EbsSnapshot = {
      id,
      region,
      arn,
      volumeId: volume.id,
      volumeSize: volume.sizeGiB,
      description: input.Description ?? '',
      state: 'pending',
      startedAt: now,
      dueAt: now + ms,
      encrypted: volume.encrypted,
      ...(volume.kmsKeyId !== undefined ? { kmsKeyId: volume.kmsKeyId } : {}),
      tags,
      data: current(volume),
      ...(options.managedBy ? { managedBy: options.managedBy } : {}),
      timers: new Set(),
    };
    this.snapshots.set(this.key(region, id), snapshot);
    this.world.emit('ec2.snapshot.state', { region, snapshotId: id, arn, volumeId: volume.id, state: 'pending', dataVersion: snapshot.data.version });
    this.after(snapshot, ms, `ec2 ${region}/${id}: snapshot completed`, () => this.setSnapshotState(snapshot, 'completed'));
    return snapshot;
  }

  describeSnapshots(region: string, input: DescribeSnapshotsInput): Page<EbsSnapshot> {
    if (input.SnapshotId?.length && input.MaxResults !== undefined) {
      throw ec2Errors.invalidParameterCombination('The parameter snapshotSet cannot be used with the parameter maxResults');
    }
    let snapshots: EbsSnapshot[];
    if (input.SnapshotId?.length) {
      const missing: string[] = [];
      snapshots = [];
      for (const id of new Set(input.SnapshotId)) {
        if (!snapshotIdPattern.test(id)) throw ec2Errors.snapshotIdMalformed(id);
        const found = this.findSnapshot(region, id);
        if (found) snapshots.push(found);
        else missing.push(id);
      }
      if (missing.length > 0) throw ec2Errors.snapshotNotFound(missing.join(', '));
      snapshots.sort(byId);
    } else {
      snapshots = this.snapshotsIn(region);
    }
    if (input.Owner?.length) {
      // Every snapshot in the sim belongs to its one account; there are no public (amazon, aws-marketplace) ones.
      const mine = input.Owner.some((owner) => owner === 'self' || owner === this.world.accountId);
      if (!mine) snapshots = [];
    }
    const filtered = applyFilters(snapshots, input.Filter, {
      'snapshot-id': (s) => [s.id],
      'volume-id': (s) => [s.volumeId],
      status: (s) => [s.state],
      'owner-id': () => [this.world.accountId],
      description: (s) => [s.description],
      progress: (s) => [`${this.progressOf(s)}%`],
      'start-time': (s) => [new Date(s.startedAt).toISOString()],
      'volume-size': (s) => [String(s.volumeSize)],
      encrypted: (s) => [String(s.encrypted)],
    }, tagsOfResource);
    return paginate(filtered, input, { min: 5, max: 1000 });
  }

  /**
   * Called in the destination region. The copy holds the source's data and
   * completes after the calibrated copy time, once the network between the
   * two regions is up.
   */
  copySnapshot(region: string, input: CopySnapshotInput, options: SnapshotOptions = {}): EbsSnapshot {
    if (input.DestinationRegion !== undefined && input.DestinationRegion !== region) {
      throw ec2Errors.invalidParameterValue(`The destination region ${input.DestinationRegion} does not match the region of the request, ${region}.`);
    }
    const source = this.snapshot(input.SourceRegion, input.SourceSnapshotId);
    if (source.state !== 'completed') throw ec2Errors.incorrectState(`Snapshot is in invalid state - ${source.state}`);
    if (input.Encrypted === false && source.encrypted) {
      throw ec2Errors.invalidParameterValue('The copy of an encrypted snapshot must be encrypted.');
    }
    const tags = tagsFor('snapshot', input.TagSpecification);
    const id = this.newId('snap');
    const arn = this.snapshotArn(region, id);
    const rng = this.world.rng.fork(`ec2:${arn}`);
    const now = this.now();
    const ms = this.world.duration('ec2.snapshot.copy', rng, storageScale(source.volumeSize));
    const kmsKeyId = input.KmsKeyId ?? source.kmsKeyId;
    const copy: EbsSnapshot = {
      id,
      region,
      arn,
      // A copy names a volume id that exists nowhere: EC2 does the same.
      volumeId: 'vol-ffffffff',
      volumeSize: source.volumeSize,
      description: input.Description ?? `[Copied ${source.id} from ${source.region}]`,
      state: 'pending',
      startedAt: now,
      dueAt: now + ms,
      encrypted: input.Encrypted ?? source.encrypted,
      ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
      tags,
      data: source.data,
      sourceRegion: source.region,
      sourceSnapshotId: source.id,
      ...(options.managedBy ? { managedBy: options.managedBy } : {}),
      timers: new Set(),
    };
    this.snapshots.set(this.key(region, id), copy);
    this.world.emit('ec2.snapshot.state', { region, snapshotId: id, arn, state: 'pending', sourceRegion: source.region, sourceSnapshotId: source.id });
    const finish = (): void => {
      if (this.snapshots.get(this.key(region, id)) !== copy) return;
      if (!this.world.faults.isLinkUp(source.region, region)) {
        this.linkWaiters.push({ from: source.region, to: region, run: finish });
        return;
      }
      copy.dueAt = this.now();
      this.setSnapshotState(copy, 'completed');
    };
    this.after(copy, ms, `ec2 ${region}/${id}: snapshot copy completed`, finish);
    return copy;
  }

  deleteSnapshot(region: string, input: DeleteSnapshotInput, options: SnapshotOptions = {}): EbsSnapshot {
    const snapshot = this.snapshot(region, input.SnapshotId);
    if (snapshot.managedBy === 'backup' && options.managedBy !== 'backup') throw ec2Errors.managedByBackup();
    this.cancelTimers(snapshot);
    this.snapshots.delete(this.key(region, snapshot.id));
    this.world.emit('ec2.snapshot.deleted', { region, snapshotId: snapshot.id, arn: snapshot.arn, state: snapshot.state });
    return snapshot;
  }

  // ── Tags ────────────────────────────────────────────────────────────────

  private taggable(region: string, id: string): { tags: Tag[] } {
    if (id.startsWith('vol-')) return this.volume(region, id);
    if (id.startsWith('snap-')) return this.snapshot(region, id);
    if (id.startsWith('i-')) return this.instances.instance(region, id);
    throw ec2Errors.invalidId(id);
  }

  createTags(region: string, input: CreateTagsInput): void {
    if (input.ResourceId.length === 0) throw ec2Errors.missingParameter('ResourceId');
    for (const tag of input.Tag) checkTag(tag);
    // Every resource is checked before any is tagged: EC2 tags all or none.
    const targets = input.ResourceId.map((id) => this.taggable(region, id));
    for (const target of targets) {
      const tags = [...target.tags];
      for (const tag of input.Tag) {
        const at = tags.findIndex((t) => t.Key === tag.Key);
        if (at >= 0) tags[at] = { Key: tag.Key, Value: tag.Value };
        else tags.push({ Key: tag.Key, Value: tag.Value });
      }
      if (tags.length > 50) throw ec2Errors.invalidParameterValue('A resource can have at most 50 tags.');
      target.tags = tags;
    }
  }

  describeTags(region: string, input: DescribeTagsInput): Page<TagDescription & { id: string }> {
    const rows: (TagDescription & { id: string })[] = [];
    for (const volume of this.volumesIn(region)) {
      for (const tag of volume.tags) rows.push({ id: `${volume.id}/${tag.Key}`, resourceId: volume.id, resourceType: 'volume', key: tag.Key, value: tag.Value });
    }
    for (const snapshot of this.snapshotsIn(region)) {
      for (const tag of snapshot.tags) rows.push({ id: `${snapshot.id}/${tag.Key}`, resourceId: snapshot.id, resourceType: 'snapshot', key: tag.Key, value: tag.Value });
    }
    for (const instance of this.instances.inRegion(region)) {
      for (const tag of instance.tags) rows.push({ id: `${instance.id}/${tag.Key}`, resourceId: instance.id, resourceType: 'instance', key: tag.Key, value: tag.Value });
    }
    rows.sort(byId);
    const filtered = applyFilters(
      rows,
      input.Filter,
      {
        'resource-id': (r) => [r.resourceId],
        'resource-type': (r) => [r.resourceType],
        key: (r) => [r.key],
        value: (r) => [r.value],
      },
    );
    return paginate(filtered, input, { min: 5, max: 1000 });
  }

  // ── FIS targets ─────────────────────────────────────────────────────────

  /** Volumes as FIS sees them: target filters are paths into DescribeVolumes' shape. */
  targetableVolumes(region: string): TargetableResource[] {
    return this.volumesIn(region).map((v) => ({
      arn: v.arn,
      type: 'aws:ec2:ebs-volume',
      region,
      tags: Object.fromEntries(v.tags.map((t) => [t.Key, t.Value])),
      VolumeId: v.id,
      AvailabilityZone: v.availabilityZone,
      VolumeType: v.volumeType,
      State: v.state,
      Size: v.sizeGiB,
      Attachments: v.attachment ? [{ InstanceId: v.attachment.instanceId, State: 'attached' }] : [],
    }));
  }
}

// ── Helpers ───────────────────────────────────────────────────────────────

function current(volume: EbsVolume): VolumeData {
  return volume.history[volume.history.length - 1]!;
}

/** The version a volume held at `at` (its oldest known one if `at` is earlier still). */
function dataAsOf(volume: EbsVolume, at: EpochMs): VolumeData {
  let found = volume.history[0]!;
  for (const data of volume.history) if (data.writtenAt <= at) found = data;
  return found;
}

function nextChecksum(previous: string, version: number, note: string): string {
  return createHash('sha256').update(`${previous}|${version}|${note}`).digest('hex').slice(0, 32);
}

/** gp3 baseline 3000 IOPS / 125 MiB/s; gp2 3 IOPS per GiB (100–16000); io1/io2 as asked. */
function defaultPerformance(type: string, sizeGiB: number, iops?: number, throughput?: number): { iops?: number; throughput?: number } {
  switch (type) {
    case 'gp3':
      return { iops: iops ?? 3000, throughput: throughput ?? 125 };
    case 'gp2':
      return { iops: Math.min(16000, Math.max(100, 3 * sizeGiB)) };
    case 'io1':
    case 'io2':
      return { iops: iops ?? 100 };
    default:
      return {};
  }
}

/** `arn:aws:ec2:REGION:ACCOUNT:volume/vol-…` (`instance/i-…`, `subnet/subnet-…`) or `arn:aws:ec2:REGION::snapshot/snap-…`. */
export function parseEc2Arn(arn: string): { region: string; accountId: string; kind: string; id: string } | undefined {
  const match = /^arn:aws:ec2:([a-z0-9-]+):(\d{12})?:(volume|snapshot|instance|subnet)\/([a-z0-9-]+)$/.exec(arn);
  if (!match) return undefined;
  return { region: match[1]!, accountId: match[2] ?? '', kind: match[3]!, id: match[4]! };
}
