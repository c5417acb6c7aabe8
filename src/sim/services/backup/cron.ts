import type { EpochMs } from '../../../clock/types.js';

/**
 * AWS's cron expressions, as AWS Backup (and EventBridge) take them:
 * `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, six fields, UTC.
 * Lists (`,`), ranges (`-`), increments (`/`), `*`, month and weekday names,
 * `?` in exactly one of the two day fields, `L` and `W` in day-of-month,
 * `L` and `#` in day-of-week (1 = SUN … 7 = SAT).
 */

export class CronError extends Error {
  override readonly name = 'CronError';
}

interface DayOfMonth {
  any: boolean;
  days: ReadonlySet<number>;
  /** `L`: the last day of the month. */
  last: boolean;
  /** `LW`: the last weekday of the month. */
  lastWeekday: boolean;
  /** `15W`: the weekday nearest the 15th, within the month. */
  nearestWeekday: readonly number[];
}

interface DayOfWeek {
  any: boolean;
  /** 1 = Sunday … 7 = Saturday. */
  days: ReadonlySet<number>;
  /** `6L`: the last Friday of the month. */
  last: readonly number[];
  /** `2#1`: the first Monday of the month. */
  nth: readonly { day: number; n: number }[];
}

export interface CronSchedule {
  /** The expression as given, `cron(0 5 ? * * *)`. */
  readonly expression: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly dayOfMonth: DayOfMonth;
  readonly months: readonly number[];
  readonly dayOfWeek: DayOfWeek;
  /** Undefined: every year. */
  readonly years?: readonly number[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MAX_YEAR = 2199;

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const fields = {
  minutes: { name: 'Minutes', min: 0, max: 59 },
  hours: { name: 'Hours', min: 0, max: 23 },
  dayOfMonth: { name: 'Day-of-month', min: 1, max: 31 },
  months: { name: 'Month', min: 1, max: 12, names: MONTHS },
  dayOfWeek: { name: 'Day-of-week', min: 1, max: 7, names: WEEKDAYS },
  years: { name: 'Year', min: 1970, max: MAX_YEAR },
} satisfies Record<string, FieldSpec>;

function value(text: string, field: FieldSpec): number {
  const upper = text.toUpperCase();
  const named = field.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(text)) throw new CronError(`${field.name} field: "${text}" is not a value`);
  const n = Number(text);
  if (n < field.min || n > field.max) throw new CronError(`${field.name} field: ${n} is outside ${field.min}-${field.max}`);
  return n;
}

/** One comma-separated element: `*`, `a`, `a-b`, each optionally `/step`. */
function element(text: string, field: FieldSpec): number[] {
  const [range, stepText, extra] = text.split('/');
  if (extra !== undefined || range === undefined || range === '') throw new CronError(`${field.name} field: "${text}" is malformed`);
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw new CronError(`${field.name} field: bad increment in "${text}"`);
    step = Number(stepText);
  }
  let from: number;
  let to: number;
  if (range === '*') {
    from = field.min;
    to = field.max;
  } else if (range.includes('-')) {
    const [a, b, more] = range.split('-');
    if (more !== undefined || a === undefined || b === undefined) throw new CronError(`${field.name} field: "${text}" is malformed`);
    from = value(a, field);
    to = value(b, field);
  } else {
    from = value(range, field);
    // `5/15`: from 5 on, every 15.
    to = stepText !== undefined ? field.max : from;
  }
  const out: number[] = [];
  if (from <= to) {
    for (let v = from; v <= to; v += step) out.push(v);
  } else {
    // A range that wraps (`FRI-MON`, `NOV-FEB`).
    const span = field.max - field.min + 1;
    for (let offset = 0; offset <= to - from + span; offset += step) out.push(((from - field.min + offset) % span) + field.min);
  }
  return out;
}

function list(text: string, field: FieldSpec): number[] {
  const values = new Set<number>();
  for (const part of text.split(',')) for (const v of element(part, field)) values.add(v);
  return [...values].sort((a, b) => a - b);
}

function dayOfMonth(text: string): DayOfMonth {
  const spec = { any: false, days: new Set<number>(), last: false, lastWeekday: false, nearestWeekday: [] as number[] };
  if (text === '?') return { ...spec, any: true };
  for (const part of text.split(',')) {
    const upper = part.toUpperCase();
    if (upper === 'L') spec.last = true;
    else if (upper === 'LW') spec.lastWeekday = true;
    else if (/^\d+W$/.test(upper)) spec.nearestWeekday.push(value(upper.slice(0, -1), fields.dayOfMonth));
    else for (const v of element(part, fields.dayOfMonth)) spec.days.add(v);
  }
  return spec;
}

function dayOfWeek(text: string): DayOfWeek {
  const spec = { any: false, days: new Set<number>(), last: [] as number[], nth: [] as { day: number; n: number }[] };
  if (text === '?') return { ...spec, any: true };
  for (const part of text.split(',')) {
    const upper = part.toUpperCase();
    if (upper === 'L') spec.days.add(7);
    else if (/^[A-Z0-9]+L$/.test(upper)) spec.last.push(value(upper.slice(0, -1), fields.dayOfWeek));
    else if (upper.includes('#')) {
      const [day, n] = upper.split('#');
      if (!day || !n || !/^[1-5]$/.test(n)) throw new CronError(`Day-of-week field: "${part}" is malformed`);
      spec.nth.push({ day: value(day, fields.dayOfWeek), n: Number(n) });
    } else for (const v of element(part, fields.dayOfWeek)) spec.days.add(v);
  }
  return spec;
}

/** Parse `cron(...)`; CronError says what is wrong. */
export function parseCron(expression: string): CronSchedule {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  if (!match) throw new CronError(`"${expression}" is not a cron(...) expression`);
  const parts = match[1]!.trim().split(/\s+/);
  if (parts.length !== 6) throw new CronError(`a cron expression has 6 fields, "${expression}" has ${parts.length}`);
  const [min, hour, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) {
    throw new CronError('exactly one of the Day-of-month and Day-of-week fields must be "?"');
  }
  return {
    expression: expression.trim(),
    minutes: list(min, fields.minutes),
    hours: list(hour, fields.hours),
    dayOfMonth: dayOfMonth(dom),
    months: list(month, fields.months),
    dayOfWeek: dayOfWeek(dow),
    ...(year === '*' ? {} : { years: list(year, fields.years) }),
  };
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** 1 = Sunday … 7 = Saturday. */
const weekdayOf = (year: number, month: number, day: number): number => new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
const isWeekday = (weekday: number): boolean => weekday >= 2 && weekday <= 6;

function nearestWeekday(year: number, month: number, day: number): number {
  const last = daysIn(year, month);
  const target = Math.min(day, last);
  const weekday = weekdayOf(year, month, target);
  if (isWeekday(weekday)) return target;
  if (weekday === 7) return target === 1 ? 3 : target - 1; // Saturday: Friday, unless that leaves the month
  return target === last ? target - 2 : target + 1; // Sunday: Monday, unless that leaves the month
}

function dayMatches(schedule: CronSchedule, year: number, month: number, day: number): boolean {
  const last = daysIn(year, month);
  if (!schedule.dayOfMonth.any) {
    const dom = schedule.dayOfMonth;
    if (dom.days.has(day)) return true;
    if (dom.last && day === last) return true;
    if (dom.lastWeekday) {
      let d = last;
      while (!isWeekday(weekdayOf(year, month, d))) d--;
      if (day === d) return true;
    }
    return dom.nearestWeekday.some((target) => nearestWeekday(year, month, target) === day);
  }
  const dow = schedule.dayOfWeek;
  const weekday = weekdayOf(year, month, day);
  if (dow.days.has(weekday)) return true;
  if (dow.last.includes(weekday) && day + 7 > last) return true;
  return dow.nth.some((nth) => nth.day === weekday && Math.ceil(day / 7) === nth.n);
}

/** The first run strictly after `after`, or undefined when there is none before 2200. */
export function nextRun(schedule: CronSchedule, after: EpochMs): EpochMs | undefined {
  const from = Math.floor(after / 60_000) * 60_000 + 60_000;
  const start = new Date(from);
  const startYear = start.getUTCFullYear();
  for (let year = startYear; year <= MAX_YEAR; year++) {
    if (schedule.years && !schedule.years.includes(year)) continue;
    for (const month of schedule.months) {
      if (Date.UTC(year, month, 1) <= from) continue; // the month ended before `from`
      const last = daysIn(year, month);
      for (let day = 1; day <= last; day++) {
        if (Date.UTC(year, month - 1, day + 1) <= from) continue;
        if (!dayMatches(schedule, year, month, day)) continue;
        for (const hour of schedule.hours) {
          for (const minute of schedule.minutes) {
            const at = Date.UTC(year, month - 1, day, hour, minute);
            if (at >= from) return at;
          }
        }
      }
    }
  }
  return undefined;
}

/** Every run in (`from`, `to`], oldest first, at most `limit` of them. */
export function runsBetween(schedule: CronSchedule, from: EpochMs, to: EpochMs, limit = 10_000): EpochMs[] {
  const runs: EpochMs[] = [];
  for (let at = nextRun(schedule, from); at !== undefined && at <= to && runs.length < limit; at = nextRun(schedule, at)) runs.push(at);
  return runs;
}
