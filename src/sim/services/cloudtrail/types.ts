import type { EpochMs } from '../../../clock/types.js';
import type { JsonObject, JsonValue } from '../../protocols/rest-json.js';

/**
 * CloudTrail's event history over the sim's audit trail (`world.audit`,
 * which the dispatcher fills for every call, refused ones included).
 *
 * LookupEvents answers with management events only, as Event history does;
 * the audit trail (and `CloudTrailModule.events()`) also keeps data events
 * (S3 object and DynamoDB item calls), each marked `eventCategory: Data` in
 * its record. Where the sim differs: events appear at once, not within the
 * ~5 minutes CloudTrail takes.
 */

export const lookupAttributeKeys = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;

export type LookupAttributeKey = (typeof lookupAttributeKeys)[number];

export function isLookupAttributeKey(value: string): value is LookupAttributeKey {
  return (lookupAttributeKeys as readonly string[]).includes(value);
}

export interface LookupEventsInput {
  /** CloudTrail takes at most one lookup attribute per request. */
  attribute?: { key: LookupAttributeKey; value: string };
  startTime?: EpochMs;
  endTime?: EpochMs;
  /** Only `insight` is valid; the sim records no Insights events. */
  eventCategory?: string;
  maxResults?: number;
  nextToken?: string;
}

export interface AuditResource {
  type: string;
  name: string;
}

/** What the audit record itself does not keep: read from the request as it arrived. */
export interface RequestDetails {
  requestParameters: JsonObject | null;
  /** Resources named by the request, for calls whose binding reported none (refused ones among them). */
  resources: AuditResource[];
  sourceIPAddress: string;
  userAgent: string;
}

/** One event as LookupEvents returns it. */
export interface TrailEvent {
  eventId: string;
  eventName: string;
  readOnly: boolean;
  accessKeyId: string;
  /** Whole seconds, as CloudTrail records them. */
  eventTime: EpochMs;
  eventSource: string;
  username: string;
  resources: AuditResource[];
  /** The full record, CloudTrail's record format. */
  record: CloudTrailRecord;
}

/** CloudTrail's record format (the `CloudTrailEvent` string, parsed). */
export interface CloudTrailRecord {
  [key: string]: JsonValue;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}
