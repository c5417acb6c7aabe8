/**
 * Durations as features write them (DESIGN §8): `90 seconds`, `15 minutes`,
 * `1 hour`, `1h30m`, `PT15M`, `2 days`. Returns seconds, or undefined when the
 * text is not a duration (the caller names file and line).
 */
const UNIT_SECONDS: Record<string, number> = {
  s: 1, sec: 1, secs: 1, second: 1, seconds: 1,
  m: 60, min: 60, mins: 60, minute: 60, minutes: 60,
  h: 3600, hr: 3600, hrs: 3600, hour: 3600, hours: 3600,
  d: 86400, day: 86400, days: 86400,
};

const ISO = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const COMPACT = /^(?:(\d+(?:\.\d+)?)d)?(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$/i;
const WORDS = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i;

export function parseDuration(text: string): number | undefined {
  const input = text.trim();
  if (input === '') return undefined;
  const iso = ISO.exec(input);
  if (iso && input.length > 1 && !/T$/i.test(input)) {
    const [, d, h, m, s] = iso;
    return sum(d, 86400) + sum(h, 3600) + sum(m, 60) + sum(s, 1);
  }
  const compact = COMPACT.exec(input);
  if (compact && compact.slice(1).some((part) => part !== undefined)) {
    const [, d, h, m, s] = compact;
    return sum(d, 86400) + sum(h, 3600) + sum(m, 60) + sum(s, 1);
  }
  // "1 hour 30 minutes", "1 hour and 30 minutes", "90 seconds"
  const parts = input.split(/\s*(?:,|\band\b)\s*|\s+(?=\d)/i).filter(Boolean);
  let total = 0;
  for (const part of parts) {
    const words = WORDS.exec(part.trim());
    const unit = words ? UNIT_SECONDS[words[2]!.toLowerCase()] : undefined;
    if (!words || unit === undefined) return undefined;
    total += Number(words[1]) * unit;
  }
  return total;
}

function sum(value: string | undefined, unit: number): number {
  return value === undefined ? 0 : Number(value) * unit;
}

/** `95.2 s`, `4 min 12 s`, `1 h 30 min`: for messages and the UI. */
export function formatSeconds(seconds: number): string {
  if (seconds < 59.95) return `${Number(seconds.toFixed(1))} s`;
  // Round first, so 119.6 s reads "2 min", not "1 min 60 s".
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return s > 0 ? `${m} min ${s} s` : `${m} min`;
}
