import { createEc2QueryBinding, type Ec2QueryBinding } from '../../protocols/ec2-query.js';
import { q, queryOperation, type QueryOutput } from '../../protocols/query.js';
import type { CallContext } from '../../types.js';
import { ec2Errors } from './errors.js';
import type { Ec2Model } from './model.js';
import type { PeeringAttachment, TransitGateway } from './transit-gateways.js';
import { instanceStateCodes, type EbsSnapshot, type EbsVolume, type Ec2AvailabilityZone, type Ec2Instance, type Ec2Subnet, type InstanceStateName, type StateChange, type Tag } from './types.js';

/** EC2's API version and the XML namespace of its responses. */
export const EC2_VERSION = '2016-11-15';
export const EC2_XML_NAMESPACE = `http://ec2.amazonaws.com/doc/${EC2_VERSION}/`;

// Input keys are the ec2Query names the SDK sends (its schema's
// `ec2QueryName`, else the capitalised `xmlName`, else the member name):
// `VolumeId.1`, `Filter.1.Value.1`, `TagSpecification.1.Tag.1.Key`.
const tag = q.struct({ Key: q.string(), Value: q.string().optional().default('') });
const filters = q.list(q.struct({ Name: q.string(), Value: q.list(q.string()).optional().default([]) })).optional();
const tagSpecifications = q.list(q.struct({ ResourceType: q.string().optional(), Tag: q.list(tag).optional().default([]) })).optional();
const dryRun = { DryRun: q.boolean().optional() };

const volumeResource = (id: string) => [{ type: 'AWS::EC2::Volume', name: id }];
const instanceResources = (ids: readonly string[]) => ids.map((id) => ({ type: 'AWS::EC2::Instance', name: id }));
const instanceIds = { InstanceId: q.list(q.string()).optional().default([]) };
const snapshotResource = (id: string) => [{ type: 'AWS::EC2::Snapshot', name: id }];

/** DryRun=true: EC2 checks the request and answers DryRunOperation instead of acting. */
function refuseDryRun(input: { DryRun?: boolean | undefined }): void {
  if (input.DryRun) throw ec2Errors.dryRun();
}

/** One row per operation: name → input schema → model method → output, in EC2's lowerCamel elements. */
export function createEc2Binding(model: Ec2Model): Ec2QueryBinding {
  const ok = { return: true };
  return createEc2QueryBinding({
    signingName: 'ec2',
    eventSource: 'ec2.amazonaws.com',
    xmlNamespace: EC2_XML_NAMESPACE,
    operations: {
      DescribeVolumes: queryOperation({
        input: q.struct({
          VolumeId: q.list(q.string()).optional(),
          Filter: filters,
          MaxResults: q.integer().optional(),
          NextToken: q.string().optional(),
          ...dryRun,
        }),
        run: (input, ctx) => {
          refuseDryRun(input);
          const page = model.describeVolumes(ctx.region, input);
          return { volumeSet: page.items.map((v) => volumeShape(model, v, ctx)), nextToken: page.nextToken };
        },
      }),
      CreateVolume: queryOperation({
        input: q.struct({
          AvailabilityZone: q.string().optional(),
          Size: q.integer().optional(),
          SnapshotId: q.string().optional(),
          VolumeType: q.string().optional(),
          Iops: q.integer().optional(),
          Throughput: q.integer().optional(),
          Encrypted: q.boolean().optional(),
          KmsKeyId: q.string().optional(),
          TagSpecification: tagSpecifications,
          ClientToken: q.string().optional(),
          ...dryRun,
        }),
        run: (input, ctx) => {
          refuseDryRun(input);
          return volumeShape(model, model.createVolume(ctx.region, input), ctx);
        },
      }),
      DeleteVolume: queryOperation({
        input: q.struct({ VolumeId: q.string(), ...dryRun }),
        run: (input, ctx) => {
          refuseDryRun(input);
          model.deleteVolume(ctx.region, input);
          return ok;
        },
        resources: (input) => volumeResource(input.VolumeId),
      }),
      CreateSnapshot: queryOperation({
        input: q.struct({ VolumeId: q.string(), Description: q.string().optional(), TagSpecification: tagSpecifications, ...dryRun }),
        run: (input, ctx) => {
          refuseDryRun(input);
          return snapshotShape(model, model.createSnapshot(ctx.region, input), ctx);
        },
        resources: (input) => volumeResource(input.VolumeId),
      }),
      DescribeSnapshots: queryOperation({
        input: q.struct({
          SnapshotId: q.list(q.string()).optional(),
          Owner: q.list(q.string()).optional(),
          RestorableBy: q.list(q.string()).optional(),
          Filter: filters,
          MaxResults: q.integer().optional(),
          NextToken: q.string().optional(),
          ...dryRun,
        }),
        run: (input, ctx) => {
          refuseDryRun(input);
          const page = model.describeSnapshots(ctx.region, input);
          return { snapshotSet: page.items.map((s) => snapshotShape(model, s, ctx)), nextToken: page.nextToken };
        },
      }),
      CopySnapshot: queryOperation({
        input: q.struct({
          SourceRegion: q.string(),
          SourceSnapshotId: q.string(),
          Description: q.string().optional(),
          DestinationRegion: q.string().optional(),
          // Signed by the SDK for the source region; the sim has no secret to check it against.
          PresignedUrl: q.string().optional(),
          Encrypted: q.boolean().optional(),
          KmsKeyId: q.string().optional(),
          TagSpecification: tagSpecifications,
          ...dryRun,
        }),
        run: (input, ctx) => {
          refuseDryRun(input);
          const copy = model.copySnapshot(ctx.region, input);
          return { snapshotId: copy.id, tagSet: tagsShape(copy.tags) };
        },
        resources: (input) => snapshotResource(input.SourceSnapshotId),
      }),
      DeleteSnapshot: queryOperation({
        input: q.struct({ SnapshotId: q.string(), ...dryRun }),
        run: (input, ctx) => {
          refuseDryRun(input);
          model.deleteSnapshot(ctx.region, input);
          return ok;
        },
        resources: (input) => snapshotResource(input.SnapshotId),
      }),
      CreateTags: queryOperation({
        input: q.struct({ ResourceId: q.list(q.string()), Tag: q.list(tag), ...dryRun }),
        run: (input, ctx) => {
          refuseDryRun(input);
          model.createTags(ctx.region, input);
          return ok;
        },
        resources: (input) => input.ResourceId.map((id) => ({ type: id.startsWith('snap-') ? 'AWS::EC2::Snapshot' : 'AWS::EC2::Volume', name: id })),
      }),
      DescribeInstances: queryOperation({
        input: q.struct({
          InstanceId: q.list(q.string()).optional(),
          Filter: filters,
          MaxResults: q.integer().optional(),
          NextToken: q.string().optional(),
          ...dryRun,
        }),
        run: (input, ctx) => {
          refuseDryRun(input);
          const page = model.instances.describeInstances(ctx.region, input);
          return { reservationSet: reservationsShape(page.items, ctx), nextToken: page.nextToken };
        },
      }),
      RunInstances: queryOperation({
        input: q.struct({
          ImageId: q.string().optional(),
          InstanceType: q.string().optional(),
          MinCount: q.integer(),
          MaxCount: q.integer(),
          SubnetId: q.string().optional(),
          Placement: q.struct({ AvailabilityZone: q.string().optional() }).optional(),
          TagSpecification: tagSpecifications,
          ClientToken: q.string().optional(),
          ...dryRun,
        }),
        run: (input, ctx) => {
          refuseDryRun(input);
          const launched = model.instances.runInstances(ctx.region, input, ctx);
          const first = launched[0]!;
          return { reservationId: first.reservationId, ownerId: ctx.accountId, groupSet: [], instancesSet: launched.map((i) => instanceShape(i)) };
        },
      }),
      StartInstances: queryOperation({
        input: q.struct({ ...instanceIds, ...dryRun }),
        run: (input, ctx) => {
          refuseDryRun(input);
          return { instancesSet: stateChangesShape(model.instances.startInstances(ctx.region, input.InstanceId, ctx)) };
        },
        resources: (input) => instanceResources(input.InstanceId),
      }),
      StopInstances: queryOperation({
        input: q.struct({ ...instanceIds, Force: q.boolean().optional(), Hibernate: q.boolean().optional(), ...dryRun }),
        run: (input, ctx) => {
          refuseDryRun(input);
          return { instancesSet: stateChangesShape(model.instances.stopInstances(ctx.region, input.InstanceId)) };
        },
        resources: (input) => instanceResources(input.InstanceId),
      }),
      TerminateInstances: queryOperation({
        input: q.struct({ ...instanceIds, ...dryRun }),
        run: (input, ctx) => {
          refuseDryRun(input);
          return { instancesSet: stateChangesShape(model.instances.terminateInstances(ctx.region, input.InstanceId)) };
        },
        resources: (input) => instanceResources(input.InstanceId),
      }),
      RebootInstances: queryOperation({
        input: q.struct({ ...instanceIds, ...dryRun }),
        run: (input, ctx) => {
          refuseDryRun(input);
          model.instances.rebootInstances(ctx.region, input.InstanceId);
          return ok;
        },
        resources: (input) => instanceResources(input.InstanceId),
      }),
      DescribeAvailabilityZones: queryOperation({
        input: q.struct({
          ZoneName: q.list(q.string()).optional(),
          ZoneId: q.list(q.string()).optional(),
          AllAvailabilityZones: q.boolean().optional(),
          Filter: filters,
          ...dryRun,
        }),
        run: (input, ctx) => {
          refuseDryRun(input);
          return { availabilityZoneInfo: model.instances.describeAvailabilityZones(ctx.region, input).map(availabilityZoneShape) };
        },
      }),
      DescribeSubnets: queryOperation({
        input: q.struct({
          SubnetId: q.list(q.string()).optional(),
          Filter: filters,
          MaxResults: q.integer().optional(),
          NextToken: q.string().optional(),
          ...dryRun,
        }),
        run: (input, ctx) => {
          refuseDryRun(input);
          const page = model.instances.describeSubnets(ctx.region, input);
          return { subnetSet: page.items.map((s) => subnetShape(s, ctx)), nextToken: page.nextToken };
        },
      }),
      DescribeTransitGateways: queryOperation({
        input: q.struct({
          TransitGatewayIds: q.list(q.string()).optional(),
          Filter: filters,
          MaxResults: q.integer().optional(),
          NextToken: q.string().optional(),
          ...dryRun,
        }),
        run: (input, ctx) => {
          refuseDryRun(input);
          const page = model.transitGateways.describeTransitGateways(ctx.region, input);
          return { transitGatewaySet: page.items.map((g) => transitGatewayShape(g, ctx)), nextToken: page.nextToken };
        },
      }),
      DescribeTransitGatewayPeeringAttachments: queryOperation({
        input: q.struct({
          TransitGatewayAttachmentIds: q.list(q.string()).optional(),
          Filter: filters,
          MaxResults: q.integer().optional(),
          NextToken: q.string().optional(),
          ...dryRun,
        }),
        run: (input, ctx) => {
          refuseDryRun(input);
          const page = model.transitGateways.describePeeringAttachments(ctx.region, input);
          return { transitGatewayPeeringAttachments: page.items.map((a) => peeringAttachmentShape(a, ctx)), nextToken: page.nextToken };
        },
      }),
      DescribeTags: queryOperation({
        input: q.struct({ Filter: filters, MaxResults: q.integer().optional(), NextToken: q.string().optional(), ...dryRun }),
        run: (input, ctx) => {
          refuseDryRun(input);
          const page = model.describeTags(ctx.region, input);
          return {
            tagSet: page.items.map((t) => ({ key: t.key, resourceId: t.resourceId, resourceType: t.resourceType, value: t.value })),
            nextToken: page.nextToken,
          };
        },
      }),
    },
  });
}

function tagsShape(tags: readonly Tag[]): QueryOutput[] | undefined {
  return tags.length > 0 ? tags.map((t) => ({ key: t.Key, value: t.Value })) : undefined;
}

const stateShape = (state: InstanceStateName): QueryOutput => ({ code: instanceStateCodes[state], name: state });

function stateChangesShape(changes: readonly StateChange[]): QueryOutput[] {
  return changes.map((c) => ({ instanceId: c.instanceId, currentState: stateShape(c.current), previousState: stateShape(c.previous) }));
}

/** One reservation per launch, as DescribeInstances groups them, in order of their first instance. */
function reservationsShape(instances: readonly Ec2Instance[], ctx: CallContext): QueryOutput[] {
  const groups = new Map<string, Ec2Instance[]>();
  for (const instance of instances) {
    const list = groups.get(instance.reservationId) ?? [];
    list.push(instance);
    groups.set(instance.reservationId, list);
  }
  return [...groups].map(([reservationId, members]) => ({
    reservationId,
    ownerId: ctx.accountId,
    groupSet: [],
    instancesSet: members.map((i) => instanceShape(i)),
  }));
}

function instanceShape(instance: Ec2Instance): QueryOutput {
  const ip = instance.privateIpAddress;
  const dns = `ip-${ip.replaceAll('.', '-')}.${instance.region === 'us-east-1' ? 'ec2.internal' : `${instance.region}.compute.internal`}`;
  return {
    instanceId: instance.id,
    imageId: instance.imageId,
    instanceState: stateShape(instance.state),
    privateDnsName: instance.state === 'terminated' ? '' : dns,
    dnsName: '',
    reason: instance.transitionReason,
    amiLaunchIndex: 0,
    instanceType: instance.instanceType,
    launchTime: new Date(instance.launchedAt),
    placement: { availabilityZone: instance.availabilityZone, groupName: '', tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: instance.state === 'terminated' ? undefined : instance.subnetId,
    vpcId: instance.state === 'terminated' ? undefined : instance.vpcId,
    privateIpAddress: instance.state === 'terminated' ? undefined : ip,
    stateReason: instance.stateReason ? { code: instance.stateReason.code, message: instance.stateReason.message } : undefined,
    architecture: instance.instanceType.includes('g.') ? 'arm64' : 'x86_64',
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/xvda',
    virtualizationType: 'hvm',
    hypervisor: 'xen',
    tagSet: tagsShape(instance.tags),
    ebsOptimized: true,
  };
}

function availabilityZoneShape(zone: Ec2AvailabilityZone): QueryOutput {
  return {
    optInStatus: 'opt-in-not-required',
    messageSet: [],
    regionName: zone.region,
    zoneName: zone.name,
    zoneId: zone.id,
    groupName: zone.region,
    networkBorderGroup: zone.region,
    zoneType: 'availability-zone',
    zoneState: 'available',
  };
}

function subnetShape(subnet: Ec2Subnet, ctx: CallContext): QueryOutput {
  return {
    subnetId: subnet.id,
    subnetArn: subnet.arn,
    state: 'available',
    vpcId: subnet.vpcId,
    cidrBlock: subnet.cidrBlock,
    availableIpAddressCount: 4091,
    availabilityZone: subnet.availabilityZone,
    defaultForAz: false,
    mapPublicIpOnLaunch: false,
    assignIpv6AddressOnCreation: false,
    ownerId: ctx.accountId,
    tagSet: tagsShape(subnet.tags),
  };
}

function transitGatewayShape(gateway: TransitGateway, ctx: CallContext): QueryOutput {
  return {
    transitGatewayId: gateway.id,
    transitGatewayArn: gateway.arn,
    state: 'available',
    ownerId: ctx.accountId,
    description: '',
    creationTime: new Date(gateway.createdAt),
    options: {
      amazonSideAsn: 64512,
      autoAcceptSharedAttachments: 'disable',
      defaultRouteTableAssociation: 'enable',
      associationDefaultRouteTableId: gateway.routeTableId,
      defaultRouteTablePropagation: 'enable',
      propagationDefaultRouteTableId: gateway.routeTableId,
      vpnEcmpSupport: 'enable',
      dnsSupport: 'enable',
      securityGroupReferencingSupport: 'disable',
      multicastSupport: 'disable',
    },
    tagSet: tagsShape(gateway.tags),
  };
}

function peeringAttachmentShape(attachment: PeeringAttachment, ctx: CallContext): QueryOutput {
  const side = (s: PeeringAttachment['requester']) => ({ transitGatewayId: s.transitGatewayId, ownerId: ctx.accountId, region: s.region });
  return {
    transitGatewayAttachmentId: attachment.id,
    requesterTgwInfo: side(attachment.requester),
    accepterTgwInfo: side(attachment.accepter),
    options: { dynamicRouting: 'disable' },
    status: { code: 'available', message: 'Available' },
    state: 'available',
    creationTime: new Date(attachment.createdAt),
    tagSet: tagsShape(attachment.tags),
  };
}

function volumeShape(model: Ec2Model, volume: EbsVolume, ctx: CallContext): QueryOutput {
  return {
    volumeId: volume.id,
    size: volume.sizeGiB,
    snapshotId: volume.snapshotId ?? '',
    availabilityZone: volume.availabilityZone,
    status: volume.state,
    createTime: new Date(volume.createdAt),
    attachmentSet: volume.attachment
      ? [
          {
            volumeId: volume.id,
            instanceId: volume.attachment.instanceId,
            device: volume.attachment.device,
            status: 'attached',
            attachTime: new Date(volume.attachment.attachedAt),
            deleteOnTermination: volume.attachment.deleteOnTermination,
          },
        ]
      : [],
    encrypted: volume.encrypted,
    kmsKeyId: volume.kmsKeyId,
    tagSet: tagsShape(volume.tags),
    volumeType: volume.volumeType,
    iops: volume.iops,
    throughput: volume.throughput,
    multiAttachEnabled: false,
    ownerId: ctx.accountId,
    volumeArn: model.volumeArn(volume.region, volume.id),
  };
}

function snapshotShape(model: Ec2Model, snapshot: EbsSnapshot, ctx: CallContext): QueryOutput {
  return {
    snapshotId: snapshot.id,
    volumeId: snapshot.volumeId,
    status: snapshot.state,
    statusMessage: snapshot.stateMessage,
    startTime: new Date(snapshot.startedAt),
    completionTime: snapshot.completedAt !== undefined ? new Date(snapshot.completedAt) : undefined,
    progress: `${model.progressOf(snapshot)}%`,
    ownerId: ctx.accountId,
    description: snapshot.description,
    volumeSize: snapshot.volumeSize,
    encrypted: snapshot.encrypted,
    kmsKeyId: snapshot.kmsKeyId,
    tagSet: tagsShape(snapshot.tags),
    storageTier: 'standard',
  };
}
