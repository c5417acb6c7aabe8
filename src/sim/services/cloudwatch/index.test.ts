import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../clock/index.js';
import { createSimulator } from '../../index.js';
import { createCloudWatchModule, parseAlarmArn, type AlarmChange } from './index.js';

function setup() {
  const clock = new VirtualClock({ start: Date.UTC(2026, 0, 5) });
  const sim = createSimulator({ clock, seed: 1, services: [] });
  const cloudwatch = sim.world.register(createCloudWatchModule(sim.world));
  return { clock, sim, cloudwatch };
}

describe('CloudWatch alarms', () => {
  it('creates alarms in their steady state and names them by ARN', () => {
    const { cloudwatch } = setup();
    const arn = cloudwatch.putAlarm({ region: 'us-east-1', name: 'orders-5xx' });
    expect(arn).toBe('arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-5xx');
    expect(parseAlarmArn(arn)).toEqual({ region: 'us-east-1', accountId: '123456789012', name: 'orders-5xx' });
    expect(parseAlarmArn('orders-5xx')).toBeUndefined();
    expect(cloudwatch.alarmByArn(arn)?.state).toBe('OK');
  });

  it('changes state by ARN or name, telling listeners about real changes only', async () => {
    const { cloudwatch, clock, sim } = setup();
    const arn = cloudwatch.putAlarm({ region: 'us-east-1', name: 'orders-5xx' });
    const changes: AlarmChange[] = [];
    const unsubscribe = cloudwatch.onAlarmChange((change) => changes.push(change));
    await clock.advance(30_000);
    cloudwatch.setAlarmState('orders-5xx', 'ALARM', 'Threshold crossed');
    cloudwatch.setAlarmState(arn, 'ALARM', 'Still crossed');
    expect(changes.map((c) => [c.previous, c.alarm.state])).toEqual([['OK', 'ALARM']]);
    expect(cloudwatch.alarmByArn(arn)).toMatchObject({ state: 'ALARM', stateReason: 'Still crossed', stateUpdatedAt: clock.now() });
    unsubscribe();
    cloudwatch.setAlarmState(arn, 'OK', 'Recovered');
    expect(changes).toHaveLength(1);
    expect(sim.world.events.filter((e) => e.kind === 'cloudwatch.alarm.state').map((e) => e.detail['state'])).toEqual(['ALARM', 'OK']);
  });

  it('needs the region for a name used in two regions, and refuses unknown alarms', () => {
    const { cloudwatch } = setup();
    cloudwatch.putAlarm({ region: 'us-east-1', name: 'api-health' });
    const west = cloudwatch.putAlarm({ region: 'us-west-2', name: 'api-health' });
    expect(() => cloudwatch.setAlarmState('api-health', 'ALARM', 'x')).toThrow(/us-east-1, us-west-2/);
    expect(cloudwatch.setAlarmState('api-health', 'ALARM', 'x', 'us-west-2').arn).toBe(west);
    expect(() => cloudwatch.setAlarmState('nope', 'ALARM', 'x')).toThrow(/no alarm nope/);
  });
});
