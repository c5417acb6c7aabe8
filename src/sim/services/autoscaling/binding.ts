import type { z } from 'zod';
import { createQueryBinding, q, type QueryBinding, type QueryOperation, type QueryOperationSpec, type QueryOutput } from '../../protocols/query.js';
import type { XmlValue } from '../../protocols/xml.js';
import { autoScalingErrors } from './errors.js';
import type { AutoScalingModel } from './model.js';
import type { GroupInstance, GroupView } from './types.js';

/** EC2 Auto Scaling's API version and the XML namespace of its responses. */
export const AUTOSCALING_VERSION = '2011-01-01';
export const AUTOSCALING_XML_NAMESPACE = `http://autoscaling.amazonaws.com/doc/${AUTOSCALING_VERSION}/`;

/**
 * Every list in Auto Scaling's output wraps its items in `member` (the SDK's
 * schema names no other element), so the table is empty.
 */
export const autoScalingMemberNames: Readonly<Record<string, string>> = {};

/**
 * An operation whose malformed input is refused the way Auto Scaling refuses
 * it: a ValidationError naming the camelCase member, not the generic Query
 * MissingParameter / InvalidParameterValue.
 */
function operation<I>(spec: QueryOperationSpec<I>): QueryOperation {
  return {
    async invoke(params, ctx) {
      const parsed = spec.input.safeParse(params, { reportInput: true });
      if (!parsed.success) throw validationError(parsed.error);
      const output = (await spec.run(parsed.data, ctx)) ?? undefined;
      const resources = spec.resources?.(parsed.data);
      return { ...(output ? { output } : {}), ...(resources ? { resources } : {}) };
    },
  };
}

function validationError(error: z.ZodError) {
  const issue = error.issues[0];
  const member = (issue?.path ?? [])
    .map((p, index) => (typeof p === 'number' ? `${p + 1}.member` : index === 0 ? String(p).charAt(0).toLowerCase() + String(p).slice(1) : String(p)))
    .join('.');
  const input = (issue as { input?: unknown } | undefined)?.input;
  if (issue?.code === 'invalid_type' && input === undefined) return autoScalingErrors.constraint(null, member, 'Member must not be null');
  const shown = typeof input === 'string' ? input : Array.isArray(input) ? 'a list' : typeof input === 'object' ? 'a structure' : String(input);
  const why = issue?.code === 'custom' ? issue.message : `Member must be ${issue?.code === 'invalid_type' ? `a ${issue.expected}` : 'valid'}`;
  return autoScalingErrors.constraint(shown, member, why.charAt(0).toUpperCase() + why.slice(1));
}

const group = (name: string) => [{ type: 'AWS::AutoScaling::AutoScalingGroup', name }];

function instanceShape(view: GroupView, instance: GroupInstance): XmlValue {
  const { group: g } = view;
  return {
    InstanceId: instance.id,
    InstanceType: g.instanceType,
    AvailabilityZone: instance.availabilityZone,
    LifecycleState: instance.state,
    HealthStatus: instance.health,
    LaunchTemplate: { LaunchTemplateId: g.launchTemplate.id, LaunchTemplateName: g.launchTemplate.name, Version: g.launchTemplate.version },
    ProtectedFromScaleIn: false,
  };
}

function groupShape(view: GroupView, includeInstances: boolean): XmlValue {
  const { group: g } = view;
  return {
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: g.arn,
    LaunchTemplate: { LaunchTemplateId: g.launchTemplate.id, LaunchTemplateName: g.launchTemplate.name, Version: g.launchTemplate.version },
    MinSize: g.minSize,
    MaxSize: g.maxSize,
    DesiredCapacity: view.desired,
    DefaultCooldown: g.defaultCooldown,
    AvailabilityZones: [...g.availabilityZones],
    LoadBalancerNames: [],
    TargetGroupARNs: [],
    HealthCheckType: g.healthCheckType,
    HealthCheckGracePeriod: g.healthCheckGracePeriod,
    ...(includeInstances ? { Instances: view.instances.map((i) => instanceShape(view, i)) } : {}),
    CreatedTime: new Date(g.createdAt),
    SuspendedProcesses: [],
    EnabledMetrics: [],
    Tags: g.tags.map((t) => ({
      ResourceId: g.name,
      ResourceType: 'auto-scaling-group',
      Key: t.key,
      Value: t.value,
      PropagateAtLaunch: t.propagateAtLaunch,
    })),
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: false,
    ServiceLinkedRoleARN: `arn:aws:iam::${g.arn.split(':')[4]}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    CapacityRebalance: false,
    TrafficSources: [],
  };
}

/** One row per operation: name → input schema → model method → output shape. */
export function createAutoScalingBinding(model: AutoScalingModel): QueryBinding {
  return createQueryBinding({
    signingName: 'autoscaling',
    eventSource: 'autoscaling.amazonaws.com',
    xmlNamespace: AUTOSCALING_XML_NAMESPACE,
    memberNames: autoScalingMemberNames,
    operations: {
      DescribeAutoScalingGroups: operation({
        input: q.struct({
          AutoScalingGroupNames: q.list(q.string()).optional(),
          IncludeInstances: q.boolean().optional(),
          IncludeManagedResources: q.boolean().optional(),
          Filters: q.list(q.struct({ Name: q.string(), Values: q.list(q.string()).optional().default([]) })).optional(),
          MaxRecords: q.integer().optional(),
          NextToken: q.string().optional(),
        }),
        run: (input, ctx): QueryOutput => {
          const page = model.describeAutoScalingGroups(ctx.region, input);
          return {
            AutoScalingGroups: page.groups.map((view) => groupShape(view, input.IncludeInstances ?? true)),
            NextToken: page.nextToken,
          };
        },
      }),
      SetDesiredCapacity: operation({
        input: q.struct({ AutoScalingGroupName: q.string(), DesiredCapacity: q.integer(), HonorCooldown: q.boolean().optional() }),
        run: (input, ctx) => model.setDesiredCapacity(ctx.region, input),
        resources: (input) => group(input.AutoScalingGroupName),
      }),
      UpdateAutoScalingGroup: operation({
        input: q.struct({
          AutoScalingGroupName: q.string(),
          MinSize: q.integer().optional(),
          MaxSize: q.integer().optional(),
          DesiredCapacity: q.integer().optional(),
          DefaultCooldown: q.integer().optional(),
          HealthCheckType: q.string().optional(),
          HealthCheckGracePeriod: q.integer().optional(),
        }),
        run: (input, ctx) => model.updateAutoScalingGroup(ctx.region, input),
        resources: (input) => group(input.AutoScalingGroupName),
      }),
    },
  });
}
