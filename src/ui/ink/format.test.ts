import { describe, expect, test } from 'vitest';
import { colourWanted } from './colour.js';
import { cellWidth, fit, nextSpeed, scenarioClock, shortSeconds, wrapWords } from './format.js';

describe('format', () => {
  test('shortSeconds fits a column', () => {
    expect(shortSeconds(4.24)).toBe('4.2s');
    expect(shortSeconds(372)).toBe('6m12s');
    expect(shortSeconds(900)).toBe('15m');
    expect(shortSeconds(119.6)).toBe('2m');
    expect(shortSeconds(5400)).toBe('1h30m');
  });

  test('scenarioClock reads as the plain renderer prints it', () => {
    expect(scenarioClock(252.7)).toBe('t+04:12');
    expect(scenarioClock(3723)).toBe('t+1:02:03');
  });

  test('the speed ladder goes up to max and down to 1×; a speed between rungs moves to the next rung', () => {
    expect(nextSpeed(100, 1)).toBe(200);
    expect(nextSpeed(1000, 1)).toBe('max');
    expect(nextSpeed('max', 1)).toBe('max');
    expect(nextSpeed('max', -1)).toBe(1000);
    expect(nextSpeed(1, -1)).toBe(1);
    expect(nextSpeed(30, 1)).toBe(50);
    expect(nextSpeed(30, -1)).toBe(20);
  });

  test('fit cuts with an ellipsis or pads', () => {
    expect(fit('orders-db', 12)).toBe('orders-db   ');
    expect(fit('order-history', 6)).toBe('order…');
  });
});

describe('colourWanted', () => {
  test('NO_COLOR set to anything but empty turns colour off', () => {
    expect(colourWanted({ NO_COLOR: '1' })).toBe(false);
    expect(colourWanted({ NO_COLOR: '' })).toBe(true);
    expect(colourWanted({})).toBe(true);
  });

  test('FORCE_COLOR outranks NO_COLOR, and FORCE_COLOR=0 turns colour off', () => {
    expect(colourWanted({ NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(true);
    expect(colourWanted({ FORCE_COLOR: '0' })).toBe(false);
    expect(colourWanted({ FORCE_COLOR: 'false' })).toBe(false);
  });

  test('cellWidth counts columns: one a character, two for wide ones, none for combining marks', () => {
    expect(cellWidth('t+00:04 ↯ fault')).toBe(15);
    expect(cellWidth('注文')).toBe(4);
    expect(cellWidth('🔥ok')).toBe(4);
    expect(cellWidth('e\u0301')).toBe(1);
  });

  test('wrapWords cuts at spaces within the width, and a word longer than a line where the line ends', () => {
    expect(wrapWords('cleanup DeleteExperimentTemplate (experiment template for primary-region-outage): done', 40)).toEqual([
      'cleanup DeleteExperimentTemplate',
      '(experiment template for',
      'primary-region-outage): done',
    ]);
    expect(wrapWords('arn:aws:rds:us-east-1:123456789012:db:securecart-orders', 20)).toEqual(['arn:aws:rds:us-east-', '1:123456789012:db:se', 'curecart-orders']);
    expect(wrapWords('short', 40)).toEqual(['short']);
    expect(wrapWords('', 40)).toEqual(['']);
    expect(wrapWords('注文注文', 3)).toEqual(['注', '文', '注', '文']);
  });
});
