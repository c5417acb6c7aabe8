import type { EpochMs } from '../../../clock/types.js';
import type { ServiceModule, SimWorld } from '../../types.js';

/**
 * CloudWatch alarms, as far as game days need them: FIS stop conditions
 * watch them, and the game day (or the control surface) moves them between
 * states. No metrics and no wire binding yet; the CloudWatch API comes later
 * over the same model.
 */

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface Alarm {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly state: AlarmState;
  readonly stateReason: string;
  readonly stateUpdatedAt: EpochMs;
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
}

const alarmStates: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

export function isAlarmState(value: string): value is AlarmState {
  return (alarmStates as readonly string[]).includes(value);
}

const alarmArnPattern = /^arn:aws[a-z-]*:cloudwatch:([a-z0-9-]+):(\d{12}):alarm:(.+)$/;

/** The region, account and name an alarm ARN names, or undefined when it is not one. */
export function parseAlarmArn(arn: string): { region: string; accountId: string; name: string } | undefined {
  const match = alarmArnPattern.exec(arn);
  return match ? { region: match[1]!, accountId: match[2]!, name: match[3]! } : undefined;
}

export class CloudWatchModule implements ServiceModule {
  readonly name = 'cloudwatch';
  private readonly byArn = new Map<string, Alarm>();
  private readonly listeners = new Set<(change: AlarmChange) => void>();

  constructor(private readonly world: SimWorld) {}

  /** Create or replace an alarm; returns its ARN. */
  putAlarm(input: PutAlarmInput): string {
    if (!input.name) throw new Error('an alarm needs a name');
    const arn = `arn:aws:cloudwatch:${input.region}:${this.world.accountId}:alarm:${input.name}`;
    const existing = this.byArn.get(arn);
    const state = input.state ?? existing?.state ?? 'OK';
    this.byArn.set(arn, {
      name: input.name,
      arn,
      region: input.region,
      state,
      stateReason: existing?.stateReason ?? 'Alarm created.',
      stateUpdatedAt: existing?.stateUpdatedAt ?? this.world.clock.now(),
    });
    if (existing && existing.state !== state) this.changed(arn, existing.state, 'Alarm updated.');
    return arn;
  }

  /**
   * Move an alarm to `state` (SetAlarmState's idea). `alarm` is an ARN or a
   * name; a name must be unique across regions unless `region` is given.
   * Listeners hear only real changes.
   */
  setAlarmState(alarm: string, state: AlarmState, reason: string, region?: string): Alarm {
    const found = this.find(alarm, region);
    if (!found) throw new Error(`no alarm ${alarm}${region ? ` in ${region}` : ''}`);
    if (found.state === state) {
      const same = { ...found, stateReason: reason };
      this.byArn.set(found.arn, same);
      return same;
    }
    this.byArn.set(found.arn, { ...found, state, stateReason: reason, stateUpdatedAt: this.world.clock.now() });
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

  private changed(arn: string, previous: AlarmState, reason: string): Alarm {
    const alarm = this.byArn.get(arn)!;
    this.world.emit('cloudwatch.alarm.state', { arn, name: alarm.name, region: alarm.region, state: alarm.state, previous, reason });
    for (const listener of [...this.listeners]) listener({ alarm, previous });
    return alarm;
  }
}

export function createCloudWatchModule(world: SimWorld): CloudWatchModule {
  return new CloudWatchModule(world);
}
