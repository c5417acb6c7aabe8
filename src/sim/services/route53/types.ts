import type { EpochMs, TimerHandle } from '../../../clock/types.js';
import type { Rng } from '../../types.js';

/** Record types Route 53 accepts (its RRType enum). */
export const RECORD_TYPES = ['SOA', 'A', 'TXT', 'NS', 'CNAME', 'MX', 'NAPTR', 'PTR', 'SRV', 'SPF', 'AAAA', 'CAA', 'DS', 'TLSA', 'SSHFP', 'SVCB', 'HTTPS'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export type FailoverRole = 'PRIMARY' | 'SECONDARY';

export interface AliasTarget {
  /** The target's hosted zone id, without `/hostedzone/`. */
  hostedZoneId: string;
  /** Fully qualified, lower-case, with the trailing dot. */
  dnsName: string;
  evaluateTargetHealth: boolean;
}

export interface GeoLocation {
  continentCode?: string;
  countryCode?: string;
  subdivisionCode?: string;
}

/** One resource record set, keyed in its zone by (name, type, setIdentifier). */
export interface RecordSet {
  /** Fully qualified, lower-case, with the trailing dot; a wildcard label is `*`. */
  name: string;
  type: RecordType;
  setIdentifier?: string;
  weight?: number;
  /** Latency-based routing: the AWS region the record stands for. */
  region?: string;
  geoLocation?: GeoLocation;
  failover?: FailoverRole;
  multiValueAnswer?: boolean;
  ttl?: number;
  /** ResourceRecords values; empty for an alias. */
  values: string[];
  aliasTarget?: AliasTarget;
  healthCheckId?: string;
}

export type ChangeStatus = 'PENDING' | 'INSYNC';

export interface ChangeInfo {
  /** `C…`, without `/change/`. */
  id: string;
  status: ChangeStatus;
  submittedAt: EpochMs;
  comment?: string;
  /** When the change reaches every Route 53 name server. */
  insyncAt: EpochMs;
}

export interface HostedZone {
  /** `Z…`, without `/hostedzone/`. */
  readonly id: string;
  /** Fully qualified, lower-case, with the trailing dot. */
  readonly name: string;
  readonly callerReference: string;
  comment?: string;
  readonly privateZone: boolean;
  vpcs: { region: string; id: string }[];
  /** The delegation set's name servers (public zones), without trailing dots. */
  readonly nameServers: string[];
  readonly createdAt: EpochMs;
  /** The control plane: what the API lists, changed the moment a change batch is accepted. */
  readonly records: Map<string, RecordSet>;
  /** The data plane: what the name servers answer with, changed when a change is INSYNC. */
  readonly published: Map<string, RecordSet>;
}

export type HealthCheckType =
  | 'HTTP'
  | 'HTTPS'
  | 'HTTP_STR_MATCH'
  | 'HTTPS_STR_MATCH'
  | 'TCP'
  | 'CALCULATED'
  | 'CLOUDWATCH_METRIC'
  | 'RECOVERY_CONTROL';

export const HEALTH_CHECK_TYPES: readonly HealthCheckType[] = [
  'HTTP',
  'HTTPS',
  'HTTP_STR_MATCH',
  'HTTPS_STR_MATCH',
  'TCP',
  'CALCULATED',
  'CLOUDWATCH_METRIC',
  'RECOVERY_CONTROL',
];

/** Route 53's health checker regions (HealthCheckRegion); a health check uses all of them unless told. */
export const CHECKER_REGIONS = ['us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'] as const;

export type InsufficientDataHealthStatus = 'Healthy' | 'Unhealthy' | 'LastKnownStatus';

/** HealthCheckConfig as Route 53 keeps it, defaults filled in. */
export interface HealthCheckConfig {
  type: HealthCheckType;
  ipAddress?: string;
  port?: number;
  resourcePath?: string;
  fullyQualifiedDomainName?: string;
  searchString?: string;
  /** Seconds: 30 (standard) or 10 (fast). */
  requestInterval: number;
  failureThreshold: number;
  measureLatency: boolean;
  inverted: boolean;
  disabled: boolean;
  healthThreshold?: number;
  childHealthChecks?: string[];
  enableSni?: boolean;
  /** Checker regions the caller chose; all of CHECKER_REGIONS when undefined. */
  regions?: string[];
  alarmIdentifier?: { region: string; name: string };
  insufficientDataHealthStatus?: InsufficientDataHealthStatus;
  routingControlArn?: string;
}

/** What one checker last saw. */
export interface CheckerReport {
  at: EpochMs;
  success: boolean;
  /** Route 53's wording: `Success: HTTP Status Code 200, OK`, `Failure: Connection timed out. …` */
  message: string;
}

/** One Route 53 health checker (one per checker region) looking at one endpoint. */
export interface Checker {
  readonly region: string;
  /** The checker's source address, shown in GetHealthCheckStatus. */
  readonly ipAddress: string;
  /** First check at `firstCheckAt`, then every RequestInterval. */
  readonly firstCheckAt: EpochMs;
  nextCheckAt: EpochMs;
  /** This checker's own verdict, flipped after FailureThreshold consecutive contrary results. */
  healthy: boolean;
  /** Consecutive results contrary to `healthy`. */
  streak: number;
  last?: CheckerReport;
  timer?: TimerHandle;
  /** While resting (nothing has changed since its last check): that check's latency, to date the checks it skips. */
  restingLatencyMs?: number;
}

export interface HealthCheck {
  readonly id: string;
  readonly callerReference: string;
  config: HealthCheckConfig;
  version: number;
  readonly createdAt: EpochMs;
  /** The endpoint's health as the checkers (or children, or alarm) see it, before Inverted and Disabled. */
  observedHealthy: boolean;
  /** What routing uses: Disabled counts as healthy, Inverted inverts. */
  healthy: boolean;
  /** One per checker region (endpoint checks only); replaced when the regions change. */
  checkers: Checker[];
  readonly rng: Rng;
  deleted: boolean;
}

/** Where a health checker's request goes (the config's endpoint fields). */
export interface HealthCheckTarget {
  protocol: 'HTTP' | 'HTTPS' | 'TCP';
  ipAddress?: string;
  fullyQualifiedDomainName?: string;
  port: number;
  /** Path and query, starting with `/`. */
  resourcePath: string;
}

/** What a health checker's request met. */
export type EndpointProbe =
  | { kind: 'response'; status: number; body: string }
  /** TCP connection accepted (all a TCP check asks for). */
  | { kind: 'connected' }
  /** Nothing answered: the region or network is down, the address leads nowhere. */
  | { kind: 'timeout' }
  /** The host answered but nothing listens on the port. */
  | { kind: 'refused' }
  | { kind: 'dns-failure'; rcode: 'NXDOMAIN' | 'SERVFAIL' };

/**
 * Whatever serves the endpoints health checks look at (the sim's app model).
 * Route 53 finds it among the world's modules, so the two never import each other.
 */
export interface EndpointHost {
  probeEndpoint(target: HealthCheckTarget, from: { region: string }): EndpointProbe;
}

export type DnsRcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

/** One answer from Route 53's name servers (the data plane). */
export interface DnsAnswer {
  rcode: DnsRcode;
  /** The question, normalized (lower-case, trailing dot). */
  name: string;
  type: string;
  /**
   * Answer records: values of the asked type, or one CNAME whose target the
   * resolver should chase. Empty with NOERROR: the name exists without that type.
   */
  records: { type: string; value: string }[];
  /** How long a resolver may cache this answer (negative answers: the SOA's TTL). */
  ttlSeconds: number;
  /** The zone that answered. */
  zoneId?: string;
  /** Which record set answered, for ground truth (a failover record's set identifier). */
  recordSet?: { name: string; type: string; setIdentifier?: string; failover?: FailoverRole };
}

export interface AnswerOptions {
  /** Draws for weighted routing; the model's own stream when left out. */
  rng?: Rng;
  /** The resolver's region, for latency-based routing. */
  clientRegion?: string;
}

/** A record set as seeding and the API accept it (names need not be fully qualified). */
export interface RecordSetSpec {
  name: string;
  type: RecordType;
  ttl?: number;
  values?: string[];
  setIdentifier?: string;
  weight?: number;
  region?: string;
  failover?: FailoverRole;
  multiValueAnswer?: boolean;
  geoLocation?: GeoLocation;
  aliasTarget?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth?: boolean };
  healthCheckId?: string;
}

export type ChangeAction = 'CREATE' | 'DELETE' | 'UPSERT';

export interface ChangeSpec {
  action: ChangeAction;
  recordSet: RecordSetSpec;
}

/** What the environment loader says exists at t = 0 (DESIGN §6, Seeding). */
export interface SeedHostedZoneSpec {
  name: string;
  /** A fixed id (`Z…`); drawn from the seeded RNG when left out. */
  id?: string;
  callerReference?: string;
  comment?: string;
  /** A private zone's VPCs. */
  vpcs?: { region: string; id: string }[];
  records?: RecordSetSpec[];
}

export interface CreateHealthCheckSpec {
  type: HealthCheckType;
  ipAddress?: string;
  port?: number;
  resourcePath?: string;
  fullyQualifiedDomainName?: string;
  searchString?: string;
  requestInterval?: number;
  failureThreshold?: number;
  measureLatency?: boolean;
  inverted?: boolean;
  disabled?: boolean;
  healthThreshold?: number;
  childHealthChecks?: string[];
  enableSni?: boolean;
  regions?: string[];
  alarmIdentifier?: { region: string; name: string };
  insufficientDataHealthStatus?: string;
  routingControlArn?: string;
}

export interface SeedHealthCheckSpec extends CreateHealthCheckSpec {
  /** A fixed id; drawn from the seeded RNG when left out. */
  id?: string;
  callerReference?: string;
}

export interface UpdateHealthCheckSpec {
  healthCheckVersion?: number;
  ipAddress?: string;
  port?: number;
  resourcePath?: string;
  fullyQualifiedDomainName?: string;
  searchString?: string;
  failureThreshold?: number;
  inverted?: boolean;
  disabled?: boolean;
  healthThreshold?: number;
  childHealthChecks?: string[];
  enableSni?: boolean;
  regions?: string[];
  alarmIdentifier?: { region: string; name: string };
  insufficientDataHealthStatus?: string;
  resetElements?: string[];
}

/** One page of a list call. */
export interface Page<T> {
  items: T[];
  isTruncated: boolean;
  maxItems: number;
}
