import type { SimWorld } from '../../types.js';
import { CloudWatchModule } from './model.js';

export { CLOUDWATCH_TARGET_PREFIX } from './binding.js';
export { cloudWatchErrors, queryErrorCodes } from './errors.js';
export { CloudWatchModule, parseAlarmArn } from './model.js';
export { alarmStates, isAlarmState } from './types.js';
export type { Alarm, AlarmChange, AlarmState, MetricAlarmDefinition, PutAlarmInput, PutMetricAlarmInput, DescribeAlarmsInput } from './types.js';

/** Amazon CloudWatch alarms: the model FIS stop conditions watch, and its API on awsJson 1.0. */
export function createCloudWatchModule(world: SimWorld): CloudWatchModule {
  return new CloudWatchModule(world);
}
