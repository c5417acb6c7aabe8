import {
  CopySnapshotCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  type DescribeSnapshotsCommandInput,
  DescribeTagsCommand,
  DescribeVolumesCommand,
  EC2Client,
  EC2ServiceException,
  paginateDescribeVolumes,
  type Snapshot,
  type Volume,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { defaultCalibration, longestSeconds } from '../src/sim/calibration.js';
import { createSimulator } from '../src/sim/index.js';
import { createEc2Module, EBS_VOLUME, EC2_XML_NAMESPACE, type Ec2Module } from '../src/sim/services/ec2/index.js';
import type { SimRequest } from '../src/sim/types.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { SECOND, MINUTE } from './support/time.js';
import { EAST, START, WEST } from './support/sim.js';
import { rejection } from './support/rejection.js';

const BACKEND = 'vol-0a1b2c3d4e5f60718';

async function setupOver(via: TransportHarness, seed = 42) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed, services: [createEc2Module] });
  const ec2 = sim.world.module<Ec2Module>('ec2');
  ec2.model.seedVolume({ id: BACKEND, region: EAST, az: 'us-east-1b', sizeGiB: 200, type: 'gp3', tags: { app: 'securecart', Name: 'backend-volume' } });
  return {
    clock,
    sim,
    model: ec2.model,
    east: new EC2Client(await via.config(sim, clock, EAST)),
    west: new EC2Client(await via.config(sim, clock, WEST)),
  };
}

/** The EC2 SDK models no exception classes: it throws EC2ServiceException named after the wire code. */
const ec2Error = (promise: Promise<unknown>) => rejection(promise, EC2ServiceException);

async function volume(client: EC2Client, id: string): Promise<Volume> {
  return (await client.send(new DescribeVolumesCommand({ VolumeIds: [id] }))).Volumes![0]!;
}

async function snapshot(client: EC2Client, id: string): Promise<Snapshot> {
  return (await client.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }))).Snapshots![0]!;
}

/** Advance in steps until `done`, returning the virtual time it took. */
async function until(clock: VirtualClock, done: () => Promise<boolean>, stepMs = 10 * SECOND, limitMs = 3 * 60 * MINUTE): Promise<number> {
  const from = clock.now();
  while (!(await done())) {
    if (clock.now() - from > limitMs) throw new Error('condition not reached in time');
    await clock.advance(stepMs);
  }
  return clock.now() - from;
}

describe.each(transports)('EC2 over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = (seed?: number) => setupOver(via, seed);

  describe('DescribeVolumes', () => {
    it('shows a seeded volume with its tags, zone, type and size', async () => {
      const { east } = await setup();
      const v = await volume(east, BACKEND);
      expect(v).toMatchObject({
        VolumeId: BACKEND,
        Size: 200,
        AvailabilityZone: 'us-east-1b',
        State: 'available',
        VolumeType: 'gp3',
        Iops: 3000,
        Throughput: 125,
        Encrypted: false,
        Attachments: [],
      });
      expect(v.Tags).toEqual(expect.arrayContaining([{ Key: 'app', Value: 'securecart' }, { Key: 'Name', Value: 'backend-volume' }]));
      expect(v.CreateTime!.getTime()).toBeLessThan(START);
    });

    it('an attached volume is in-use with its attachment', async () => {
      const { model, east } = await setup();
      model.seedVolume({ id: 'vol-00000000000000001', region: EAST, sizeGiB: 50, attachedTo: { instanceId: 'i-0123456789abcdef0' } });
      const v = await volume(east, 'vol-00000000000000001');
      expect(v.State).toBe('in-use');
      expect(v.Attachments).toEqual([expect.objectContaining({ InstanceId: 'i-0123456789abcdef0', Device: '/dev/xvdf', State: 'attached' })]);
      const refused = await ec2Error(east.send(new DeleteVolumeCommand({ VolumeId: 'vol-00000000000000001' })));
      expect(refused.name).toBe('VolumeInUse');
    });

    it('filters by tag:Key, tag-key, status and zone, with wildcards', async () => {
      const { model, east } = await setup();
      model.seedVolume({ id: 'vol-00000000000000002', region: EAST, az: 'us-east-1a', sizeGiB: 20, tags: { app: 'reporting' } });
      const ids = async (filters: { Name: string; Values: string[] }[]) =>
        ((await east.send(new DescribeVolumesCommand({ Filters: filters }))).Volumes ?? []).map((v) => v.VolumeId);
      expect(await ids([{ Name: 'tag:app', Values: ['securecart'] }])).toEqual([BACKEND]);
      expect(await ids([{ Name: 'tag:app', Values: ['secure*'] }])).toEqual([BACKEND]);
      expect(await ids([{ Name: 'tag-key', Values: ['app'] }])).toEqual(['vol-00000000000000002', BACKEND]);
      expect(await ids([{ Name: 'availability-zone', Values: ['us-east-1a'] }])).toEqual(['vol-00000000000000002']);
      expect(await ids([{ Name: 'status', Values: ['available'] }, { Name: 'tag:app', Values: ['reporting', 'securecart'] }])).toHaveLength(2);
      expect(await ids([{ Name: 'tag:app', Values: ['nothing'] }])).toEqual([]);
      const unknown = await ec2Error(east.send(new DescribeVolumesCommand({ Filters: [{ Name: 'colour', Values: ['blue'] }] })));
      expect(unknown.name).toBe('InvalidParameterValue');
      expect(unknown.message).toContain("'colour'");
    });

    it('pages with MaxResults and NextToken (the SDK paginator walks every page)', async () => {
      const { model, east } = await setup();
      for (let i = 1; i <= 11; i++) model.seedVolume({ id: `vol-${String(i).padStart(17, '0')}`, region: EAST, sizeGiB: 10 });
      const first = await east.send(new DescribeVolumesCommand({ MaxResults: 5 }));
      expect(first.Volumes).toHaveLength(5);
      expect(first.NextToken).toBeTruthy();
      const seen: string[] = [];
      for await (const page of paginateDescribeVolumes({ client: east, pageSize: 5 }, {})) seen.push(...page.Volumes!.map((v) => v.VolumeId!));
      expect(seen).toHaveLength(12);
      expect(new Set(seen).size).toBe(12);
      const tooSmall = await ec2Error(east.send(new DescribeVolumesCommand({ MaxResults: 2 })));
      expect(tooSmall.name).toBe('InvalidParameterValue');
      const both = await ec2Error(east.send(new DescribeVolumesCommand({ MaxResults: 5, VolumeIds: [BACKEND] })));
      expect(both.name).toBe('InvalidParameterCombination');
    });

    it('answers an unknown volume with InvalidVolume.NotFound and a malformed id with InvalidVolumeID.Malformed', async () => {
      const { east, west } = await setup();
      const missing = await ec2Error(east.send(new DescribeVolumesCommand({ VolumeIds: ['vol-0ffffffffffffffff'] })));
      expect(missing.name).toBe('InvalidVolume.NotFound');
      expect(missing.message).toBe("The volume 'vol-0ffffffffffffffff' does not exist.");
      expect(missing.$metadata.httpStatusCode).toBe(400);
      expect(missing.$fault).toBe('client');
      // Volumes are regional.
      expect((await ec2Error(west.send(new DescribeVolumesCommand({ VolumeIds: [BACKEND] })))).name).toBe('InvalidVolume.NotFound');
      expect((await ec2Error(east.send(new DescribeVolumesCommand({ VolumeIds: ['backend'] })))).name).toBe('InvalidVolumeID.Malformed');
    });
  });

  describe('CreateSnapshot and DescribeSnapshots', () => {
    it('is pending with progress, then completed within the calibrated size-dependent time', async () => {
      const { clock, east } = await setup();
      const created = await east.send(
        new CreateSnapshotCommand({
          VolumeId: BACKEND,
          Description: 'before the game day',
          TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'purpose', Value: 'gameday' }] }],
        }),
      );
      expect(created).toMatchObject({ VolumeId: BACKEND, State: 'pending', Progress: '0%', VolumeSize: 200, Description: 'before the game day' });
      expect(created.SnapshotId).toMatch(/^snap-[0-9a-f]{17}$/);
      expect(created.StartTime!.getTime()).toBe(START);
      expect(created.Tags).toEqual([{ Key: 'purpose', Value: 'gameday' }]);
      const id = created.SnapshotId!;
      const progress: number[] = [];
      const took = await until(clock, async () => {
        const s = await snapshot(east, id);
        progress.push(Number.parseInt(s.Progress!, 10));
        return s.State === 'completed';
      });
      const range = defaultCalibration['ec2.snapshot.create'];
      expect(took).toBeGreaterThanOrEqual(range.minSeconds * SECOND);
      expect(took).toBeLessThanOrEqual(longestSeconds(range) * SECOND + 10 * SECOND);
      expect(progress[progress.length - 1]).toBe(100);
      expect(progress.some((p) => p > 0 && p < 100)).toBe(true);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      const done = await snapshot(east, id);
      expect(done.CompletionTime!.getTime()).toBeGreaterThan(START);
    });

    it('holds the volume data of the moment it was started, not later writes', async () => {
      const { clock, model, east } = await setup();
      const before = model.writeVolume(EAST, BACKEND, 'orders up to 09:00');
      const id = (await east.send(new CreateSnapshotCommand({ VolumeId: BACKEND }))).SnapshotId!;
      await clock.advance(MINUTE);
      const after = model.writeVolume(EAST, BACKEND, 'orders after 09:00');
      expect(after.checksum).not.toBe(before.checksum);
      expect(model.snapshotDataOf(EAST, id)).toEqual(before);
      expect(model.dataOf(EAST, BACKEND)).toEqual(after);
    });

    it('finds snapshots by id, owner and filters', async () => {
      const { clock, model, east } = await setup();
      model.seedVolume({ id: 'vol-00000000000000003', region: EAST, sizeGiB: 20 });
      const a = (await east.send(new CreateSnapshotCommand({ VolumeId: BACKEND }))).SnapshotId!;
      const b = (
        await east.send(
          new CreateSnapshotCommand({
            VolumeId: 'vol-00000000000000003',
            TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'tier', Value: 'gold' }] }],
          }),
        )
      ).SnapshotId!;
      await clock.advance(20 * MINUTE);
      const ids = async (input: DescribeSnapshotsCommandInput) =>
        ((await east.send(new DescribeSnapshotsCommand(input))).Snapshots ?? []).map((s) => s.SnapshotId).sort();
      expect(await ids({ OwnerIds: ['self'] })).toEqual([a, b].sort());
      expect(await ids({ OwnerIds: ['123456789012'] })).toEqual([a, b].sort());
      expect(await ids({ OwnerIds: ['amazon'] })).toEqual([]);
      expect(await ids({ Filters: [{ Name: 'volume-id', Values: [BACKEND] }] })).toEqual([a]);
      expect(await ids({ Filters: [{ Name: 'tag:tier', Values: ['gold'] }] })).toEqual([b]);
      expect(await ids({ Filters: [{ Name: 'status', Values: ['completed'] }] })).toEqual([a, b].sort());
      expect(await ids({ SnapshotIds: [b] })).toEqual([b]);
      const missing = await ec2Error(east.send(new DescribeSnapshotsCommand({ SnapshotIds: ['snap-0ffffffffffffffff'] })));
      expect(missing.name).toBe('InvalidSnapshot.NotFound');
      const malformed = await ec2Error(east.send(new DescribeSnapshotsCommand({ SnapshotIds: ['snapshot-1'] })));
      expect(malformed.name).toBe('InvalidSnapshotID.Malformed');
    });

    it('refuses an unknown volume, a missing VolumeId and a dry run the way EC2 does', async () => {
      const { east } = await setup();
      expect((await ec2Error(east.send(new CreateSnapshotCommand({ VolumeId: 'vol-0ffffffffffffffff' })))).name).toBe('InvalidVolume.NotFound');
      const missing = await ec2Error(east.send(new CreateSnapshotCommand({} as never)));
      expect(missing.name).toBe('MissingParameter');
      expect(missing.message).toContain('VolumeId');
      const dry = await ec2Error(east.send(new CreateSnapshotCommand({ VolumeId: BACKEND, DryRun: true })));
      expect(dry.name).toBe('DryRunOperation');
      expect(dry.$metadata.httpStatusCode).toBe(412);
      expect((await east.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots).toEqual([]);
      const wrongType = await ec2Error(
        east.send(new CreateSnapshotCommand({ VolumeId: BACKEND, TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'a', Value: 'b' }] }] })),
      );
      expect(wrongType.name).toBe('InvalidParameterValue');
    });
  });

  describe('CopySnapshot', () => {
    it('is called in the destination region (the SDK presigns the source request) and completes after the copy time', async () => {
      const { clock, model, east, west } = await setup();
      const bodies: string[] = [];
      west.middlewareStack.add(
        (next) => async (args) => {
          bodies.push(String((args.request as { body?: unknown }).body));
          return next(args);
        },
        { step: 'finalizeRequest' },
      );
      const source = (await east.send(new CreateSnapshotCommand({ VolumeId: BACKEND }))).SnapshotId!;
      const early = await ec2Error(west.send(new CopySnapshotCommand({ SourceRegion: EAST, SourceSnapshotId: source })));
      expect(early.name).toBe('IncorrectState');
      await until(clock, async () => (await snapshot(east, source)).State === 'completed');
      const copied = await west.send(new CopySnapshotCommand({ SourceRegion: EAST, SourceSnapshotId: source, Description: 'DR copy' }));
      const copyId = copied.SnapshotId!;
      expect(copyId).toMatch(/^snap-/);
      expect(copyId).not.toBe(source);
      const pending = await snapshot(west, copyId);
      expect(pending).toMatchObject({ State: 'pending', Description: 'DR copy', VolumeSize: 200 });
      // The copy lives in the destination region only.
      expect((await ec2Error(east.send(new DescribeSnapshotsCommand({ SnapshotIds: [copyId] })))).name).toBe('InvalidSnapshot.NotFound');
      const took = await until(clock, async () => (await snapshot(west, copyId)).State === 'completed');
      const range = defaultCalibration['ec2.snapshot.copy'];
      expect(took).toBeGreaterThanOrEqual(range.minSeconds * SECOND);
      expect(took).toBeLessThanOrEqual(longestSeconds(range) * SECOND + 10 * SECOND);
      expect(model.snapshotDataOf(WEST, copyId)).toEqual(model.snapshotDataOf(EAST, source));
      // The SDK added a presigned URL for the source region and the destination region; the sim took both.
      const copyBody = bodies.filter((b) => b.startsWith('Action=CopySnapshot')).at(-1);
      expect(copyBody).toContain('PresignedUrl=');
      expect(copyBody).toContain('DestinationRegion=us-west-2');
    });

    it('waits for the link between the regions', async () => {
      const { clock, sim, east, west } = await setup();
      const source = (await east.send(new CreateSnapshotCommand({ VolumeId: BACKEND }))).SnapshotId!;
      await until(clock, async () => (await snapshot(east, source)).State === 'completed');
      const copyId = (await west.send(new CopySnapshotCommand({ SourceRegion: EAST, SourceSnapshotId: source }))).SnapshotId!;
      sim.world.faults.setLinkUp(EAST, WEST, false, 'test');
      await clock.advance(longestSeconds(defaultCalibration['ec2.snapshot.copy']) * SECOND + MINUTE);
      expect((await snapshot(west, copyId)).State).toBe('pending');
      sim.world.faults.setLinkUp(EAST, WEST, true, 'test');
      await clock.advance(SECOND);
      expect((await snapshot(west, copyId)).State).toBe('completed');
    });

    it('needs an existing source snapshot', async () => {
      const { west } = await setup();
      const noSource = await ec2Error(west.send(new CopySnapshotCommand({ SourceRegion: EAST, SourceSnapshotId: 'snap-0ffffffffffffffff' })));
      expect(noSource.name).toBe('InvalidSnapshot.NotFound');
    });
  });

  describe('CreateVolume from a snapshot (restore)', () => {
    it('is creating, then available after the restore time, holding the snapshot data', async () => {
      const { clock, model, east } = await setup();
      const before = model.writeVolume(EAST, BACKEND, 'good data');
      const snap = (await east.send(new CreateSnapshotCommand({ VolumeId: BACKEND }))).SnapshotId!;
      const pendingRestore = await ec2Error(east.send(new CreateVolumeCommand({ SnapshotId: snap, AvailabilityZone: 'us-east-1c' })));
      expect(pendingRestore.name).toBe('IncorrectState');
      await until(clock, async () => (await snapshot(east, snap)).State === 'completed');
      model.writeVolume(EAST, BACKEND, 'corrupted');
      const created = await east.send(
        new CreateVolumeCommand({
          SnapshotId: snap,
          AvailabilityZone: 'us-east-1c',
          VolumeType: 'gp3',
          TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'backend-restored' }] }],
        }),
      );
      expect(created).toMatchObject({ State: 'creating', SnapshotId: snap, Size: 200, AvailabilityZone: 'us-east-1c', VolumeType: 'gp3' });
      const id = created.VolumeId!;
      expect(id).toMatch(/^vol-[0-9a-f]{17}$/);
      const took = await until(clock, async () => (await volume(east, id)).State === 'available', 5 * SECOND);
      const range = defaultCalibration['ec2.volume.restore'];
      expect(took).toBeGreaterThanOrEqual(range.minSeconds * SECOND);
      expect(took).toBeLessThanOrEqual(longestSeconds(range) * SECOND + 5 * SECOND);
      expect(model.dataOf(EAST, id)).toEqual(before);
      expect(model.dataOf(EAST, id).checksum).not.toBe(model.dataOf(EAST, BACKEND).checksum);
      const listed = await east.send(new DescribeVolumesCommand({ Filters: [{ Name: 'snapshot-id', Values: [snap] }] }));
      expect(listed.Volumes!.map((v) => v.VolumeId)).toEqual([id]);
      await east.send(new DeleteVolumeCommand({ VolumeId: id }));
      expect((await ec2Error(east.send(new DescribeVolumesCommand({ VolumeIds: [id] })))).name).toBe('InvalidVolume.NotFound');
    });

    it('checks zone, size and type', async () => {
      const { clock, east } = await setup();
      const snap = (await east.send(new CreateSnapshotCommand({ VolumeId: BACKEND }))).SnapshotId!;
      await until(clock, async () => (await snapshot(east, snap)).State === 'completed');
      expect((await ec2Error(east.send(new CreateVolumeCommand({ SnapshotId: snap, AvailabilityZone: 'us-west-2a' })))).name).toBe('InvalidZone.NotFound');
      expect((await ec2Error(east.send(new CreateVolumeCommand({ SnapshotId: snap, AvailabilityZone: 'us-east-1a', Size: 100 })))).name).toBe(
        'InvalidParameterValue',
      );
      expect(
        (await ec2Error(east.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10, VolumeType: 'fast' as never })))).name,
      ).toBe('InvalidParameterValue');
      expect((await ec2Error(east.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a' })))).name).toBe('MissingParameter');
      const empty = await east.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10 }));
      expect(empty).toMatchObject({ State: 'creating', Size: 10, VolumeType: 'gp2', SnapshotId: '' });
    });
  });

  describe('DeleteSnapshot', () => {
    it('removes the snapshot; a second delete is InvalidSnapshot.NotFound', async () => {
      const { east } = await setup();
      const id = (await east.send(new CreateSnapshotCommand({ VolumeId: BACKEND }))).SnapshotId!;
      await east.send(new DeleteSnapshotCommand({ SnapshotId: id }));
      expect((await ec2Error(east.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] })))).name).toBe('InvalidSnapshot.NotFound');
      expect((await ec2Error(east.send(new DeleteSnapshotCommand({ SnapshotId: id })))).name).toBe('InvalidSnapshot.NotFound');
    });
  });

  describe('CreateTags and DescribeTags', () => {
    it('tags volumes and snapshots and lists them by filter', async () => {
      const { east } = await setup();
      const snap = (await east.send(new CreateSnapshotCommand({ VolumeId: BACKEND }))).SnapshotId!;
      await east.send(new CreateTagsCommand({ Resources: [BACKEND, snap], Tags: [{ Key: 'backup', Value: 'daily' }] }));
      const tags = await east.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['backup'] }] }));
      expect(tags.Tags).toEqual([
        { Key: 'backup', ResourceId: snap, ResourceType: 'snapshot', Value: 'daily' },
        { Key: 'backup', ResourceId: BACKEND, ResourceType: 'volume', Value: 'daily' },
      ]);
      const volumeTags = await east.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [BACKEND] }] }));
      expect(volumeTags.Tags!.map((t) => t.Key).sort()).toEqual(['Name', 'app', 'backup']);
      const byTag = await east.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:backup', Values: ['daily'] }] }));
      expect(byTag.Volumes!.map((v) => v.VolumeId)).toEqual([BACKEND]);
      const reserved = await ec2Error(east.send(new CreateTagsCommand({ Resources: [BACKEND], Tags: [{ Key: 'aws:x', Value: 'y' }] })));
      expect(reserved.name).toBe('InvalidParameterValue');
      const unknown = await ec2Error(east.send(new CreateTagsCommand({ Resources: ['vol-0ffffffffffffffff'], Tags: [{ Key: 'a', Value: 'b' }] })));
      expect(unknown.name).toBe('InvalidVolume.NotFound');
      const notTaggable = await ec2Error(east.send(new CreateTagsCommand({ Resources: ['ami-12345678'], Tags: [{ Key: 'a', Value: 'b' }] })));
      expect(notTaggable.name).toBe('InvalidID');
    });
  });

  describe('the wire', () => {
    function raw(body: string): SimRequest {
      return {
        method: 'POST',
        path: '/',
        query: {},
        headers: {
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260105/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: Buffer.from(body, 'utf8'),
      };
    }

    it('answers in EC2 response XML: lowerCamel elements, item members, requestId', async () => {
      const { sim, clock } = await setup();
      const response = await via.send(sim, clock, raw(`Action=DescribeVolumes&Version=2016-11-15&VolumeId.1=${BACKEND}`));
      const body = String(response.body);
      expect(response.statusCode).toBe(200);
      expect(body).toContain(`<DescribeVolumesResponse xmlns="${EC2_XML_NAMESPACE}"><requestId>`);
      expect(body).toContain(`<volumeSet><item><volumeId>${BACKEND}</volumeId>`);
      expect(body).toContain('<tagSet><item><key>app</key><value>securecart</value></item>');
    });

    it('answers errors in EC2 error XML and unknown actions with InvalidAction', async () => {
      const { sim, clock } = await setup();
      const response = await via.send(sim, clock, raw('Action=DescribeVolumes&Version=2016-11-15&VolumeId.1=vol-0ffffffffffffffff'));
      expect(response.statusCode).toBe(400);
      expect(String(response.body)).toMatch(
        /<Response><Errors><Error><Code>InvalidVolume\.NotFound<\/Code><Message>The volume &apos;vol-0ffffffffffffffff&apos; does not exist\.<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]+<\/RequestID><\/Response>/,
      );
      const unknown = await via.send(sim, clock, raw('Action=CreateVpc&Version=2016-11-15'));
      expect(unknown.statusCode).toBe(400);
      expect(String(unknown.body)).toContain('<Code>InvalidAction</Code>');
      const malformed = await via.send(sim, clock, raw('Action=DescribeVolumes&VolumeId.1=a&VolumeId.1=b'));
      // The awsQuery decoder's own error for a repeated parameter, in EC2's error XML.
      expect(malformed.statusCode).toBe(400);
      expect(String(malformed.body)).toContain('<Response><Errors><Error><Code>');
    });

    it('is unavailable while its region is down, and records calls in the audit trail', async () => {
      const { sim, east } = await setup();
      await east.send(new DescribeVolumesCommand({}));
      expect(sim.world.audit.at(-1)).toMatchObject({ eventSource: 'ec2.amazonaws.com', eventName: 'DescribeVolumes', awsRegion: EAST, readOnly: true });
      sim.world.faults.setRegionUp(EAST, false, 'test');
      const down = await ec2Error(east.send(new DescribeVolumesCommand({})));
      expect(down.name).toBe('ServiceUnavailable');
      expect(down.$metadata.httpStatusCode).toBe(503);
    });

    // Reads the module's FIS targets directly: no request crosses a transport, so once is enough.
    it.runIf(transport === 'in-process')('offers volumes to FIS as aws:ec2:ebs-volume targets', async () => {
      const { sim } = await setup();
      const targets = sim.world.module<Ec2Module>('ec2').targetable(EBS_VOLUME, EAST);
      // FIS filters on DescribeVolumes' shape: AvailabilityZone, VolumeType, State, Attachments.
      expect(targets).toEqual([
        {
          arn: `arn:aws:ec2:us-east-1:123456789012:volume/${BACKEND}`,
          type: EBS_VOLUME,
          region: EAST,
          tags: { app: 'securecart', Name: 'backend-volume' },
          VolumeId: BACKEND,
          AvailabilityZone: expect.stringMatching(/^us-east-1[a-f]$/),
          VolumeType: expect.any(String),
          State: expect.any(String),
          Size: expect.any(Number),
          Attachments: expect.any(Array),
        },
      ]);
    });
  });
});
