import { createAwsJsonBinding, jsonMember, jsonOperation, type AwsJsonBinding, type AwsJsonOutput, type JsonObject } from '../../protocols/aws-json.js';
import { cloudWatchErrors, queryErrorCodes } from './errors.js';
import type { CloudWatchModule } from './model.js';
import type { Alarm, MetricQuery, PutMetricAlarmInput } from './types.js';

/** CloudWatch's JSON target prefix (the service's Smithy name, from its Query days). */
export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801';

const ALARM = 'AWS::CloudWatch::Alarm';
const missing = cloudWatchErrors.missingParameter;

/** CloudWatch on the wire (awsJson 1.0, awsQuery-compatible errors): one row per operation. */
export function createCloudWatchBinding(model: CloudWatchModule): AwsJsonBinding {
  return createAwsJsonBinding({
    signingName: 'monitoring',
    eventSource: 'monitoring.amazonaws.com',
    targetPrefix: CLOUDWATCH_TARGET_PREFIX,
    version: '1.0',
    errorNamespace: 'com.amazonaws.cloudwatch',
    awsQueryCompatible: { queryErrorCodes },
    operations: {
      DescribeAlarms: jsonOperation({
        input: (b) => ({
          alarmNames: jsonMember.stringList(b, 'AlarmNames'),
          alarmNamePrefix: jsonMember.string(b, 'AlarmNamePrefix'),
          alarmTypes: jsonMember.stringList(b, 'AlarmTypes'),
          stateValue: jsonMember.string(b, 'StateValue'),
          actionPrefix: jsonMember.string(b, 'ActionPrefix'),
          maxRecords: jsonMember.integer(b, 'MaxRecords'),
          nextToken: jsonMember.string(b, 'NextToken'),
        }),
        run: (input, ctx) => {
          const page = model.describeAlarms(ctx.region, withoutUndefined(input));
          return { MetricAlarms: page.items.map(metricAlarmOut), CompositeAlarms: [], NextToken: page.nextToken };
        },
      }),
      PutMetricAlarm: jsonOperation({
        input: (b): PutMetricAlarmInput =>
          withoutUndefined({
            alarmName: jsonMember.string(b, 'AlarmName'),
            description: jsonMember.string(b, 'AlarmDescription'),
            actionsEnabled: jsonMember.boolean(b, 'ActionsEnabled'),
            okActions: jsonMember.stringList(b, 'OKActions'),
            alarmActions: jsonMember.stringList(b, 'AlarmActions'),
            insufficientDataActions: jsonMember.stringList(b, 'InsufficientDataActions'),
            metricName: jsonMember.string(b, 'MetricName'),
            namespace: jsonMember.string(b, 'Namespace'),
            statistic: jsonMember.string(b, 'Statistic'),
            extendedStatistic: jsonMember.string(b, 'ExtendedStatistic'),
            dimensions: jsonMember.objectList(b, 'Dimensions', (d) => withoutUndefined({ name: jsonMember.string(d, 'Name'), value: jsonMember.string(d, 'Value') })),
            period: jsonMember.integer(b, 'Period'),
            unit: jsonMember.string(b, 'Unit'),
            evaluationPeriods: jsonMember.integer(b, 'EvaluationPeriods'),
            datapointsToAlarm: jsonMember.integer(b, 'DatapointsToAlarm'),
            threshold: jsonMember.number(b, 'Threshold'),
            comparisonOperator: jsonMember.string(b, 'ComparisonOperator'),
            treatMissingData: jsonMember.string(b, 'TreatMissingData'),
            evaluateLowSampleCountPercentile: jsonMember.string(b, 'EvaluateLowSampleCountPercentile'),
            thresholdMetricId: jsonMember.string(b, 'ThresholdMetricId'),
            metrics: jsonMember.objectList(b, 'Metrics', (m): MetricQuery => m),
            tags: jsonMember.objectList(b, 'Tags', (t) => withoutUndefined({ key: jsonMember.string(t, 'Key'), value: jsonMember.string(t, 'Value') })),
          }),
        run: (input, ctx) => {
          model.putMetricAlarm(ctx.region, input);
          return {};
        },
        resources: (input) => (input.alarmName ? [{ type: ALARM, name: input.alarmName }] : []),
      }),
      SetAlarmState: jsonOperation({
        input: (b) => ({
          alarmName: jsonMember.string(b, 'AlarmName'),
          stateValue: jsonMember.string(b, 'StateValue'),
          stateReason: jsonMember.string(b, 'StateReason'),
          stateReasonData: jsonMember.string(b, 'StateReasonData'),
        }),
        run: (input, ctx) => {
          if (input.alarmName === undefined) throw missing('AlarmName');
          if (input.stateValue === undefined) throw missing('StateValue');
          if (input.stateReason === undefined) throw missing('StateReason');
          model.setAlarmStateOf(ctx.region, input.alarmName, input.stateValue, input.stateReason, input.stateReasonData);
          return {};
        },
        resources: (input) => (input.alarmName ? [{ type: ALARM, name: input.alarmName }] : []),
      }),
      DeleteAlarms: jsonOperation({
        input: (b) => jsonMember.stringList(b, 'AlarmNames'),
        run: (names, ctx) => {
          if (names === undefined) throw missing('AlarmNames');
          model.deleteAlarms(ctx.region, names);
          return {};
        },
        resources: (names) => (names ?? []).map((name) => ({ type: ALARM, name })),
      }),
    },
  });
}

/** Drop members the request left out, so the model sees only what was given. */
function withoutUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}

function metricAlarmOut(alarm: Alarm): AwsJsonOutput {
  const d = alarm.definition;
  return {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    AlarmDescription: d?.description,
    AlarmConfigurationUpdatedTimestamp: new Date(alarm.configurationUpdatedAt),
    ActionsEnabled: d?.actionsEnabled ?? false,
    OKActions: d?.okActions ?? [],
    AlarmActions: d?.alarmActions ?? [],
    InsufficientDataActions: d?.insufficientDataActions ?? [],
    StateValue: alarm.state,
    StateReason: alarm.stateReason,
    StateReasonData: alarm.stateReasonData,
    StateUpdatedTimestamp: new Date(alarm.stateUpdatedAt),
    StateTransitionedTimestamp: new Date(alarm.stateUpdatedAt),
    MetricName: d?.metricName,
    Namespace: d?.namespace,
    Statistic: d?.statistic,
    ExtendedStatistic: d?.extendedStatistic,
    Dimensions: d ? d.dimensions.map((x) => ({ Name: x.name, Value: x.value })) : undefined,
    Period: d?.period,
    Unit: d?.unit,
    EvaluationPeriods: d?.evaluationPeriods,
    DatapointsToAlarm: d?.datapointsToAlarm,
    Threshold: d?.threshold,
    ComparisonOperator: d?.comparisonOperator,
    TreatMissingData: d?.treatMissingData,
    EvaluateLowSampleCountPercentile: d?.evaluateLowSampleCountPercentile,
    ThresholdMetricId: d?.thresholdMetricId,
    Metrics: d?.metrics as JsonObject[] | undefined,
    EvaluationState: undefined,
  };
}
