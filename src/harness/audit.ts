import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { GetFindingsCommand, ListDetectorsCommand, ListFindingsCommand } from '@aws-sdk/client-guardduty';
import { resolveAlias } from '../env/index.js';
import { BadInputError } from '../errors.js';
import { waitUntil } from './wait.js';
import type { ScenarioContext } from './scenario.js';
import { alias } from './checks.js';
import { step } from './types.js';

/**
 * What an auditor or a guard sees: alarms that FIS stop conditions watch,
 * CloudTrail's record of a call, a refused request, and GuardDuty findings.
 */

export async function setAlarm(ctx: ScenarioContext, name: string): Promise<void> {
  const region = ctx.env.stopConditions.find((c) => c.value.endsWith(`:alarm:${name}`))?.value.split(':')[3] ?? ctx.env.regions.primary;
  await ctx.target.clients.cloudwatch(region).send(new SetAlarmStateCommand({ AlarmName: name, StateValue: 'ALARM', StateReason: `gameday ${ctx.info.runId}: ${ctx.info.name}` }));
  ctx.emit({ kind: 'info', detail: { message: `alarm ${name} set to ALARM` } });
}

function identifierOf(ctx: ScenarioContext, alias: string): { identifier: string; region: string } {
  const created = ctx.createdDatabases.get(alias) ?? ctx.createdTables.get(alias);
  if (created) return { identifier: created.identifier, region: created.region };
  const resource = resolveAlias(ctx.env, alias);
  if (resource.kind === 'orders-api') return { identifier: resource.url, region: ctx.env.regions.primary };
  if (resource.kind === 'dns-failover-record') return { identifier: resource.identifier, region: 'us-east-1' };
  if (resource.kind === 'drs-source-servers') {
    throw new Error(`"${alias}" are servers Elastic Disaster Recovery replicates; the audit trail names them by source server id, not by alias`);
  }
  return { identifier: resource.identifier, region: resource.region };
}

/** CloudTrail LookupEvents: the call was recorded against the resource (delivery takes minutes on AWS). */
export async function checkAudit(ctx: ScenarioContext, eventName: string, alias: string): Promise<void> {
  const { identifier, region } = identifierOf(ctx, alias);
  const trail = ctx.target.clients.cloudtrail(region);
  const found = await waitUntil(ctx, `CloudTrail to record ${eventName} on ${identifier}`, async () => {
    let NextToken: string | undefined;
    do {
      const page = await trail.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }], StartTime: new Date(ctx.startedAt), NextToken }),
      );
      const match = page.Events?.find((e) => e.Resources?.some((r) => r.ResourceName?.includes(identifier)) || e.CloudTrailEvent?.includes(identifier));
      if (match) return match;
      NextToken = page.NextToken;
    } while (NextToken);
    return undefined;
  }, 20 * 60_000);
  const user = found.Username ?? 'someone';
  ctx.emit({ kind: 'check.passed', detail: { check: 'audit trail', subject: `${eventName} on ${alias}`, evidence: `${found.EventName} by ${user} at ${found.EventTime?.toISOString()} (${found.EventId})` } });
}

export function checkDenied(ctx: ScenarioContext): void {
  const error = ctx.lastError;
  const denied = error !== undefined && /AccessDenied|UnauthorizedOperation|Forbidden/i.test(error.code);
  const evidence = error ? `${error.operation} answered ${error.code}: ${error.message}` : 'the last request succeeded';
  ctx.emit({ kind: denied ? 'check.passed' : 'check.failed', detail: { check: 'request denied', subject: error?.operation ?? 'request', evidence } });
  if (!denied) throw new Error(evidence);
}

export async function checkFinding(ctx: ScenarioContext, type: string): Promise<void> {
  const region = ctx.env.regions.primary;
  const guardduty = ctx.target.clients.guardduty(region);
  // GuardDuty reports within minutes on AWS; the sim raises findings at once.
  const found = await waitUntil(ctx, `a ${type} finding`, async () => {
    const { DetectorIds } = await guardduty.send(new ListDetectorsCommand({}));
    for (const DetectorId of DetectorIds ?? []) {
      const { FindingIds } = await guardduty.send(new ListFindingsCommand({ DetectorId, FindingCriteria: { Criterion: { type: { Eq: [type] } } } }));
      if (FindingIds?.length) {
        const { Findings } = await guardduty.send(new GetFindingsCommand({ DetectorId, FindingIds }));
        const since = ctx.startedAt;
        const fresh = Findings?.find((f) => Date.parse(f.UpdatedAt ?? f.CreatedAt ?? '') >= since);
        if (fresh) return fresh;
      }
    }
    return undefined;
  }, 20 * 60_000);
  ctx.emit({ kind: 'check.passed', detail: { check: 'finding', subject: type, evidence: `${found.Title ?? found.Type} (severity ${found.Severity})` } });
}

export const alarmFires = step({
  keyword: 'When',
  // Extension: what a metric crossing its threshold does to an FIS stop condition.
  phrase: 'the alarm {string} goes into ALARM',
  check: ([name], { env }) => {
    if (!env.stopConditions.some((c) => c.value.endsWith(`:alarm:${name}`))) {
      throw new BadInputError(`the alarm "${name}" is not one of the environment's stop conditions`);
    }
  },
  calls: ([name]) => [`cloudwatch:SetAlarmState ${name} ALARM (mutating)`],
  run: (ctx, [name]) => setAlarm(ctx, name),
});

export const auditTrailRecords = step({
  keyword: 'Then',
  phrase: 'the audit trail records {string} on {string}',
  check: ([, name], context) => alias()(name, context),
  run: (ctx, [event, name]) => checkAudit(ctx, event, name),
});

export const requestDenied = step({
  keyword: 'Then',
  phrase: 'the request is denied',
  run: async (ctx) => checkDenied(ctx),
});

export const findingRaised = step({
  keyword: 'Then',
  phrase: 'a {string} finding is raised',
  run: (ctx, [type]) => checkFinding(ctx, type),
});
