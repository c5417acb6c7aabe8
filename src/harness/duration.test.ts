import { describe, expect, it } from 'vitest';
import { formatSeconds, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['90 seconds', 90],
    ['15 minutes', 900],
    ['1 minute', 60],
    ['1 hour', 3600],
    ['2 hours', 7200],
    ['1h30m', 5400],
    ['45s', 45],
    ['PT15M', 900],
    ['PT1H30M', 5400],
    ['PT90S', 90],
    ['P1D', 86400],
    ['1 hour 30 minutes', 5400],
    ['1 hour and 30 minutes', 5400],
    ['0.5 seconds', 0.5],
    ['7 days', 604800],
  ])('reads %s as %d s', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', 'soon', '15', 'fifteen minutes', '15 parsecs', 'PT', 'P', '1h30', 'PT5X'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatSeconds', () => {
  it.each([
    [12.34, '12.3 s'],
    [95, '1 min 35 s'],
    [900, '15 min'],
    [5400, '1 h 30 min'],
    [7200, '2 h'],
    [119.6, '2 min'],
    [59.97, '1 min'],
  ])('%d s reads %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});
