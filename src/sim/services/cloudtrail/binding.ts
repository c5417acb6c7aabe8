import { createAwsJsonBinding, jsonMember, jsonOperation, type AwsJsonOutput } from '../../protocols/aws-json.js';
import type { ServiceBinding, SimRequest } from '../../types.js';
import { cloudTrailErrors, type CloudTrailModel } from './model.js';
import { isLookupAttributeKey, lookupAttributeKeys, type LookupEventsInput, type TrailEvent } from './types.js';

/**
 * The target prefix this SDK sends (`CloudTrail_20131101.LookupEvents`);
 * other clients (the AWS CLI, older SDKs) send the service's full shape id
 * as the prefix, which CloudTrail accepts as well.
 */
export const CLOUDTRAIL_TARGET_PREFIX = 'CloudTrail_20131101';
const FULL_TARGET_PREFIX = `com.amazonaws.cloudtrail.v20131101.${CLOUDTRAIL_TARGET_PREFIX}`;

/** CloudTrail on the wire (awsJson 1.1): one row per operation. */
export function createCloudTrailBinding(model: CloudTrailModel): ServiceBinding {
  const binding = createAwsJsonBinding({
    signingName: 'cloudtrail',
    eventSource: 'cloudtrail.amazonaws.com',
    targetPrefix: CLOUDTRAIL_TARGET_PREFIX,
    version: '1.1',
    // The SDK resolves `__type` against its own namespace; a versioned one would leave it the untyped base exception.
    errorNamespace: 'com.amazonaws.cloudtrail',
    operations: {
      LookupEvents: jsonOperation({
        input: (body): LookupEventsInput => {
          const attributes = jsonMember.objectList(body, 'LookupAttributes', (item, path) => {
            const key = jsonMember.string(item, 'AttributeKey');
            const value = jsonMember.string(item, 'AttributeValue');
            if (key === undefined || !isLookupAttributeKey(key)) {
              throw cloudTrailErrors.invalidLookupAttributes(
                `${path}.AttributeKey ${key === undefined ? 'is missing' : `"${key}" is not valid`}: use one of ${lookupAttributeKeys.join(', ')}.`,
              );
            }
            return { key, value: value ?? '' };
          });
          if (attributes && attributes.length > 1) {
            throw cloudTrailErrors.invalidLookupAttributes('You can specify only one lookup attribute per request.');
          }
          const startTime = jsonMember.timestamp(body, 'StartTime');
          const endTime = jsonMember.timestamp(body, 'EndTime');
          const eventCategory = jsonMember.string(body, 'EventCategory');
          const maxResults = jsonMember.integer(body, 'MaxResults');
          const nextToken = jsonMember.string(body, 'NextToken');
          const attribute = attributes?.[0];
          return {
            ...(attribute ? { attribute } : {}),
            ...(startTime ? { startTime: startTime.getTime() } : {}),
            ...(endTime ? { endTime: endTime.getTime() } : {}),
            ...(eventCategory !== undefined ? { eventCategory } : {}),
            ...(maxResults !== undefined ? { maxResults } : {}),
            ...(nextToken !== undefined ? { nextToken } : {}),
          };
        },
        run: (input, ctx) => {
          const page = model.lookupEvents(ctx.region, input);
          return { Events: page.items.map(eventOut), NextToken: page.nextToken };
        },
      }),
    },
  });
  return {
    signingName: binding.signingName,
    eventSource: binding.eventSource,
    operationOf: (request) => binding.operationOf(withShortTarget(request)),
    invoke: (operation, request, ctx) => binding.invoke(operation, request, ctx),
    renderError: (error, ctx) => binding.renderError(error, ctx),
  };
}

function withShortTarget(request: SimRequest): SimRequest {
  const target = request.headers['x-amz-target'];
  if (!target?.startsWith(`${FULL_TARGET_PREFIX}.`)) return request;
  return { ...request, headers: { ...request.headers, 'x-amz-target': target.slice(FULL_TARGET_PREFIX.length - CLOUDTRAIL_TARGET_PREFIX.length) } };
}

function eventOut(event: TrailEvent): AwsJsonOutput {
  return {
    EventId: event.eventId,
    EventName: event.eventName,
    ReadOnly: String(event.readOnly),
    AccessKeyId: event.accessKeyId,
    EventTime: new Date(event.eventTime),
    EventSource: event.eventSource,
    Username: event.username,
    Resources: event.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    CloudTrailEvent: JSON.stringify(event.record),
  };
}

