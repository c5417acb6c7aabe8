import { isJsonObject, member, RestJsonCodec, type JsonObject, type RestJsonInput, type WireValue } from '../../protocols/rest-json.js';
import type { CallContext, InvokeResult, ServiceBinding } from '../../types.js';
import { guardDutyErrors, type GuardDutyModel } from './model.js';
import type { Detector, Finding, FindingCondition, ListFindingsInput } from './types.js';

/** GuardDuty on the wire (restJson1): one row per operation. */

type Wire = { [key: string]: WireValue };

interface GuardDutyOperation {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  call(model: GuardDutyModel, input: RestJsonInput, ctx: CallContext): { output: Wire; resources?: { type: string; name: string }[] };
}

const DETECTOR = 'AWS::GuardDuty::Detector';

const operations: GuardDutyOperation[] = [
  {
    name: 'ListDetectors',
    method: 'GET',
    path: '/detector',
    call: (model, input, ctx) => {
      const maxResults = input.queryInteger('maxResults');
      const nextToken = input.queryString('nextToken');
      const page = model.listDetectors(ctx.region, { ...(maxResults !== undefined ? { maxResults } : {}), ...(nextToken ? { nextToken } : {}) });
      return { output: { detectorIds: page.items, nextToken: page.nextToken } };
    },
  },
  {
    name: 'GetDetector',
    method: 'GET',
    path: '/detector/{DetectorId}',
    call: (model, input, ctx) => {
      const detector = model.getDetector(ctx.region, input.label('DetectorId'));
      return { output: detectorOut(detector, ctx), resources: [{ type: DETECTOR, name: detector.id }] };
    },
  },
  {
    name: 'ListFindings',
    method: 'POST',
    path: '/detector/{DetectorId}/findings',
    call: (model, input, ctx) => {
      const b = input.body;
      const criteria = member.object(b, 'findingCriteria');
      const maxResults = member.integer(b, 'maxResults');
      const nextToken = member.string(b, 'nextToken');
      const sort = readSort(b);
      const request: ListFindingsInput = {
        ...(criteria ? { criteria: readCriteria(criteria) } : {}),
        ...(sort ? { sort } : {}),
        ...(maxResults !== undefined ? { maxResults } : {}),
        ...(nextToken ? { nextToken } : {}),
      };
      const detectorId = input.label('DetectorId');
      const page = model.listFindings(ctx.region, detectorId, request);
      return { output: { findingIds: page.items, nextToken: page.nextToken }, resources: [{ type: DETECTOR, name: detectorId }] };
    },
  },
  {
    name: 'GetFindings',
    method: 'POST',
    path: '/detector/{DetectorId}/findings/get',
    call: (model, input, ctx) => {
      const detectorId = input.label('DetectorId');
      const ids = input.required('findingIds', member.stringList);
      const findings = model.getFindings(ctx.region, detectorId, ids, readSort(input.body));
      return { output: { findings: findings.map(findingOut) }, resources: [{ type: DETECTOR, name: detectorId }] };
    },
  },
];

export function createGuardDutyBinding(model: GuardDutyModel): ServiceBinding {
  const codec = new RestJsonCodec(operations.map((op) => ({ operation: op.name, method: op.method, path: op.path })));
  const byName = new Map(operations.map((op) => [op.name, op]));
  return {
    signingName: 'guardduty',
    eventSource: 'guardduty.amazonaws.com',
    operationOf: (request) => codec.operationOf(request),
    invoke: async (operation, request, ctx): Promise<InvokeResult> => {
      const op = byName.get(operation)!;
      const { output, resources } = op.call(model, codec.decode(operation, request), ctx);
      return { response: codec.encode(operation, output, ctx.requestId), ...(resources ? { resources } : {}) };
    },
    renderError: (error, ctx) => codec.renderError(error, ctx.requestId),
  };
}

/** The operation names GuardDuty answers, in table order. */
export const guardDutyOperations: readonly string[] = operations.map((op) => op.name);

// ---- input ----------------------------------------------------------------

function readSort(body: JsonObject): ListFindingsInput['sort'] {
  const sort = member.object(body, 'sortCriteria');
  if (!sort) return undefined;
  const attributeName = member.string(sort, 'attributeName');
  const orderBy = member.string(sort, 'orderBy');
  if (orderBy !== undefined && orderBy !== 'ASC' && orderBy !== 'DESC') {
    throw guardDutyErrors.invalidInput(`sortCriteria.orderBy must be ASC or DESC, not ${orderBy}`);
  }
  return { ...(attributeName !== undefined ? { attributeName } : {}), ...(orderBy ? { orderBy } : {}) };
}

/** Condition members, the current names and the deprecated ones (`equals`, `greaterThan`, …) alike. */
const conditionNames: Record<string, keyof FindingCondition> = {
  eq: 'eq',
  equals: 'eq',
  neq: 'neq',
  notEquals: 'neq',
  gt: 'gt',
  greaterThan: 'gt',
  gte: 'gte',
  greaterThanOrEqual: 'gte',
  lt: 'lt',
  lessThan: 'lt',
  lte: 'lte',
  lessThanOrEqual: 'lte',
  matches: 'matches',
  notMatches: 'notMatches',
};

function readCriteria(criteria: JsonObject): Record<string, FindingCondition> {
  const criterion = member.object(criteria, 'criterion') ?? {};
  const out: Record<string, FindingCondition> = {};
  for (const [attribute, raw] of Object.entries(criterion)) {
    if (!isJsonObject(raw)) throw guardDutyErrors.invalidInput(`findingCriteria.criterion.${attribute} must be a condition`);
    const condition: FindingCondition = {};
    for (const name of Object.keys(raw)) {
      const key = conditionNames[name];
      if (!key) throw guardDutyErrors.invalidInput(`findingCriteria.criterion.${attribute}.${name} is not a supported condition`);
      if (key === 'eq' || key === 'neq' || key === 'matches' || key === 'notMatches') {
        const list = member.stringList(raw, name);
        if (list) condition[key] = [...(condition[key] ?? []), ...list];
      } else {
        const n = member.integer(raw, name);
        if (n !== undefined) condition[key] = n;
      }
    }
    out[attribute] = condition;
  }
  return out;
}

// ---- output ---------------------------------------------------------------

const iso = (ms: number): string => new Date(ms).toISOString();

function detectorOut(detector: Detector, ctx: CallContext): Wire {
  const enabled = { status: 'ENABLED' };
  const since = new Date(detector.createdAt);
  return {
    createdAt: iso(detector.createdAt),
    updatedAt: iso(detector.createdAt),
    findingPublishingFrequency: 'SIX_HOURS',
    serviceRole: `arn:aws:iam::${ctx.accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
    status: 'ENABLED',
    dataSources: { cloudTrail: enabled, dnsLogs: enabled, flowLogs: enabled, s3Logs: enabled },
    features: ['CLOUD_TRAIL', 'DNS_LOGS', 'FLOW_LOGS', 'S3_DATA_EVENTS', 'RDS_LOGIN_EVENTS'].map((name) => ({ name, status: 'ENABLED', updatedAt: since })),
    tags: {},
  };
}

function findingOut(f: Finding): Wire {
  return {
    accountId: f.accountId,
    arn: f.arn,
    createdAt: iso(f.createdAt),
    description: f.description,
    id: f.id,
    partition: 'aws',
    region: f.region,
    resource: {
      resourceType: f.resourceType,
      accessKeyDetails: {
        accessKeyId: f.principal.accessKeyId,
        principalId: f.principal.principalId,
        userName: f.principal.userName,
        userType: f.principal.userType,
      },
      ...(f.bucket
        ? {
            s3BucketDetails: [
              {
                arn: f.bucket.arn,
                name: f.bucket.name,
                type: 'Destination',
                owner: { id: f.accountId },
                tags: f.bucket.tags.map((t) => ({ key: t.key, value: t.value })),
              },
            ],
          }
        : {}),
    },
    schemaVersion: '2.0',
    service: {
      action: {
        actionType: 'AWS_API_CALL',
        awsApiCallAction: {
          api: f.apiCall.api,
          callerType: 'Remote IP',
          errorCode: f.apiCall.errorCode,
          serviceName: f.apiCall.serviceName,
          affectedResources: f.apiCall.affectedResources,
        },
      },
      archived: f.archived,
      count: f.count,
      detectorId: f.detectorId,
      eventFirstSeen: iso(f.eventFirstSeen),
      eventLastSeen: iso(f.eventLastSeen),
      resourceRole: 'TARGET',
      serviceName: 'guardduty',
      additionalInfo: { value: JSON.stringify({ principal: f.principal.arn, resource: f.resourceArn }), type: 'default' },
    },
    severity: f.severity,
    title: f.title,
    type: f.type,
    updatedAt: iso(f.updatedAt),
  };
}
