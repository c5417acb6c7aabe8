import type { EpochMs, SchedulingClock } from '../clock/types.js';
import type { Calibration, CalibrationKey } from './calibration.js';
import type { ServiceMap } from './service-map.js';

/** An HTTP request as the sim sees it, whether it came from an in-process SDK client or from a socket. */
export interface SimRequest {
  method: string;
  /** Path without the query string, percent-decoding left to the codec. */
  path: string;
  /** Query string parameters; a repeated key keeps every value. */
  query: Record<string, string | string[]>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface SimResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
  /**
   * The body is an operation's payload, which SDK clients read as a stream
   * (S3 GetObject's Body), not a document they parse.
   */
  payload?: true;
}

/** Who is calling, resolved from the access key in the SigV4 credential scope. */
export interface Identity {
  accessKeyId: string;
  /** Named role, e.g. `gameday-runner`, `backup-admin`, `intruder`. */
  role: string;
  arn: string;
}

/** Everything a model needs to know about one API call. */
export interface CallContext {
  region: string;
  accountId: string;
  identity: Identity;
  requestId: string;
  world: SimWorld;
}

/**
 * An error the way AWS reports it. Codecs render it in their protocol's shape
 * (Query error XML, JSON `__type`, REST `x-amzn-ErrorType`), so the SDK throws
 * its typed exception.
 */
export class AwsError extends Error {
  override readonly name = 'AwsError';
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode = 400,
    readonly fault: 'Sender' | 'Receiver' = statusCode >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
  }
}

/**
 * An operation the request names that this service does not serve (an
 * action the sim has not modelled, or one AWS has no such name for): AWS's
 * own answer (InvalidAction, UnknownOperationException), carrying the name
 * so the audit trail records the call as what it was.
 */
export class UnknownOperationError extends AwsError {
  constructor(
    readonly operation: string,
    code: string,
    message: string,
    statusCode = 400,
  ) {
    super(code, message, statusCode);
  }
}

/** Seeded pseudo-random numbers. Forked streams keep one resource's draws independent of another's. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Random id characters, e.g. for request ids and FIS template ids. */
  alnum(length: number, alphabet?: string): string;
  /** An independent stream derived from this one's seed and `label` (not from its position). */
  fork(label: string): Rng;
}

/** A [min, max] range in seconds, drawn uniformly unless a model says otherwise. */
export interface DurationRange {
  minSeconds: number;
  maxSeconds: number;
}

/**
 * Real operations have a slow tail: most land in the published range, a few
 * take longer. `share` of the draws fall above `maxSeconds`, up to
 * `factor` × `maxSeconds`.
 */
export interface SlowTail {
  /** Fraction of draws in the tail, e.g. 0.03. */
  share: number;
  /** The tail's ceiling as a multiple of `maxSeconds` (≥ 1). */
  factor: number;
}

/** A calibrated duration: its bulk is `DurationRange`, plus a slow tail where the operation has one. */
export interface DurationModel extends DurationRange {
  /** Absent for fixed intervals (a log shipped every 5 minutes is not late by chance). */
  tail?: SlowTail;
}

/** One API call, kept for the audit trail (CloudTrail LookupEvents shape). */
export interface AuditRecord {
  /** Position in the trail since the world began: increasing, never reused, so it outlives dropped records. */
  seq: number;
  eventId: string;
  eventTime: EpochMs;
  eventSource: string; // rds.amazonaws.com
  eventName: string; // RebootDBInstance
  awsRegion: string;
  identity: Identity;
  requestId: string;
  resources: { type: string; name: string }[];
  errorCode?: string;
  errorMessage?: string;
  readOnly: boolean;
}

/**
 * How a service is reached on the wire: a codec plus an operation table over
 * a model. The handler routes to it by the SigV4 signing name.
 */
export interface ServiceBinding {
  /** SigV4 signing name: `rds`, `fis`, `dynamodb`, `route53`, `s3`, … */
  readonly signingName: string;
  /** `rds.amazonaws.com`, used in the audit trail. */
  readonly eventSource: string;
  /**
   * Keeps answering while its region is down. FIS does: the experiment that
   * took a region out must stay observable and stoppable.
   */
  readonly survivesRegionOutage?: boolean;
  /** Find the operation a request asks for; throws AwsError for an unknown or unroutable one. */
  operationOf(request: SimRequest): string;
  invoke(operation: string, request: SimRequest, ctx: CallContext): Promise<InvokeResult>;
  /** Render an error in this protocol's shape. */
  renderError(error: AwsError, ctx: CallContext): SimResponse;
}

export interface InvokeResult {
  response: SimResponse;
  /** Resources touched, for the audit trail. */
  resources?: { type: string; name: string }[];
}

/**
 * An FIS action's effect, implemented by the model it concerns and
 * registered with the world, so FIS orchestrates without knowing RDS.
 */
export interface FisActionDefinition {
  id: string; // aws:rds:reboot-db-instances
  description: string;
  /** Target key → resource type, e.g. `{ DBInstances: 'aws:rds:db' }`. */
  targets: Record<string, string>;
  parameters: Record<string, { description: string; required: boolean }>;
  /**
   * Start the action. Resolve the returned promise when the action is complete
   * (on the clock). `signal` aborts when the experiment stops; effects already
   * under way (a failover in progress) run on as the service would.
   */
  start(run: FisActionRun): Promise<void>;
}

export interface FisActionRun {
  world: SimWorld;
  region: string;
  /** Resolved target ARNs by target key. */
  targets: Record<string, string[]>;
  parameters: Record<string, string>;
  signal: AbortSignal;
  ctx: CallContext;
}

/** A resource that FIS can target by type, found by ARN or tags. */
export interface TargetableResource {
  arn: string;
  type: string; // aws:rds:db
  region: string;
  tags: Record<string, string>;
}

/** One API call as the dispatcher is about to hand it to its binding. */
export interface AuthorizationRequest {
  service: string; // signing name
  operation: string;
  request: SimRequest;
  ctx: CallContext;
}

/** Services register themselves with the world through this. */
export interface ServiceModule {
  readonly name: string;
  /**
   * See every call as it arrives, before faults or authorization can refuse
   * it (the audit trail reads its request parameters here).
   */
  observe?(call: AuthorizationRequest): void;
  /**
   * Refuse a call before it reaches its binding (the sim's IAM): return the
   * AwsError to answer with, in the service's own error shape, or undefined.
   */
  authorize?(call: AuthorizationRequest): AwsError | undefined;
  binding?: ServiceBinding;
  fisActions?: FisActionDefinition[];
  /** Resources of the given FIS resource type in a region, for target resolution. */
  targetable?(type: string, region: string): TargetableResource[];
}

export interface SimEvent {
  at: EpochMs;
  kind: string;
  detail: Record<string, unknown>;
}

export interface SimWorld {
  readonly clock: SchedulingClock;
  readonly rng: Rng;
  readonly seed: number;
  readonly accountId: string;
  /** Region availability and injected faults. */
  readonly faults: FaultState;
  /**
   * Every API call, oldest first, as far back as CloudTrail's event history
   * keeps (90 days of virtual time) and at most the world's audit limit:
   * older records are dropped, oldest first. Append with `recordCall`.
   */
  readonly audit: readonly AuditRecord[];
  /** Append a call to the audit trail (its `seq` is assigned here), dropping what falls out of it. */
  recordCall(record: Omit<AuditRecord, 'seq'>): AuditRecord;
  /** Called with the records dropped from the audit trail, so what is kept per request goes with them. */
  onAuditDropped(listener: (dropped: readonly AuditRecord[]) => void): void;
  /** The sim's own log of state changes, for ground truth and determinism tests. */
  readonly events: readonly SimEvent[];
  readonly calibration: Calibration;
  /** A calibrated duration in milliseconds, drawn from `rng` (fork one per resource); `scale` in [0,1] for size-dependent work. */
  duration(key: CalibrationKey, rng: Rng, scale?: number): number;
  emit(kind: string, detail: Record<string, unknown>): void;
  /** Listen to every state change as it is emitted; returns an unsubscribe. */
  onEvent(listener: (event: SimEvent) => void): () => void;
  /** The named role an access key acts as; unknown keys act as the game-day runner. */
  identityOf(accessKeyId: string): Identity;
  /** The module a built-in service registered, typed by its name (ServiceMap); throws when none is registered. */
  module<K extends keyof ServiceMap>(name: K): ServiceMap[K];
  /**
   * The untyped lookup, for a module outside ServiceMap (a test's stand-in)
   * and the call sites not yet moved to the typed one (RDS's): the caller's
   * type argument is taken on trust.
   */
  module<T extends ServiceModule>(name: string): T;
  /** The same typed lookup, or undefined when the service is not registered (a bare world in a unit test). */
  findModule<K extends keyof ServiceMap>(name: K): ServiceMap[K] | undefined;
  modules(): ServiceModule[];
}

export interface ApiErrorInjection {
  id: string;
  kind: 'internal-error' | 'throttle-error' | 'unavailable-error';
  service: string; // signing name
  operations: string[] | 'all';
  /** Role names (or role ARNs) whose calls are affected. */
  roles: string[];
  percentage: number;
}

export interface FaultState {
  isRegionUp(region: string): boolean;
  setRegionUp(region: string, up: boolean, cause: string): void;
  /** Network between two regions (cross-region replication paths). */
  isLinkUp(fromRegion: string, toRegion: string): boolean;
  setLinkUp(a: string, b: string, up: boolean, cause: string): void;
  /** Network reachability of a subnet (aws:network:disrupt-connectivity). */
  isSubnetUp(subnetId: string): boolean;
  setSubnetUp(subnetId: string, up: boolean, cause: string): void;
  /**
   * Power in an Availability Zone (`us-east-1a`). Without it nothing in the
   * zone runs: instances stop, volumes stall, databases there fail over or
   * go dark. Models react to `zone.power-lost` and `zone.power-restored`.
   */
  isZonePowered(zone: string): boolean;
  setZonePowered(zone: string, powered: boolean, cause: string): void;
  addApiErrorInjection(injection: ApiErrorInjection): void;
  removeApiErrorInjection(id: string): void;
  apiErrorInjections(): readonly ApiErrorInjection[];
}
