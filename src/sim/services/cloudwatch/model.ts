import type { FisActionDefinition, ServiceBinding, ServiceModule, SimWorld } from '../../types.js';
import { listParameter } from '../fis/action-run.js';
import { createCloudWatchBinding } from './binding.js';
import { cloudWatchErrors } from './errors.js';
import {
  alarmStates,
  comparisonOperators,
  statistics,
  treatMissingDataValues,
  type Alarm,
  type AlarmChange,
  type AlarmState,
  type DescribeAlarmsInput,
  type MetricAlarmDefinition,
  type Page,
  type PutAlarmInput,
  type PutMetricAlarmInput,
} from './types.js';

const alarmArnPattern = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.+)$/;

/** The region, account and name an alarm ARN names, or undefined when it is not one. */
export function parseAlarmArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const match = alarmArnPattern.exec(arn);
  return match ? { region: match[1]!, accountId: match[2]!, name: match[3]! } : undefined;
}

const MAX_RECORDS = 100;
const DEFAULT_RECORDS = 50;
const MAX_NAMES = 100;

/**
 * The alarm model, and CloudWatch's module (FIS finds it by name and
 * listens to it). The API works within the caller's region; the harness
 * methods (`putAlarm`, `setAlarmState`, `find`) take an ARN or a name.
 */
export class CloudWatchModule implements ServiceModule {
  readonly name = 'cloudwatch';
  readonly binding: ServiceBinding;
  readonly fisActions: FisActionDefinition[] = [assertAlarmState(this)];
  private readonly byArn = new Map<string, Alarm>();
  private readonly listeners = new Set<(change: AlarmChange) => void>();

  constructor(private readonly world: SimWorld) {
    this.binding = createCloudWatchBinding(this);
  }

  private arnOf(region: string, name: string): string {
    return `arn:aws:cloudwatch:${region}:${this.world.accountId}:alarm:${name}`;
  }

  /** Create or replace an alarm (the environment's seeding); returns its ARN. */
  putAlarm(input: PutAlarmInput): string {
    if (!input.name) throw new Error('an alarm needs a name');
    const arn = this.arnOf(input.region, input.name);
    const existing = this.byArn.get(arn);
    const state = input.state ?? existing?.state ?? 'OK';
    const now = this.world.clock.now();
    const definition = input.definition ?? existing?.definition;
    this.byArn.set(arn, {
      name: input.name,
      arn,
      region: input.region,
      state,
      stateReason: existing?.stateReason ?? 'Alarm created.',
      stateUpdatedAt: existing?.stateUpdatedAt ?? now,
      configurationUpdatedAt: now,
      ...(definition ? { definition } : {}),
      tags: existing?.tags ?? {},
    });
    if (existing && existing.state !== state) this.changed(arn, existing.state, 'Alarm updated.');
    return arn;
  }

  /**
   * Move an alarm to `state` (SetAlarmState's idea). `alarm` is an ARN or a
   * name; a name must be unique across regions unless `region` is given.
   * Listeners hear only real changes.
   */
  setAlarmState(alarm: string, state: AlarmState, reason: string, region?: string, reasonData?: string): Alarm {
    const found = this.find(alarm, region);
    if (!found) throw new Error(`no alarm ${alarm}${region ? ` in ${region}` : ''}`);
    const data = reasonData !== undefined ? { stateReasonData: reasonData } : {};
    if (found.state === state) {
      const same: Alarm = { ...found, stateReason: reason, ...data };
      this.byArn.set(found.arn, same);
      return same;
    }
    const { stateReasonData: _previousData, ...rest } = found;
    this.byArn.set(found.arn, { ...rest, state, stateReason: reason, ...data, stateUpdatedAt: this.world.clock.now() });
    return this.changed(found.arn, found.state, reason);
  }

  alarmByArn(arn: string): Alarm | undefined {
    return this.byArn.get(arn);
  }

  /** An alarm by ARN or name (and region, when names repeat across regions). */
  find(alarm: string, region?: string): Alarm | undefined {
    const byArn = this.byArn.get(alarm);
    if (byArn) return byArn;
    const named = [...this.byArn.values()].filter((a) => a.name === alarm && (region === undefined || a.region === region));
    if (named.length > 1) {
      throw new Error(`alarm name ${alarm} exists in ${named.map((a) => a.region).join(', ')}: give its ARN or region`);
    }
    return named[0];
  }

  alarms(): Alarm[] {
    return [...this.byArn.values()];
  }

  /** Hear every alarm state change, synchronously, in the order they happen. Returns the unsubscribe. */
  onAlarmChange(listener: (change: AlarmChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ── The CloudWatch API, within one region ───────────────────────────────

  /**
   * PutMetricAlarm: a new alarm starts in INSUFFICIENT_DATA; an update
   * replaces the whole configuration and leaves the state as it is.
   */
  putMetricAlarm(region: string, input: PutMetricAlarmInput): Alarm {
    const name = input.alarmName;
    if (name === undefined) throw cloudWatchErrors.missingParameter('AlarmName');
    if (name.length < 1 || name.length > 255) throw cloudWatchErrors.validation(name, 'alarmName', 'Member must have length between 1 and 255');
    const definition = checkDefinition(input);
    const arn = this.arnOf(region, name);
    const existing = this.byArn.get(arn);
    const now = this.world.clock.now();
    const tags = Object.fromEntries((input.tags ?? []).map((t, i) => [requiredTagPart(t.key, `Tags.member.${i + 1}.Key`), t.value ?? '']));
    const alarm: Alarm = existing
      ? { ...existing, definition, configurationUpdatedAt: now, tags: { ...existing.tags, ...tags } }
      : {
          name,
          arn,
          region,
          state: 'INSUFFICIENT_DATA',
          stateReason: 'Unchecked: Initial alarm creation',
          stateUpdatedAt: now,
          configurationUpdatedAt: now,
          definition,
          tags,
        };
    this.byArn.set(arn, alarm);
    this.world.emit('cloudwatch.alarm.put', { arn, name, region, state: alarm.state, created: !existing });
    return alarm;
  }

  describeAlarms(region: string, input: DescribeAlarmsInput): Page<Alarm> {
    if (input.alarmNames?.length && input.alarmNamePrefix !== undefined) {
      throw cloudWatchErrors.invalidParameterCombination('AlarmNames and AlarmNamePrefix cannot be specified together.');
    }
    if ((input.alarmNames?.length ?? 0) > MAX_NAMES) {
      throw cloudWatchErrors.validation(`[${input.alarmNames!.length} names]`, 'alarmNames', `Member must have length less than or equal to ${MAX_NAMES}`);
    }
    if (input.stateValue !== undefined && !(alarmStates as readonly string[]).includes(input.stateValue)) {
      throw cloudWatchErrors.validation(input.stateValue, 'stateValue', `Member must satisfy enum value set: [${alarmStates.join(', ')}]`);
    }
    for (const type of input.alarmTypes ?? []) {
      if (type !== 'MetricAlarm' && type !== 'CompositeAlarm') {
        throw cloudWatchErrors.validation(type, 'alarmTypes', 'Member must satisfy enum value set: [CompositeAlarm, MetricAlarm]');
      }
    }
    const size = input.maxRecords ?? DEFAULT_RECORDS;
    if (size < 1 || size > MAX_RECORDS) throw cloudWatchErrors.invalidParameterValue(`The parameter MaxRecords must be between 1 and ${MAX_RECORDS}.`);
    // The sim has no composite alarms: asking only for those finds none.
    if (input.alarmTypes?.length && !input.alarmTypes.includes('MetricAlarm')) return { items: [] };
    const names = input.alarmNames ? new Set(input.alarmNames) : undefined;
    const prefix = input.alarmNamePrefix;
    const actionPrefix = input.actionPrefix;
    const found = this.alarms()
      .filter((a) => a.region === region)
      .filter((a) => !names || names.has(a.name))
      .filter((a) => prefix === undefined || a.name.startsWith(prefix))
      .filter((a) => input.stateValue === undefined || a.state === input.stateValue)
      .filter((a) => actionPrefix === undefined || actionsOf(a).some((action) => action.startsWith(actionPrefix)))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let start = 0;
    if (input.nextToken !== undefined && input.nextToken !== '') {
      const after = Buffer.from(input.nextToken, 'base64url').toString('utf8');
      if (!after.startsWith('after:')) throw cloudWatchErrors.invalidNextToken();
      const last = after.slice('after:'.length);
      start = found.findIndex((a) => a.name > last);
      if (start < 0) start = found.length;
    }
    const items = found.slice(start, start + size);
    const more = start + size < found.length;
    return { items, ...(more ? { nextToken: Buffer.from(`after:${items[items.length - 1]!.name}`).toString('base64url') } : {}) };
  }

  /** SetAlarmState on an alarm of `region`, by name. */
  setAlarmStateOf(region: string, name: string, state: string, reason: string, reasonData?: string): Alarm {
    if (!isState(state)) throw cloudWatchErrors.validation(state, 'stateValue', `Member must satisfy enum value set: [${alarmStates.join(', ')}]`);
    if (reason.length > 1023) throw cloudWatchErrors.validation('…', 'stateReason', 'Member must have length less than or equal to 1023');
    if (reasonData !== undefined) {
      try {
        JSON.parse(reasonData);
      } catch {
        throw cloudWatchErrors.invalidFormat('StateReasonData must be valid JSON.');
      }
    }
    if (!this.byArn.has(this.arnOf(region, name))) throw cloudWatchErrors.resourceNotFound(`Alarm ${name} not found`);
    return this.setAlarmState(this.arnOf(region, name), state, reason, region, reasonData);
  }

  /** DeleteAlarms: all or nothing; an unknown name deletes none. */
  deleteAlarms(region: string, names: readonly string[]): void {
    if (names.length > MAX_NAMES) throw cloudWatchErrors.validation(`[${names.length} names]`, 'alarmNames', `Member must have length less than or equal to ${MAX_NAMES}`);
    const missing = names.filter((name) => !this.byArn.has(this.arnOf(region, name)));
    if (missing.length > 0) throw cloudWatchErrors.resourceNotFound(`The named resource does not exist: ${missing.join(', ')}`);
    for (const name of names) {
      const arn = this.arnOf(region, name);
      if (!this.byArn.delete(arn)) continue;
      this.world.emit('cloudwatch.alarm.deleted', { arn, name, region });
    }
  }

  private changed(arn: string, previous: AlarmState, reason: string): Alarm {
    const alarm = this.byArn.get(arn)!;
    this.world.emit('cloudwatch.alarm.state', { arn, name: alarm.name, region: alarm.region, state: alarm.state, previous, reason });
    for (const listener of [...this.listeners]) listener({ alarm, previous });
    return alarm;
  }
}

function isState(value: string): value is AlarmState {
  return (alarmStates as readonly string[]).includes(value);
}

function actionsOf(alarm: Alarm): string[] {
  const d = alarm.definition;
  return d ? [...d.okActions, ...d.alarmActions, ...d.insufficientDataActions] : [];
}

function requiredTagPart(value: string | undefined, member: string): string {
  if (value === undefined) throw cloudWatchErrors.missingParameter(member);
  return value;
}

function oneOf(value: string | undefined, allowed: readonly string[], member: string): void {
  if (value !== undefined && !allowed.includes(value)) {
    throw cloudWatchErrors.validation(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
}

/** PutMetricAlarm's rules: a metric (or metric math), a comparison, a sound period. */
function checkDefinition(input: PutMetricAlarmInput): MetricAlarmDefinition {
  if (input.evaluationPeriods === undefined) throw cloudWatchErrors.missingParameter('EvaluationPeriods');
  if (input.comparisonOperator === undefined) throw cloudWatchErrors.missingParameter('ComparisonOperator');
  oneOf(input.comparisonOperator, comparisonOperators, 'comparisonOperator');
  oneOf(input.statistic, statistics, 'statistic');
  oneOf(input.treatMissingData, treatMissingDataValues, 'treatMissingData');
  if (input.evaluationPeriods < 1) throw cloudWatchErrors.validation(input.evaluationPeriods, 'evaluationPeriods', 'Member must have value greater than or equal to 1');
  const single = input.metricName !== undefined || input.namespace !== undefined;
  if (single && input.metrics?.length) {
    throw cloudWatchErrors.invalidParameterCombination('Use either MetricName and Namespace or Metrics, not both.');
  }
  if (!single && !input.metrics?.length) throw cloudWatchErrors.missingParameter('MetricName');
  if (single) {
    if (input.metricName === undefined) throw cloudWatchErrors.missingParameter('MetricName');
    if (input.namespace === undefined) throw cloudWatchErrors.missingParameter('Namespace');
    if ((input.statistic === undefined) === (input.extendedStatistic === undefined)) {
      throw cloudWatchErrors.invalidParameterCombination('Exactly one of Statistic and ExtendedStatistic must be specified.');
    }
    if (input.period === undefined) throw cloudWatchErrors.missingParameter('Period');
  }
  if (input.period !== undefined && !(input.period === 10 || input.period === 20 || input.period === 30 || (input.period > 0 && input.period % 60 === 0))) {
    throw cloudWatchErrors.invalidParameterValue('The parameter Period must be 10, 20, 30 or a multiple of 60.');
  }
  if (input.threshold === undefined && input.thresholdMetricId === undefined) throw cloudWatchErrors.missingParameter('Threshold');
  if (input.datapointsToAlarm !== undefined && (input.datapointsToAlarm < 1 || input.datapointsToAlarm > input.evaluationPeriods)) {
    throw cloudWatchErrors.invalidParameterValue('DatapointsToAlarm must be between 1 and EvaluationPeriods.');
  }
  const dimensions = (input.dimensions ?? []).map((d, i) => ({
    name: requiredTagPart(d.name, `Dimensions.member.${i + 1}.Name`),
    value: requiredTagPart(d.value, `Dimensions.member.${i + 1}.Value`),
  }));
  const { alarmName: _name, tags: _tags, ...rest } = input;
  return {
    ...rest,
    actionsEnabled: input.actionsEnabled ?? true,
    okActions: input.okActions ?? [],
    alarmActions: input.alarmActions ?? [],
    insufficientDataActions: input.insufficientDataActions ?? [],
    dimensions,
    evaluationPeriods: input.evaluationPeriods,
    comparisonOperator: input.comparisonOperator,
  };
}

/**
 * `aws:cloudwatch:assert-alarm-state`: completes when every alarm named is
 * in one of the states named, and fails the experiment otherwise. Templates
 * put it first (a precondition) or last (the system recovered).
 */
function assertAlarmState(cloudwatch: CloudWatchModule): FisActionDefinition {
  return {
    id: 'aws:cloudwatch:assert-alarm-state',
    description: 'Verify that the specified alarms are in one of the specified alarm states.',
    targets: {},
    parameters: {
      alarmArns: { description: 'Comma-separated ARNs of the alarms, up to five.', required: true },
      alarmStates: { description: 'Comma-separated alarm states: OK, ALARM, INSUFFICIENT_DATA.', required: true },
    },
    start: async (run) => {
      const arns = listParameter(run, 'alarmArns');
      const states = listParameter(run, 'alarmStates');
      if (arns.length === 0 || arns.length > 5) throw new Error('parameter alarmArns names one to five alarms');
      const unknownState = states.find((state) => !(alarmStates as readonly string[]).includes(state));
      if (states.length === 0 || unknownState) throw new Error(`parameter alarmStates "${run.parameters['alarmStates'] ?? ''}" must list OK, ALARM or INSUFFICIENT_DATA`);
      for (const arn of arns) {
        const alarm = cloudwatch.alarmByArn(arn);
        if (!alarm) throw new Error(`alarm ${arn} does not exist`);
        if (!states.includes(alarm.state)) throw new Error(`alarm ${alarm.name} is in ${alarm.state}, not ${states.join(' or ')}`);
      }
    },
  };
}
