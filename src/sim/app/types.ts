import type { EpochMs } from '../../clock/types.js';
import type { Rng } from '../types.js';
import type { DnsResolver } from './dns.js';

/** The database an orders service writes to. DynamoDB-backed stores may join this union later. */
export type DatabaseRef = { engine: 'rds'; region: string; id: string };

/** Instances behind a regional orders service. */
export interface Capacity {
  /** Serving now. */
  running: number;
  /** What the fleet is being scaled to. */
  desired: number;
  /** A full fleet, as the primary region runs. */
  full: number;
}

/** How much of the fleet a standby region keeps running: none, a reduced fleet, or all of it. */
export type StandbyMode = 'pilot-light' | 'warm-standby' | 'active-active';

export interface OrdersServiceSpec {
  region: string;
  /** The service's name, `orders-api` unless told. */
  service?: string;
  /** Its regional endpoint name, `orders.<region>.securecart.internal` unless told. */
  endpoint?: string;
  /** Its public address; drawn from the seeded RNG when left out. */
  ipAddress?: string;
  /** Ports it listens on: 80 and 443 unless told. */
  ports?: number[];
  /** Where it answers its health check: `/health` unless told. */
  healthPath?: string;
  database: DatabaseRef;
  /** A standby mode, or explicit numbers; a full fleet (4 instances) unless told. */
  capacity?: StandbyMode | { running?: number; desired?: number; full?: number };
}

/**
 * A regional fleet: an EC2 Auto Scaling group's instances. How many could
 * take traffic now (running, in service, their zone powered and reachable),
 * per Availability Zone; how many are launching; how many are wanted; and
 * setting the last.
 */
export interface Fleet {
  state(): { running: number; launching: number; desired: number; servingByZone: Readonly<Record<string, number>> };
  setDesired(count: number): void;
}

/** Traffic moved away from one Availability Zone of a region (ARC zonal shift or autoshift). */
export interface ZonalShift {
  id: string;
  zone: string;
  endsAt: EpochMs;
}

export interface OrdersService {
  readonly region: string;
  readonly service: string;
  /** Lower-case, without the trailing dot. */
  readonly endpoint: string;
  readonly ipAddress: string;
  readonly ports: readonly number[];
  readonly healthPath: string;
  database: DatabaseRef;
  /** Its instances as seeded; with a fleet attached, the fleet's are the truth. */
  capacity: Capacity;
  /** The Auto Scaling group it serves from, once one is attached. */
  fleet?: Fleet;
  /** Zonal shifts in force: the load balancer sends nothing to their zones. */
  zonalShifts: ZonalShift[];
  /** Its load balancer's ARN, a zonal shift's managed resource. */
  readonly loadBalancerArn: string;
  /** When it was seeded (its load balancer's CreatedTime). */
  readonly createdAt: number;
  readonly rng: Rng;
  /** Orders written through this service, for order ids. */
  orders: number;
}

/** Why a service is not healthy. */
export type HealthReason =
  | 'region-down'
  /** Every subnet its load balancer has a node in is cut off (aws:network:disrupt-connectivity): nothing reaches it. */
  | 'network-isolated'
  | 'no-capacity'
  | 'database-not-found'
  | 'database-unreachable'
  | 'database-unavailable'
  | 'database-read-only';

export interface ServiceHealth {
  healthy: boolean;
  reason?: HealthReason;
  /** Words for people: which database, which region, until when. */
  detail?: string;
}

/** Who sends requests: a probe, a canary, an app instance. It owns its DNS cache. */
export interface AppClient {
  readonly name: string;
  /** Where the client runs; undefined for a client on the internet. */
  readonly region?: string;
  readonly resolver: DnsResolver;
  readonly rng: Rng;
  /** How long the client waits for a connection and a response before it gives up. */
  readonly timeoutMs: number;
}

export interface AppRequest {
  method: string;
  url: string;
  /** JSON body: an object, or its text. */
  body?: Record<string, unknown> | string;
}

/** Why a request got no HTTP response. */
export type AppErrorKind = 'invalid-url' | 'dns' | 'timeout' | 'refused';

export interface AppResponse {
  /** HTTP status; 0 when there was no response (see `error`). */
  status: number;
  body?: Record<string, unknown>;
  error?: AppErrorKind;
  message?: string;
  /** The region whose service answered. */
  servedBy?: string;
  /** Virtual milliseconds from sending to the answer (or to giving up). */
  latencyMs: number;
  /** The address the host name resolved to, and through which name. */
  resolved?: { host: string; address: string; canonicalName?: string };
}
