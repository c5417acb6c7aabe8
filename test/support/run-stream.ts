import { TestStepResultStatus, type Envelope } from '@cucumber/messages';
import type { TimelineEvent } from '../../src/harness/events.js';
import type { ObjectiveResult } from '../../src/report/types.js';
import { attemptMessages, featureMessages } from './messages.js';

/**
 * One small game day's cucumber messages, written by hand as the step
 * library and hooks attach them: a Multi-AZ failover that breaches its RTO
 * and meets its RPO, and a check that passes. For the in-process tests of
 * ResultsBuilder and the renderers.
 */

export const URI = 'features/failover.feature';
export const FEATURE = `@multi-az
Feature: A failover

  Scenario: A Multi-AZ failover against a tight RTO
    Given the recovery objectives are RTO 30 seconds and RPO 0 seconds
    When the FIS experiment "rds-reboot-with-failover" runs
    Then "orders-db" is healthy again within the RTO
    And no more than the RPO of orders is lost

  Scenario: A check with no objective
    Then every RDS instance keeps automated backups for at least 7 days
`;

export const FAILOVER = 'A Multi-AZ failover against a tight RTO';
export const CHECK = 'A check with no objective';
/** The pickles' lines in FEATURE. */
export const FAILOVER_LINE = 4;
export const CHECK_LINE = 10;

const START = Date.UTC(2026, 0, 5, 9);
/** A timeline event `t` seconds into the scenario. */
function at<E extends Omit<TimelineEvent, 'at' | 't'>>(t: number, event: E): E & { at: string; t: number } {
  return { ...event, at: new Date(START + t * 1000).toISOString(), t };
}

export const BREACH = 'RTO breached: orders-db recovered after 1 min 25 s (±5 s), over the target of 30 s';
export const RTO: ObjectiveResult = { targetSeconds: 30, measuredSeconds: 85, resolutionSeconds: 5, truthSeconds: 83, met: false };
export const RPO: ObjectiveResult = { targetSeconds: 0, measuredSeconds: 0, resolutionSeconds: 5, truthSeconds: 0, met: true, lostWrites: 0 };

/** The whole stream: documents and pickles, then the check's attempt, then the failover's (they finish in that order). */
export function runStream(): Envelope[] {
  const source = featureMessages(FEATURE, URI);
  const { PASSED, FAILED } = TestStepResultStatus;
  const check = attemptMessages(source, {
    pickle: 1,
    startedAt: 100,
    finishedAt: 101,
    steps: [{ status: PASSED, clock: { startT: 0, endT: 0 }, events: [at(0, { kind: 'check.passed', detail: { check: 'backup retention', subject: 'orders-db', evidence: '7 days' } })] }],
  });
  const failover = attemptMessages(source, {
    pickle: 0,
    startedAt: 100,
    finishedAt: 104,
    steps: [
      { status: PASSED, clock: { startT: 0, endT: 0 }, events: [at(0, { kind: 'objectives.set', detail: { rtoSeconds: 30, rpoSeconds: 0 } })] },
      {
        status: PASSED,
        clock: { startT: 0, endT: 10 },
        events: [
          at(2, { kind: 'fault.injected', detail: { fault: 'rds-reboot-with-failover', experimentId: 'EXP1', action: 'aws:rds:reboot-db-instances', region: 'us-east-1' } }),
          at(2, { kind: 'incident', detail: { kind: 'fault', at: new Date(START + 2000).toISOString(), t: 2, what: 'rds-reboot-with-failover: aws:rds:reboot-db-instances' } }),
        ],
      },
      {
        status: PASSED,
        clock: { startT: 10, endT: 97 },
        events: [
          at(87, { kind: 'recovered', detail: { probe: 'probe:orders-db', target: 'orders-db', seconds: 85 } }),
          at(97, { kind: 'objective.checked', detail: { objective: 'rto', target: 'orders-db', scenarioObjective: true, ...RTO, breach: BREACH } }),
        ],
      },
      { status: PASSED, clock: { startT: 97, endT: 97 }, events: [at(97, { kind: 'objective.checked', detail: { objective: 'rpo', target: 'orders-db', scenarioObjective: true, ...RPO } })] },
    ],
    after: { status: FAILED, error: { type: 'ObjectivesBreached', message: '1 objective breached' } },
    summary: { seed: 42, rto: RTO, rpo: RPO, breaches: [BREACH], simulatedSeconds: 97 },
  });
  return [...source, ...check, ...failover];
}
