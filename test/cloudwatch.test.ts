import {
  CloudWatchClient,
  CloudWatchServiceException,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  InvalidFormatFault,
  InvalidNextToken,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  MissingRequiredParameterException,
  paginateDescribeAlarms,
  PutMetricAlarmCommand,
  ResourceNotFound,
  SetAlarmStateCommand,
  ValidationException,
  type DescribeAlarmsCommandInput,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/index.js';
import { createSimulator } from '../src/sim/index.js';
import { createCloudWatchModule, type CloudWatchModule } from '../src/sim/services/cloudwatch/index.js';
import { createFisModule } from '../src/sim/services/fis/index.js';
import { createNetworkModule } from '../src/sim/services/network/index.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';
import { clientConfigs } from './support/transport-extra.js';
import { MINUTE, SECOND } from './support/time.js';
import { ACCOUNT, START } from './support/sim.js';

async function setupOver(via: TransportHarness) {
  const clock = new VirtualClock({ start: START });
  const sim = createSimulator({ clock, seed: 42, services: [createCloudWatchModule, createNetworkModule, (world) => createFisModule(world)] });
  const configs = clientConfigs(via);
  await configs.prepare(sim, clock);
  const cw = (region = 'us-east-1') => new CloudWatchClient(configs.config(sim, region));
  return { clock, sim, cw, model: sim.world.module<CloudWatchModule>('cloudwatch') };
}

function alarm(name: string, overrides: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput {
  return {
    AlarmName: name,
    AlarmDescription: `${name} is burning`,
    MetricName: 'HTTPCode_Target_5XX_Count',
    Namespace: 'AWS/ApplicationELB',
    Statistic: 'Sum',
    Dimensions: [{ Name: 'LoadBalancer', Value: 'app/orders/50dc6c495c0c9188' }],
    Period: 60,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 2,
    Threshold: 5.5,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    TreatMissingData: 'notBreaching',
    AlarmActions: ['arn:aws:sns:us-east-1:123456789012:pager'],
    ...overrides,
  };
}

async function rejected(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe.each(transports)('CloudWatch over the %s transport', (transport) => {
  const via = useTransport(transport);
  const setup = () => setupOver(via);

  describe('CloudWatch alarm API', () => {
    it('creates a metric alarm in INSUFFICIENT_DATA and describes it back', async () => {
      const { cw, clock } = await setup();
      await cw().send(new PutMetricAlarmCommand(alarm('orders-5xx', { Tags: [{ Key: 'team', Value: 'sre' }] })));
      const out = await cw().send(new DescribeAlarmsCommand({}));
      expect(out.CompositeAlarms).toEqual([]);
      expect(out.MetricAlarms).toHaveLength(1);
      expect(out.MetricAlarms?.[0]).toMatchObject({
        AlarmName: 'orders-5xx',
        AlarmArn: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:orders-5xx`,
        AlarmDescription: 'orders-5xx is burning',
        StateValue: 'INSUFFICIENT_DATA',
        StateReason: 'Unchecked: Initial alarm creation',
        StateUpdatedTimestamp: new Date(clock.now()),
        AlarmConfigurationUpdatedTimestamp: new Date(clock.now()),
        ActionsEnabled: true,
        AlarmActions: ['arn:aws:sns:us-east-1:123456789012:pager'],
        OKActions: [],
        MetricName: 'HTTPCode_Target_5XX_Count',
        Namespace: 'AWS/ApplicationELB',
        Statistic: 'Sum',
        Dimensions: [{ Name: 'LoadBalancer', Value: 'app/orders/50dc6c495c0c9188' }],
        Period: 60,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 5.5,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      // Alarms are regional.
      expect((await cw('us-west-2').send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
    });

    it('updates an alarm’s configuration without touching its state', async () => {
      const { cw, clock } = await setup();
      await cw().send(new PutMetricAlarmCommand(alarm('orders-5xx')));
      await cw().send(new SetAlarmStateCommand({ AlarmName: 'orders-5xx', StateValue: 'OK', StateReason: 'checked by hand' }));
      await clock.advance(MINUTE);
      await cw().send(new PutMetricAlarmCommand(alarm('orders-5xx', { Threshold: 10 })));
      const [updated] = (await cw().send(new DescribeAlarmsCommand({ AlarmNames: ['orders-5xx'] }))).MetricAlarms ?? [];
      expect(updated).toMatchObject({ Threshold: 10, StateValue: 'OK', StateUpdatedTimestamp: new Date(START), AlarmConfigurationUpdatedTimestamp: new Date(START + MINUTE) });
    });

    it('filters by names, prefix and state, and pages', async () => {
      const { cw } = await setup();
      for (const name of ['orders-latency', 'orders-5xx', 'billing-5xx', 'orders-errors', 'api-health']) {
        await cw().send(new PutMetricAlarmCommand(alarm(name)));
      }
      await cw().send(new SetAlarmStateCommand({ AlarmName: 'orders-errors', StateValue: 'ALARM', StateReason: 'too many' }));
      const names = async (input: DescribeAlarmsCommandInput) =>
        ((await cw().send(new DescribeAlarmsCommand(input))).MetricAlarms ?? []).map((a) => a.AlarmName);

      expect(await names({})).toEqual(['api-health', 'billing-5xx', 'orders-5xx', 'orders-errors', 'orders-latency']);
      expect(await names({ AlarmNames: ['orders-5xx', 'api-health', 'missing'] })).toEqual(['api-health', 'orders-5xx']);
      expect(await names({ AlarmNamePrefix: 'orders-' })).toEqual(['orders-5xx', 'orders-errors', 'orders-latency']);
      expect(await names({ StateValue: 'ALARM' })).toEqual(['orders-errors']);
      expect(await names({ AlarmNamePrefix: 'orders-', StateValue: 'INSUFFICIENT_DATA' })).toEqual(['orders-5xx', 'orders-latency']);
      expect(await names({ AlarmTypes: ['CompositeAlarm'] })).toEqual([]);
      expect(await names({ ActionPrefix: 'arn:aws:sns:us-east-1:123456789012:pag' })).toHaveLength(5);

      const pages: string[][] = [];
      for await (const page of paginateDescribeAlarms({ client: cw(), pageSize: 2 }, {})) pages.push((page.MetricAlarms ?? []).map((a) => a.AlarmName!));
      expect(pages).toEqual([['api-health', 'billing-5xx'], ['orders-5xx', 'orders-errors'], ['orders-latency']]);

      expect(await rejected(cw().send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })))).toBeInstanceOf(InvalidParameterCombinationException);
      expect(await rejected(cw().send(new DescribeAlarmsCommand({ NextToken: 'garbage' })))).toBeInstanceOf(InvalidNextToken);
      expect(await rejected(cw().send(new DescribeAlarmsCommand({ MaxRecords: 101 })))).toBeInstanceOf(InvalidParameterValueException);
      expect(await rejected(cw().send(new DescribeAlarmsCommand({ StateValue: 'BURNING' as never })))).toBeInstanceOf(ValidationException);
    });

    it('sets alarm states, telling the model’s listeners, and refuses unknown alarms and bad reason data', async () => {
      const { cw, model, clock } = await setup();
      await cw().send(new PutMetricAlarmCommand(alarm('orders-5xx')));
      const heard: string[] = [];
      model.onAlarmChange((change) => heard.push(`${change.previous}→${change.alarm.state}`));
      await clock.advance(MINUTE);
      await cw().send(new SetAlarmStateCommand({ AlarmName: 'orders-5xx', StateValue: 'ALARM', StateReason: 'drill', StateReasonData: '{"version":"1.0"}' }));
      await cw().send(new SetAlarmStateCommand({ AlarmName: 'orders-5xx', StateValue: 'ALARM', StateReason: 'still drilling' }));
      expect(heard).toEqual(['INSUFFICIENT_DATA→ALARM']);
      const [described] = (await cw().send(new DescribeAlarmsCommand({ AlarmNames: ['orders-5xx'] }))).MetricAlarms ?? [];
      expect(described).toMatchObject({ StateValue: 'ALARM', StateReason: 'still drilling', StateReasonData: '{"version":"1.0"}', StateUpdatedTimestamp: new Date(START + MINUTE) });

      const unknown = await rejected(cw().send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'ALARM', StateReason: 'x' })));
      expect(unknown).toBeInstanceOf(ResourceNotFound);
      expect(unknown).toMatchObject({ message: 'Alarm nope not found', $metadata: { httpStatusCode: 404 } });
      // The same name in another region is another alarm.
      expect(await rejected(cw('us-west-2').send(new SetAlarmStateCommand({ AlarmName: 'orders-5xx', StateValue: 'OK', StateReason: 'x' })))).toBeInstanceOf(ResourceNotFound);
      expect(
        await rejected(cw().send(new SetAlarmStateCommand({ AlarmName: 'orders-5xx', StateValue: 'OK', StateReason: 'x', StateReasonData: '{not json' }))),
      ).toBeInstanceOf(InvalidFormatFault);
      expect(await rejected(cw().send(new SetAlarmStateCommand({ AlarmName: 'orders-5xx', StateValue: 'MAYBE' as never, StateReason: 'x' })))).toBeInstanceOf(
        ValidationException,
      );
    });

    it('deletes alarms all or nothing', async () => {
      const { cw, sim } = await setup();
      await cw().send(new PutMetricAlarmCommand(alarm('a')));
      await cw().send(new PutMetricAlarmCommand(alarm('b')));
      expect(await rejected(cw().send(new DeleteAlarmsCommand({ AlarmNames: ['a', 'ghost'] })))).toBeInstanceOf(ResourceNotFound);
      expect(((await cw().send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map((x) => x.AlarmName)).toEqual(['a', 'b']);
      await cw().send(new DeleteAlarmsCommand({ AlarmNames: ['a', 'b'] }));
      expect((await cw().send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
      expect(sim.world.events.filter((e) => e.kind === 'cloudwatch.alarm.deleted').map((e) => e.detail['name'])).toEqual(['a', 'b']);
      expect(sim.world.audit.filter((r) => r.eventName === 'DeleteAlarms').map((r) => [r.eventSource, r.errorCode ?? 'ok'])).toEqual([
        ['monitoring.amazonaws.com', 'ResourceNotFound'],
        ['monitoring.amazonaws.com', 'ok'],
      ]);
    });

    it.each([
      ['no EvaluationPeriods', { EvaluationPeriods: undefined }, MissingRequiredParameterException],
      ['no ComparisonOperator', { ComparisonOperator: undefined }, MissingRequiredParameterException],
      ['no Threshold', { Threshold: undefined }, MissingRequiredParameterException],
      ['no metric at all', { MetricName: undefined, Namespace: undefined }, MissingRequiredParameterException],
      ['a period of 45 s', { Period: 45 }, InvalidParameterValueException],
      ['more datapoints than periods', { DatapointsToAlarm: 4 }, InvalidParameterValueException],
      ['both statistics', { ExtendedStatistic: 'p99' }, InvalidParameterCombinationException],
      ['a metric and metric math', { Metrics: [{ Id: 'm1', Expression: 'SUM(METRICS())' }] }, InvalidParameterCombinationException],
      ['an unknown operator', { ComparisonOperator: 'Bigger' as never }, ValidationException],
    ] as const)('refuses PutMetricAlarm with %s', async (_what, overrides, type) => {
      const { cw } = await setup();
      const error = await rejected(cw().send(new PutMetricAlarmCommand(alarm('x', overrides as Partial<PutMetricAlarmCommandInput>))));
      expect(error).toBeInstanceOf(type);
      expect((await cw().send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
    });

    it('refuses a wrongly typed member as the JSON protocol does', async () => {
      const { cw } = await setup();
      const error = await rejected(cw().send(new PutMetricAlarmCommand(alarm('x', { Threshold: 'high' as never }))));
      expect(error).toBeInstanceOf(CloudWatchServiceException);
      expect(error).toMatchObject({ name: 'SerializationException', $metadata: { httpStatusCode: 400 } });
    });

    it('keeps alarms on metric math', async () => {
      const { cw } = await setup();
      const metrics = [
        { Id: 'errors', MetricStat: { Metric: { Namespace: 'SecureCart', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' }, ReturnData: false },
        { Id: 'rate', Expression: 'errors / 60', Label: 'error rate', ReturnData: true },
      ];
      await cw().send(
        new PutMetricAlarmCommand(alarm('math', { MetricName: undefined, Namespace: undefined, Statistic: undefined, Period: undefined, Dimensions: undefined, Metrics: metrics })),
      );
      const [math] = (await cw().send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
      expect(math?.Metrics).toEqual(metrics);
    });
  });

  describe('CloudWatch alarms and FIS stop conditions', () => {
    it('stops a running experiment when SetAlarmState puts its stop-condition alarm in ALARM', async () => {
      const { cw, sim, clock } = await setup();
      await cw().send(new PutMetricAlarmCommand(alarm('orders-5xx')));
      const fis = new FisClient(await via.config(sim, clock, 'us-east-1'));
      const alarmArn = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:orders-5xx`;
      const template = await fis.send(
        new CreateExperimentTemplateCommand({
          description: 'region outage guarded by the 5xx alarm',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/fis-gameday`,
          stopConditions: [{ source: 'aws:cloudwatch:alarm', value: alarmArn }],
          actions: { outage: { actionId: 'gameday:sim:region-outage', parameters: { region: 'us-west-2', duration: 'PT30M' } } },
        }),
      );
      const started = await fis.send(new StartExperimentCommand({ experimentTemplateId: template.experimentTemplate!.id! }));
      await clock.advance(10 * SECOND);
      const id = started.experiment!.id!;
      expect((await fis.send(new GetExperimentCommand({ id }))).experiment?.state?.status).toBe('running');
      expect(sim.world.faults.isRegionUp('us-west-2')).toBe(false);

      await cw().send(new SetAlarmStateCommand({ AlarmName: 'orders-5xx', StateValue: 'ALARM', StateReason: 'Threshold Crossed: 5xx > 5' }));
      await clock.advance(10 * SECOND);
      const stopped = (await fis.send(new GetExperimentCommand({ id }))).experiment;
      expect(stopped?.state?.status).toBe('stopped');
      expect(stopped?.state?.reason).toContain(alarmArn);
      expect(sim.world.faults.isRegionUp('us-west-2')).toBe(true);
    });
  });
});
