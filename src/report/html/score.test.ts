import { describe, expect, it } from 'vitest';
import type { ObjectiveCheck, ScenarioResult } from '../types.js';
import { resilienceScore, SCORE_FORMULA } from './score.js';

function scenario(status: ScenarioResult['status'], met: boolean[]): Pick<ScenarioResult, 'status' | 'objectives'> {
  return {
    status,
    objectives: met.map((m): ObjectiveCheck => ({ objective: 'rto', subject: 'orders-api', scenarioObjective: true, targetSeconds: 900, measuredSeconds: m ? 300 : 1200, resolutionSeconds: 5, met: m })),
  };
}

function score(...scenarios: Pick<ScenarioResult, 'status' | 'objectives'>[]) {
  return resilienceScore({ scenarios: scenarios as ScenarioResult[] });
}

describe('resilienceScore', () => {
  it('is 100 only when every scenario passed and every objective was met', () => {
    expect(score(scenario('passed', [true, true]), scenario('passed', [])).value).toBe(100);
    expect(score(scenario('passed', [true, false]), scenario('passed', [])).value).toBe(70);
  });

  it('weighs objectives 0.6 and scenarios 0.4, rounding down', () => {
    // 100 × (0.6 × 11/14 + 0.4 × 6/11) = 68.96…
    const scenarios = [
      ...Array.from({ length: 6 }, () => scenario('passed', [true])),
      scenario('failed', [true, true, true, true, true, false, false, false]),
      ...Array.from({ length: 4 }, () => scenario('failed', [])),
    ];
    const result = score(...scenarios);
    expect(result.value).toBe(68);
    expect(result.worked).toBe('⌊100 × (0.6 × 11/14 + 0.4 × 6/11)⌋ = 68');
  });

  it('is not pulled under a whole number by floating-point noise (100 × (0.6 + 0.4 × 9/12) is 89.99999999999999)', () => {
    const scenarios = [scenario('passed', [true]), ...Array.from({ length: 8 }, () => scenario('passed', [])), ...Array.from({ length: 3 }, () => scenario('failed', []))];
    expect(score(...scenarios).value).toBe(90);
  });

  it('scores on scenarios alone when no objective was measured (posture-only runs are not capped at 40)', () => {
    const result = score(scenario('passed', []), scenario('passed', []), scenario('failed', []));
    expect(result.weights).toEqual({ objectives: 0, scenarios: 1 });
    expect(result.value).toBe(66);
    expect(result.worked).toBe('⌊100 × 2/3⌋ = 66');
  });

  it('counts scenarios not run as not passed', () => {
    expect(score(scenario('passed', [true]), scenario('skipped', [])).value).toBe(80);
  });

  it('is 0 for a run with no scenario, and prints the formula it uses', () => {
    expect(score().value).toBe(0);
    expect(SCORE_FORMULA).toContain('0.6 × objectives met ÷ objectives measured + 0.4 × scenarios passed ÷ scenarios planned');
  });
});
