import type { EpochMs } from '../../../clock/types.js';

/**
 * CloudWatch alarms, as far as game days need them: FIS stop conditions
 * watch them; the game day, the control surface or the CloudWatch API
 * (PutMetricAlarm, SetAlarmState, DescribeAlarms, DeleteAlarms) move them.
 * No metrics are collected, so alarms are never evaluated: a state set
 * with SetAlarmState stays until the next SetAlarmState, where AWS would
 * return the alarm to its evaluated state at the next period.
 */

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export const alarmStates: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

export function isAlarmState(value: string): value is AlarmState {
  return (alarmStates as readonly string[]).includes(value);
}

export const comparisonOperators = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
] as const;

export const statistics = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;

export const treatMissingDataValues = ['breaching', 'notBreaching', 'ignore', 'missing'] as const;

/** One metric-math query of an alarm on several metrics, kept as given and described back. */
export type MetricQuery = { readonly [key: string]: unknown };

/** What PutMetricAlarm configures: the metric, the threshold, the actions. */
export interface MetricAlarmDefinition {
  description?: string;
  actionsEnabled: boolean;
  okActions: string[];
  alarmActions: string[];
  insufficientDataActions: string[];
  metricName?: string;
  namespace?: string;
  statistic?: string;
  extendedStatistic?: string;
  dimensions: { name: string; value: string }[];
  /** Seconds. */
  period?: number;
  unit?: string;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold?: number;
  comparisonOperator: string;
  treatMissingData?: string;
  evaluateLowSampleCountPercentile?: string;
  thresholdMetricId?: string;
  metrics?: MetricQuery[];
}

export interface Alarm {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly state: AlarmState;
  readonly stateReason: string;
  /** JSON, as SetAlarmState's StateReasonData. */
  readonly stateReasonData?: string;
  /** When the state value last changed. */
  readonly stateUpdatedAt: EpochMs;
  readonly configurationUpdatedAt: EpochMs;
  /** Absent for alarms the environment names without a metric (FIS stop conditions only need a state). */
  readonly definition?: MetricAlarmDefinition;
  readonly tags: Readonly<Record<string, string>>;
}

export interface AlarmChange {
  readonly alarm: Alarm;
  readonly previous: AlarmState;
}

export interface PutAlarmInput {
  region: string;
  name: string;
  /**
   * Starting state. OK by default, unlike AWS (INSUFFICIENT_DATA until the
   * first evaluation): environments start in their steady state (DESIGN §6).
   */
  state?: AlarmState;
  definition?: MetricAlarmDefinition;
}

/** PutMetricAlarm's input, already read from the wire. */
export interface PutMetricAlarmInput extends Omit<MetricAlarmDefinition, 'actionsEnabled' | 'okActions' | 'alarmActions' | 'insufficientDataActions' | 'dimensions' | 'evaluationPeriods' | 'comparisonOperator'> {
  alarmName?: string;
  actionsEnabled?: boolean;
  okActions?: string[];
  alarmActions?: string[];
  insufficientDataActions?: string[];
  dimensions?: { name?: string; value?: string }[];
  evaluationPeriods?: number;
  comparisonOperator?: string;
  tags?: { key?: string; value?: string }[];
}

export interface DescribeAlarmsInput {
  alarmNames?: string[];
  alarmNamePrefix?: string;
  alarmTypes?: string[];
  stateValue?: string;
  actionPrefix?: string;
  maxRecords?: number;
  nextToken?: string;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}
