import type { EpochMs } from '../../../clock/types.js';
import { AwsError, type AuditRecord, type AuthorizationRequest, type ServiceModule, type SimWorld } from '../../types.js';
import { principalIdOf, roleArnOf, roleIdOf, sessionNameOf } from '../iam/principals.js';
import type { AccessDenial } from '../iam/types.js';
import { isDataEvent, requestDetailsOf } from './request-details.js';
import type { AuditResource, CloudTrailRecord, LookupEventsInput, Page, RequestDetails, TrailEvent } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Event history keeps 90 days; LookupEvents without a StartTime looks that far back. */
const HISTORY_MS = 90 * DAY_MS;
const MAX_RESULTS = 50;
/** CloudTrail's record format version the sim writes. */
const EVENT_VERSION = '1.09';

export const cloudTrailErrors = {
  invalidLookupAttributes: (message: string) => new AwsError('InvalidLookupAttributesException', message, 400),
  invalidTimeRange: () =>
    new AwsError(
      'InvalidTimeRangeException',
      'Occurs if the timestamp values are not valid. Either the start time occurs after the end time, or the time range is outside the range of possible values.',
      400,
    ),
  invalidMaxResults: () => new AwsError('InvalidMaxResultsException', `MaxResults must be between 1 and ${MAX_RESULTS}.`, 400),
  invalidNextToken: () =>
    new AwsError('InvalidNextTokenException', 'Invalid NextToken. A NextToken must come from a previous call with the same parameters.', 400),
  invalidEventCategory: (category: string) =>
    new AwsError('InvalidEventCategoryException', `Invalid EventCategory ${category}: the only valid value is insight.`, 400),
};

/** The parts of the IAM module CloudTrail reads: the resource of a call it refused. */
interface DenialSource extends ServiceModule {
  denialOf(requestId: string): AccessDenial | undefined;
}

function isDenialSource(module: ServiceModule): module is DenialSource {
  return typeof (module as Partial<DenialSource>).denialOf === 'function';
}

export class CloudTrailModel {
  private readonly details = new Map<string, RequestDetails>();
  /** When each access key was first seen: its session's creation date. */
  private readonly sessionStart = new Map<string, EpochMs>();
  /** The `seq` of the newest audit record looked at for session starts. */
  private sessionsSeenSeq = 0;

  constructor(private readonly world: SimWorld) {
    // What is kept per request goes when its record leaves the trail.
    world.onAuditDropped((dropped) => {
      for (const record of dropped) this.details.delete(record.requestId);
    });
  }

  /** Keep what the audit record will not: the call's parameters and the resources it names. */
  observe(call: AuthorizationRequest): void {
    this.details.set(call.ctx.requestId, requestDetailsOf(call));
  }

  /**
   * Management events of a region, newest first, as LookupEvents pages
   * them: like CloudTrail's Event history, LookupEvents never returns data
   * events (S3 object and DynamoDB item calls), which the audit trail keeps.
   */
  lookupEvents(region: string, input: LookupEventsInput): Page<TrailEvent> {
    const maxResults = input.maxResults ?? MAX_RESULTS;
    if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) throw cloudTrailErrors.invalidMaxResults();
    if (input.eventCategory !== undefined && input.eventCategory !== 'insight') throw cloudTrailErrors.invalidEventCategory(input.eventCategory);
    const attribute = input.attribute;
    if (attribute && attribute.value === '') throw cloudTrailErrors.invalidLookupAttributes(`The value of lookup attribute ${attribute.key} must not be empty.`);
    if (attribute?.key === 'ReadOnly' && attribute.value !== 'true' && attribute.value !== 'false') {
      throw cloudTrailErrors.invalidLookupAttributes('The value of lookup attribute ReadOnly must be true or false.');
    }
    const now = this.world.clock.now();
    const start = input.startTime ?? now - HISTORY_MS;
    const end = input.endTime ?? now;
    if (start > end) throw cloudTrailErrors.invalidTimeRange();

    const fingerprint = fingerprintOf(region, input);
    const audit = this.world.audit;
    let from = audit.length;
    if (input.nextToken !== undefined && input.nextToken !== '') from = this.resume(input.nextToken, fingerprint);

    const items: TrailEvent[] = [];
    // Insights events are the only category LookupEvents filters to; the sim records none.
    if (input.eventCategory === 'insight') return { items };
    let i = from - 1;
    for (; i >= 0 && items.length < maxResults; i--) {
      const record = audit[i]!;
      if (record.awsRegion !== region || !isManagementEvent(record)) continue;
      const second = wholeSecond(record.eventTime);
      if (second > end) continue;
      if (second < start) break; // the audit trail is in time order: nothing older can match
      const event = this.eventOf(record);
      if (attribute && !matches(event, attribute.key, attribute.value)) continue;
      items.push(event);
    }
    const more = items.length === maxResults && this.anyOlder(i, region, start, attribute);
    // The token names a record by its seq, not its place: the trail drops its oldest records as it goes.
    return { items, ...(more ? { nextToken: tokenOf(audit[i + 1]!.seq, fingerprint) } : {}) };
  }

  /** Every event of a region (or all regions), data events included, oldest first: the harness's view. */
  events(region?: string): TrailEvent[] {
    return this.world.audit.filter((r) => region === undefined || r.awsRegion === region).map((r) => this.eventOf(r));
  }

  /** One audit record as CloudTrail shows it. */
  eventOf(record: AuditRecord): TrailEvent {
    const details = this.details.get(record.requestId);
    const resources = this.resourcesOf(record, details);
    const username = sessionNameOf(record.identity);
    const eventTime = wholeSecond(record.eventTime);
    return {
      eventId: record.eventId,
      eventName: record.eventName,
      readOnly: record.readOnly,
      accessKeyId: record.identity.accessKeyId,
      eventTime,
      eventSource: record.eventSource,
      username,
      resources,
      record: this.recordOf(record, eventTime, details),
    };
  }

  /** Where a page continues: before the record of the token's seq (or where it was, if it has since been dropped). */
  private resume(token: string, fingerprint: string): number {
    const match = /^(\d+):([0-9a-f]+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!match || match[2] !== fingerprint) throw cloudTrailErrors.invalidNextToken();
    const seq = Number(match[1]);
    const audit = this.world.audit;
    if (audit.length === 0 || seq > audit[audit.length - 1]!.seq) throw cloudTrailErrors.invalidNextToken();
    return firstAtOrAfter(audit, seq);
  }

  private anyOlder(from: number, region: string, start: EpochMs, attribute: LookupEventsInput['attribute']): boolean {
    const audit = this.world.audit;
    for (let i = from; i >= 0; i--) {
      const record = audit[i]!;
      if (record.awsRegion !== region || !isManagementEvent(record)) continue;
      if (wholeSecond(record.eventTime) < start) return false;
      if (!attribute || matches(this.eventOf(record), attribute.key, attribute.value)) return true;
    }
    return false;
  }

  /** What the binding reported; else what the request named; else what IAM refused it on. */
  private resourcesOf(record: AuditRecord, details: RequestDetails | undefined): AuditResource[] {
    if (record.resources.length > 0) return record.resources;
    if (details && details.resources.length > 0) return details.resources;
    if (record.errorCode === undefined) return [];
    for (const module of this.world.modules()) {
      if (module.name === 'iam' && isDenialSource(module)) return module.denialOf(record.requestId)?.target.resources ?? [];
    }
    return [];
  }

  private recordOf(record: AuditRecord, eventTime: EpochMs, details: RequestDetails | undefined): CloudTrailRecord {
    const { identity } = record;
    const accountId = this.world.accountId;
    const data = !isManagementEvent(record);
    return {
      eventVersion: EVENT_VERSION,
      userIdentity: {
        type: 'AssumedRole',
        principalId: principalIdOf(this.world, identity),
        arn: identity.arn,
        accountId,
        accessKeyId: identity.accessKeyId,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: roleIdOf(this.world, identity.role),
            arn: roleArnOf(accountId, identity.role),
            accountId,
            userName: identity.role,
          },
          attributes: { creationDate: isoSeconds(this.sessionStartOf(identity.accessKeyId, record.eventTime)), mfaAuthenticated: 'false' },
        },
      },
      eventTime: isoSeconds(eventTime),
      eventSource: record.eventSource,
      eventName: record.eventName,
      awsRegion: record.awsRegion,
      sourceIPAddress: details?.sourceIPAddress ?? '127.0.0.1',
      userAgent: details?.userAgent ?? '',
      ...(record.errorCode !== undefined ? { errorCode: record.errorCode, errorMessage: record.errorMessage ?? '' } : {}),
      requestParameters: details?.requestParameters ?? null,
      responseElements: null,
      requestID: record.requestId,
      eventID: record.eventId,
      readOnly: record.readOnly,
      eventType: 'AwsApiCall',
      managementEvent: !data,
      recipientAccountId: accountId,
      eventCategory: data ? 'Data' : 'Management',
    };
  }

  private sessionStartOf(accessKeyId: string, fallback: EpochMs): EpochMs {
    const audit = this.world.audit;
    for (let i = firstAtOrAfter(audit, this.sessionsSeenSeq + 1); i < audit.length; i++) {
      const record = audit[i]!;
      if (!this.sessionStart.has(record.identity.accessKeyId)) this.sessionStart.set(record.identity.accessKeyId, wholeSecond(record.eventTime));
      this.sessionsSeenSeq = record.seq;
    }
    return this.sessionStart.get(accessKeyId) ?? wholeSecond(fallback);
  }
}

/** The index of the first record whose seq is `seq` or later (the trail is in seq order). */
function firstAtOrAfter(audit: readonly AuditRecord[], seq: number): number {
  let lo = 0;
  let hi = audit.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (audit[mid]!.seq < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function isManagementEvent(record: AuditRecord): boolean {
  return !isDataEvent(record.eventSource.replace(/\.amazonaws\.com$/, ''), record.eventName);
}

function matches(event: TrailEvent, key: string, value: string): boolean {
  switch (key) {
    case 'EventId':
      return event.eventId === value;
    case 'EventName':
      return event.eventName === value;
    case 'ReadOnly':
      return String(event.readOnly) === value;
    case 'Username':
      return event.username === value;
    case 'ResourceType':
      return event.resources.some((r) => r.type === value);
    case 'ResourceName':
      return event.resources.some((r) => r.name === value);
    case 'EventSource':
      return event.eventSource === value;
    case 'AccessKeyId':
      return event.accessKeyId === value;
    default:
      return false;
  }
}

function wholeSecond(ms: EpochMs): EpochMs {
  return Math.floor(ms / 1000) * 1000;
}

/** `2026-01-05T09:00:00Z`: CloudTrail writes whole seconds. */
function isoSeconds(ms: EpochMs): string {
  return new Date(wholeSecond(ms)).toISOString().replace('.000Z', 'Z');
}

/** Ties a NextToken to the parameters it was issued for, as CloudTrail requires the same parameters on the next call. */
function fingerprintOf(region: string, input: LookupEventsInput): string {
  const text = JSON.stringify([region, input.attribute?.key, input.attribute?.value, input.startTime, input.endTime, input.eventCategory]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16);
}

function tokenOf(seq: number, fingerprint: string): string {
  return Buffer.from(`${seq}:${fingerprint}`).toString('base64url');
}
