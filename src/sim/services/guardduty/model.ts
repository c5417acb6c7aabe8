import type { EpochMs } from '../../../clock/types.js';
import type { S3Model } from '../s3/model.js';
import { AwsError, type Rng, type SimWorld } from '../../types.js';
import { principalIdOf, sessionNameOf } from '../iam/principals.js';
import type { AccessDenial, AccessDenialObserver } from '../iam/types.js';
import {
  BACKUP_BUCKET_TAG,
  DENIED_DELETION_FINDING_TYPE,
  DENIED_DELETION_SEVERITY,
  S3_DELETION_FINDING_TYPE,
  S3_DELETION_SEVERITY,
  type FindingBucket,
  type Detector,
  type Finding,
  type FindingCondition,
  type ListFindingsInput,
  type Page,
} from './types.js';

const HEX = '0123456789abcdef';
const MAX_RESULTS = 50;

export const guardDutyErrors = {
  badRequest: (message: string) => new AwsError('BadRequestException', message, 400),
  detectorNotOwned: () =>
    new AwsError('BadRequestException', 'The request is rejected because the input detectorId is not owned by the current account.', 400),
  invalidInput: (what: string) =>
    new AwsError('BadRequestException', `The request is rejected because an invalid or out-of-range value is specified as an input parameter: ${what}.`, 400),
};

/**
 * What ListFindings can filter and sort on: GuardDuty's attribute names,
 * each read from a finding. Timestamps compare as epoch milliseconds, as
 * GuardDuty's criteria take them.
 */
const attributes: Record<string, (f: Finding) => string | number | boolean> = {
  accountId: (f) => f.accountId,
  region: (f) => f.region,
  id: (f) => f.id,
  type: (f) => f.type,
  severity: (f) => f.severity,
  createdAt: (f) => f.createdAt,
  updatedAt: (f) => f.updatedAt,
  'service.archived': (f) => f.archived,
  'service.count': (f) => f.count,
  'service.eventFirstSeen': (f) => f.eventFirstSeen,
  'service.eventLastSeen': (f) => f.eventLastSeen,
  'resource.resourceType': (f) => f.resourceType,
  'resource.accessKeyDetails.accessKeyId': (f) => f.principal.accessKeyId,
  'resource.accessKeyDetails.principalId': (f) => f.principal.principalId,
  'resource.accessKeyDetails.userName': (f) => f.principal.userName,
  'resource.accessKeyDetails.userType': (f) => f.principal.userType,
  'service.action.actionType': () => 'AWS_API_CALL',
  'service.action.awsApiCallAction.api': (f) => f.apiCall.api,
  'service.action.awsApiCallAction.serviceName': (f) => f.apiCall.serviceName,
  'service.action.awsApiCallAction.errorCode': (f) => f.apiCall.errorCode,
};

function matches(value: string | number | boolean, condition: FindingCondition): boolean {
  const equal = (item: string) => (typeof value === 'number' ? Number(item) === value : String(value) === item);
  if (condition.eq && !condition.eq.some(equal)) return false;
  if (condition.neq && condition.neq.some(equal)) return false;
  const n = typeof value === 'number' ? value : Number.NaN;
  if (condition.gt !== undefined && !(n > condition.gt)) return false;
  if (condition.gte !== undefined && !(n >= condition.gte)) return false;
  if (condition.lt !== undefined && !(n < condition.lt)) return false;
  if (condition.lte !== undefined && !(n <= condition.lte)) return false;
  const like = (pattern: string) => wildcard(pattern).test(String(value));
  if (condition.matches && !condition.matches.some(like)) return false;
  if (condition.notMatches && condition.notMatches.some(like)) return false;
  return true;
}

function wildcard(pattern: string): RegExp {
  const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp('^' + pattern.split('*').map(escape).join('.*') + '$');
}

export class GuardDutyModel implements AccessDenialObserver {
  private readonly detectors = new Map<string, Detector>();
  private readonly byRegion = new Map<string, Finding[]>();
  private readonly ids: Rng;
  /** Detectors exist from the start (DESIGN §6: an environment starts in its steady state). */
  private readonly enabledAt: EpochMs;

  constructor(private readonly world: SimWorld) {
    this.ids = world.rng.fork('guardduty:finding-ids');
    this.enabledAt = world.clock.now();
  }

  /** The region's detector; every region has one, enabled since the sim began. */
  detector(region: string): Detector {
    let detector = this.detectors.get(region);
    if (!detector) {
      const id = this.world.rng.fork(`guardduty:detector:${region}`).alnum(32, HEX);
      detector = { id, region, createdAt: this.enabledAt };
      this.detectors.set(region, detector);
    }
    return detector;
  }

  listDetectors(region: string, page: { maxResults?: number; nextToken?: string }): Page<string> {
    return paginate([this.detector(region).id], page);
  }

  getDetector(region: string, detectorId: string): Detector {
    const detector = this.detector(region);
    if (detector.id !== detectorId) throw guardDutyErrors.detectorNotOwned();
    return detector;
  }

  /** Findings of a region (or of every region), oldest first: the harness's view. */
  findings(region?: string): Finding[] {
    if (region !== undefined) return [...(this.byRegion.get(region) ?? [])];
    return [...this.byRegion.values()].flat().sort((a, b) => a.createdAt - b.createdAt);
  }

  listFindings(region: string, detectorId: string, input: ListFindingsInput): Page<string> {
    this.getDetector(region, detectorId);
    let found = this.findings(region);
    for (const [name, condition] of Object.entries(input.criteria ?? {})) {
      const read = attributes[name];
      if (!read) throw guardDutyErrors.invalidInput(`findingCriteria.criterion.${name} is not a supported attribute`);
      found = found.filter((f) => matches(read(f), condition));
    }
    if (input.sort?.attributeName !== undefined) {
      const read = attributes[input.sort.attributeName];
      if (!read) throw guardDutyErrors.invalidInput(`sortCriteria.attributeName ${input.sort.attributeName} is not a supported attribute`);
      const sign = input.sort.orderBy === 'DESC' ? -1 : 1;
      // Array.prototype.sort is stable: equal keys keep creation order.
      found = [...found].sort((a, b) => sign * compare(read(a), read(b)));
    }
    return paginate(
      found.map((f) => f.id),
      input,
    );
  }

  getFindings(region: string, detectorId: string, ids: readonly string[], sort?: ListFindingsInput['sort']): Finding[] {
    this.getDetector(region, detectorId);
    if (ids.length > MAX_RESULTS) throw guardDutyErrors.invalidInput(`findingIds has ${ids.length} members, at most ${MAX_RESULTS} allowed`);
    const wanted = new Set(ids);
    let found = this.findings(region).filter((f) => wanted.has(f.id));
    if (sort?.attributeName !== undefined) {
      const read = attributes[sort.attributeName];
      if (!read) throw guardDutyErrors.invalidInput(`sortCriteria.attributeName ${sort.attributeName} is not a supported attribute`);
      const sign = sort.orderBy === 'DESC' ? -1 : 1;
      found = found.sort((a, b) => sign * compare(read(a), read(b)));
    }
    return found;
  }

  /**
   * A refused backup deletion raises a finding in the region of the call.
   * The same principal refused the same action on the same resource again
   * updates that finding (count, last seen), as GuardDuty aggregates repeats.
   */
  observeAccessDenial(denial: AccessDenial): void {
    const detector = this.detector(denial.region);
    const list = this.byRegion.get(denial.region) ?? [];
    this.byRegion.set(denial.region, list);
    const now = this.world.clock.now();
    // An object version deleted from a bucket of backups is S3 Protection's finding, about the bucket.
    const bucket = this.backupBucketOf(denial);
    const type = bucket ? S3_DELETION_FINDING_TYPE : DENIED_DELETION_FINDING_TYPE;
    const resourceArn = bucket ? bucket.arn : denial.target.arn;
    const at = list.findIndex(
      (f) =>
        !f.archived &&
        f.type === type &&
        f.principal.accessKeyId === denial.identity.accessKeyId &&
        f.apiCall.api === denial.operation &&
        f.resourceArn === resourceArn,
    );
    const existing = at < 0 ? undefined : list[at];
    if (existing) {
      const updated: Finding = { ...existing, count: existing.count + 1, updatedAt: now, eventLastSeen: denial.at };
      list[at] = updated;
      this.world.emit('guardduty.finding', { id: updated.id, region: updated.region, type: updated.type, count: updated.count, updated: true });
      return;
    }
    const id = this.ids.alnum(32, HEX);
    const role = denial.identity.role;
    const finding: Finding = {
      id,
      arn: `arn:aws:guardduty:${denial.region}:${denial.accountId}:detector/${detector.id}/finding/${id}`,
      detectorId: detector.id,
      region: denial.region,
      accountId: denial.accountId,
      type,
      ...(bucket
        ? {
            severity: S3_DELETION_SEVERITY,
            title: `Anomalous S3 delete API calls were invoked on the bucket ${bucket.name}.`,
            description:
              `An IAM entity, AssumedRole : ${role} (${denial.identity.arn}), invoked ${denial.operation} to delete data in the S3 bucket ${bucket.name}, ` +
              `which holds backups, in an anomalous way: ${denial.action} on ${denial.target.arn} was refused with ${denial.error.code}.`,
          }
        : {
            severity: DENIED_DELETION_SEVERITY,
            title: `User AssumedRole : ${role} is anomalously invoking APIs commonly used in Impact tactics.`,
            description:
              `APIs commonly used in Impact tactics were invoked by user AssumedRole : ${role} (${denial.identity.arn}) under unusual circumstances: ` +
              `${denial.action} on ${denial.target.arn} was refused with ${denial.error.code}. Such activity is not typically seen from this user.`,
          }),
      principal: {
        accessKeyId: denial.identity.accessKeyId,
        principalId: principalIdOf(this.world, denial.identity),
        userName: role,
        userType: 'AssumedRole',
        arn: denial.identity.arn,
      },
      apiCall: {
        api: denial.operation,
        serviceName: denial.eventSource,
        errorCode: denial.error.code,
        affectedResources: { ...denial.target.affected },
      },
      resourceArn,
      resourceType: bucket ? 'S3Bucket' : 'AccessKey',
      ...(bucket ? { bucket } : {}),
      createdAt: now,
      updatedAt: now,
      eventFirstSeen: denial.at,
      eventLastSeen: denial.at,
      count: 1,
      archived: false,
    };
    list.push(finding);
    this.world.emit('guardduty.finding', {
      id,
      region: finding.region,
      type: finding.type,
      severity: finding.severity,
      principal: denial.identity.arn,
      session: sessionNameOf(denial.identity),
      resource: resourceArn,
      api: denial.operation,
    });
  }

  /** The bucket a refused object-version deletion acted on, when it is tagged as holding backups. */
  private backupBucketOf(denial: AccessDenial): FindingBucket | undefined {
    if (denial.service !== 's3' || denial.action !== 's3:DeleteObjectVersion') return undefined;
    const name = denial.target.resources.find((r) => r.type === 'AWS::S3::Bucket')?.name;
    // Found by name, not through findModule: a module registered as `s3` need not be S3's (a test's stand-in has no
    // model). Typed by S3's own model, so a field its buckets do not have cannot be read here.
    const s3 = this.world.modules().find((m) => m.name === 's3') as { model?: Pick<S3Model, 'allBuckets'> } | undefined;
    const bucket = name === undefined ? undefined : s3?.model?.allBuckets().find((b) => b.name === name);
    const tags = bucket?.tags ?? [];
    if (!bucket || !tags.some((t) => t.Key === BACKUP_BUCKET_TAG.key && t.Value === BACKUP_BUCKET_TAG.value)) return undefined;
    return { name: bucket.name, arn: bucket.arn, tags: tags.map((t) => ({ key: t.Key, value: t.Value })) };
  }
}

function compare(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Opaque page tokens: the offset of the next item. */
function paginate<T>(items: T[], page: { maxResults?: number; nextToken?: string }): Page<T> {
  const size = page.maxResults ?? MAX_RESULTS;
  if (!Number.isInteger(size) || size < 1 || size > MAX_RESULTS) throw guardDutyErrors.invalidInput(`maxResults must be between 1 and ${MAX_RESULTS}`);
  let start = 0;
  if (page.nextToken !== undefined && page.nextToken !== '') {
    const decoded = /^o(\d+)$/.exec(Buffer.from(page.nextToken, 'base64url').toString('utf8'));
    if (!decoded) throw guardDutyErrors.invalidInput('nextToken is not valid');
    start = Number(decoded[1]);
  }
  const end = start + size;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: Buffer.from(`o${end}`).toString('base64url') } : {}) };
}
