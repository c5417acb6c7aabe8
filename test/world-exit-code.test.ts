import { describe, expect, it } from 'vitest';
import { GameDayWorld, type GameDayParameters } from '../steps/world.js';
import { BadInputError, SafetyGuardError } from '../src/errors.js';
import { EnvironmentError } from '../src/env/index.js';

/** What an error that ends a scenario means for the run's exit code (the After hook hands it to the results). */
describe('GameDayWorld.noteError', () => {
  const world = () =>
    new GameDayWorld({ attach: (() => undefined) as never, log: () => undefined, link: () => undefined, parameters: {} as GameDayParameters });

  it('a plain failure asks for nothing (exit 1 comes from the scenario failing)', () => {
    const w = world();
    w.noteError(new Error('the restore job ended FAILED'));
    expect(w.exitCode).toBeUndefined();
  });

  it('bad input asks for 2, its subclasses too; a safety guard for 3, which no later bad input lowers', () => {
    const w = world();
    w.noteError(new EnvironmentError([{ file: 'staging.yaml', line: 3, column: 1, path: 'regions', message: 'expected a region' }]));
    expect(w.exitCode).toBe(2);
    w.noteError(new SafetyGuardError('account 1 is not allowed'));
    expect(w.exitCode).toBe(3);
    w.noteError(new BadInputError('no such alias'));
    expect(w.exitCode).toBe(3);
  });
});
