import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { BadInputError } from '../errors.js';
import { action, waitUntil } from './wait.js';
import type { ScenarioContext } from './scenario.js';
import { region as knownRegion } from './checks.js';
import { step } from './types.js';

/** Route 53: an operator's manual failover of a failover record, undone at cleanup. */

/**
 * Point the failover record's PRIMARY at the target region's endpoint, without
 * its health check (an operator's manual failover), and wait until the change
 * is INSYNC. The original record is restored at cleanup.
 */
export async function failOverDns(ctx: ScenarioContext, recordName: string, region: string): Promise<void> {
  const record = Object.values(ctx.env.resources).find((r) => r.kind === 'dns-failover-record' && (r.identifier === recordName || r.alias === recordName));
  if (record?.kind !== 'dns-failover-record') throw new BadInputError(`no dns-failover-record named "${recordName}" in ${ctx.env.file}`);
  const route53 = ctx.target.clients.route53();
  const { HostedZones } = await route53.send(new ListHostedZonesByNameCommand({ DNSName: record.zone, MaxItems: 1 }));
  const zone = HostedZones?.find((z) => z.Name?.replace(/\.$/, '') === record.zone.replace(/\.$/, ''));
  if (!zone?.Id) throw new Error(`hosted zone ${record.zone} not found`);
  const { ResourceRecordSets } = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone.Id, StartRecordName: record.identifier }));
  const sets = (ResourceRecordSets ?? []).filter((s) => s.Name?.replace(/\.$/, '') === record.identifier);
  const primary = sets.find((s) => s.Failover === 'PRIMARY');
  const wanted = region === record.primary.region ? primary : sets.find((s) => s.Failover === 'SECONDARY');
  if (!primary || !wanted) throw new Error(`${record.identifier} has no PRIMARY/SECONDARY failover records in ${record.zone}`);
  await action(ctx, 'route53', 'DNS failover', `${record.identifier} → ${region}`, 'global', async () => {
    const moved: ResourceRecordSet = { ...primary, ResourceRecords: wanted.ResourceRecords };
    delete moved.HealthCheckId;
    if (wanted.AliasTarget) moved.AliasTarget = wanted.AliasTarget;
    const change = { HostedZoneId: zone.Id, ChangeBatch: { Comment: `gameday ${ctx.info.runId}: fail over to ${region}`, Changes: [{ Action: 'UPSERT' as const, ResourceRecordSet: moved }] } };
    ctx.cleanup
      .begin(`DNS failover of ${record.identifier}`, { service: 'route53', region: 'us-east-1', operation: 'ChangeResourceRecordSets', input: change as unknown as Record<string, unknown> })
      .failBackWith({ service: 'route53', region: 'us-east-1', operation: 'ChangeResourceRecordSets', input: { HostedZoneId: zone.Id, ChangeBatch: { Comment: `gameday ${ctx.info.runId}: fail back`, Changes: [{ Action: 'UPSERT', ResourceRecordSet: primary }] } } });
    // In a drill, the DNS change is what disrupts: clients follow it as their caches expire.
    ctx.markIncident('planned', ctx.clock.now(), `DNS failover of ${record.identifier} to ${region}`);
    const { ChangeInfo } = await route53.send(new ChangeResourceRecordSetsCommand(change));
    await waitUntil(ctx, `change ${ChangeInfo?.Id} to be INSYNC`, async () => {
      const { ChangeInfo: now } = await route53.send(new GetChangeCommand({ Id: ChangeInfo?.Id }));
      return now?.Status === 'INSYNC' ? now : undefined;
    });
  }, () => `PRIMARY now answers with ${wanted.ResourceRecords?.map((r) => r.Value).join(', ') ?? wanted.AliasTarget?.DNSName}`);
}

export const dnsFailsOver = step({
  keyword: 'When',
  phrase: 'DNS for {string} fails over to {string}',
  incident: 'planned',
  check: ([record, to], context) => {
    const found = Object.values(context.env.resources).some((r) => r.kind === 'dns-failover-record' && (r.identifier === record || r.alias === record));
    if (!found) throw new BadInputError(`no dns-failover-record named "${record}" in ${context.env.file}`);
    knownRegion(to, context);
  },
  calls: ([record, to]) => [`route53:ChangeResourceRecordSets UPSERT of ${record}'s PRIMARY to the ${to} endpoint (mutating; undone at cleanup)`, 'route53:GetChange until INSYNC'],
  run: (ctx, [record, to]) => failOverDns(ctx, record, to),
});
