import type { RunResults } from '../types.js';
import type { ResilienceScore } from './types.js';

/**
 * The resilience score, with published weights as LitmusChaos (weighted
 * probe success) and Gremlin (share of passed tests) publish theirs:
 *
 *   score = ⌊100 × (0.6 × objectives met ÷ objectives measured
 *                 + 0.4 × scenarios passed ÷ scenarios planned)⌋
 *
 * Objectives weigh more because they are the business's contract (the RTO
 * and RPO it agreed to); scenarios also cover posture checks and safety
 * steps that have no objective. A run that measured no objective scores on
 * its scenarios alone (weights 0 and 1), so posture-only runs are not
 * capped at 40.
 *
 * Skipped scenarios count as planned and not passed: an interrupted game day
 * has not shown that what it skipped recovers. Rounding is down, so 100
 * means nothing failed, not "almost nothing".
 */
export const SCORE_WEIGHTS = { objectives: 0.6, scenarios: 0.4 } as const;

export const SCORE_FORMULA =
  `score = ⌊100 × (${SCORE_WEIGHTS.objectives} × objectives met ÷ objectives measured + ${SCORE_WEIGHTS.scenarios} × scenarios passed ÷ scenarios planned)⌋; ` +
  'with no objective measured: ⌊100 × scenarios passed ÷ scenarios planned⌋';

export function resilienceScore(results: Pick<RunResults, 'scenarios'>): ResilienceScore {
  const checks = results.scenarios.flatMap((s) => s.objectives);
  const objectives = { met: checks.filter((c) => c.met).length, measured: checks.length };
  const scenarios = { passed: results.scenarios.filter((s) => s.status === 'passed').length, planned: results.scenarios.length };
  const weights = objectives.measured > 0 ? { objectives: SCORE_WEIGHTS.objectives, scenarios: SCORE_WEIGHTS.scenarios } : { objectives: 0, scenarios: 1 };
  const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
  const raw = weights.objectives * share(objectives.met, objectives.measured) + weights.scenarios * share(scenarios.passed, scenarios.planned);
  // 100 × (0.6 × 1/1 + 0.4 × 9/12) is 89.99999999999999 in floating point, not 90: round off the noise before flooring.
  const value = Math.floor(Math.round(raw * 100 * 1e9) / 1e9);
  const worked =
    objectives.measured > 0
      ? `⌊100 × (${weights.objectives} × ${objectives.met}/${objectives.measured} + ${weights.scenarios} × ${scenarios.passed}/${scenarios.planned})⌋ = ${value}`
      : `⌊100 × ${scenarios.passed}/${scenarios.planned}⌋ = ${value}`;
  return { value, weights, objectives, scenarios, formula: SCORE_FORMULA, worked };
}
