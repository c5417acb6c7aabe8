import type { SchedulingClock } from '../clock/types.js';
import { defaultCalibration, drawSeconds, type Calibration, type CalibrationKey } from './calibration.js';
import type { ServiceMap } from './service-map.js';
import { createRng } from './rng.js';
import type {
  ApiErrorInjection,
  AuditRecord,
  FaultState,
  Identity,
  Rng,
  ServiceModule,
  SimEvent,
  SimWorld,
} from './types.js';

export interface WorldOptions {
  clock: SchedulingClock;
  seed: number;
  accountId?: string;
  calibration?: Partial<Calibration>;
  /** Access key id → role name. */
  identities?: Record<string, string>;
  /** The most API calls the audit trail keeps (default `DEFAULT_AUDIT_LIMIT`). */
  auditLimit?: number;
  /** The most state changes the event log keeps (default `DEFAULT_EVENT_LIMIT`). */
  eventLimit?: number;
}

/** CloudTrail's event history keeps 90 days; so does the sim's audit trail, and its event log. */
export const RETENTION_MS = 90 * 86_400_000;
/**
 * A server that runs for days must not grow with every request: the audit
 * trail keeps at most this many calls (~1 KB each with what CloudTrail shows
 * of them), far more than a game day makes.
 */
export const DEFAULT_AUDIT_LIMIT = 20_000;
/** The event log (ground truth, `/_gameday/events`) likewise. */
export const DEFAULT_EVENT_LIMIT = 100_000;

/** The role of any access key the environment does not name, as other emulators accept any key. */
export const DEFAULT_ROLE = 'gameday-runner';

/** A service module that issues temporary access keys (STS AssumeRole): the role session each one acts as. */
export interface SessionIssuer {
  sessionOf(accessKeyId: string): { role: string; sessionName: string } | undefined;
}

function issuesSessions(module: ServiceModule): module is ServiceModule & SessionIssuer {
  return typeof (module as Partial<SessionIssuer>).sessionOf === 'function';
}

class Faults implements FaultState {
  private readonly regionsDown = new Map<string, string>();
  private readonly linksDown = new Map<string, string>();
  private readonly subnetsDown = new Map<string, string>();
  private readonly zonesUnpowered = new Map<string, string>();
  private readonly injections: ApiErrorInjection[] = [];

  constructor(private readonly emit: (kind: string, detail: Record<string, unknown>) => void) {}

  isRegionUp(region: string): boolean {
    return !this.regionsDown.has(region);
  }

  setRegionUp(region: string, up: boolean, cause: string): void {
    if (up === this.isRegionUp(region)) return;
    if (up) this.regionsDown.delete(region);
    else this.regionsDown.set(region, cause);
    this.emit(up ? 'region.restored' : 'region.down', { region, cause });
  }

  isLinkUp(fromRegion: string, toRegion: string): boolean {
    if (fromRegion === toRegion) return this.isRegionUp(fromRegion);
    if (!this.isRegionUp(fromRegion) || !this.isRegionUp(toRegion)) return false;
    return !this.linksDown.has(linkKey(fromRegion, toRegion));
  }

  setLinkUp(a: string, b: string, up: boolean, cause: string): void {
    const key = linkKey(a, b);
    if (up === !this.linksDown.has(key)) return;
    if (up) this.linksDown.delete(key);
    else this.linksDown.set(key, cause);
    this.emit(up ? 'link.restored' : 'link.down', { regions: [a, b].sort(), cause });
  }

  isSubnetUp(subnetId: string): boolean {
    return !this.subnetsDown.has(subnetId);
  }

  setSubnetUp(subnetId: string, up: boolean, cause: string): void {
    if (up === this.isSubnetUp(subnetId)) return;
    if (up) this.subnetsDown.delete(subnetId);
    else this.subnetsDown.set(subnetId, cause);
    this.emit(up ? 'subnet.restored' : 'subnet.down', { subnetId, cause });
  }

  isZonePowered(zone: string): boolean {
    return !this.zonesUnpowered.has(zone);
  }

  setZonePowered(zone: string, powered: boolean, cause: string): void {
    if (powered === this.isZonePowered(zone)) return;
    if (powered) this.zonesUnpowered.delete(zone);
    else this.zonesUnpowered.set(zone, cause);
    // `us-east-1a` → `us-east-1`: zone names are their region's and a letter.
    this.emit(powered ? 'zone.power-restored' : 'zone.power-lost', { zone, region: zone.slice(0, -1), cause });
  }

  addApiErrorInjection(injection: ApiErrorInjection): void {
    this.injections.push(injection);
    this.emit('api-errors.injected', { ...injection });
  }

  removeApiErrorInjection(id: string): void {
    const at = this.injections.findIndex((i) => i.id === id);
    if (at < 0) return;
    this.injections.splice(at, 1);
    this.emit('api-errors.removed', { id });
  }

  apiErrorInjections(): readonly ApiErrorInjection[] {
    return this.injections;
  }
}

/**
 * Drop from the front of a time-ordered log what is older than `cutoff`,
 * and, past `limit`, the oldest entries: a twentieth of the limit at once,
 * so a full log is trimmed now and then rather than shifted on every append.
 */
function dropOldest<T>(log: T[], limit: number, cutoff: number, timeOf: (entry: T) => number): T[] {
  let count = 0;
  if (log.length > 0 && timeOf(log[0]!) < cutoff) {
    let lo = 0;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (timeOf(log[mid]!) < cutoff) lo = mid + 1;
      else hi = mid;
    }
    count = lo;
  }
  if (log.length > limit) count = Math.max(count, log.length - limit + Math.floor(limit / 20));
  return count > 0 ? log.splice(0, Math.min(count, log.length)) : [];
}

function linkKey(a: string, b: string): string {
  return [a, b].sort().join('|');
}

/** World state of the simulated AWS account: the clock, the seeded RNG, faults, audit trail and service models. */
export class World implements SimWorld {
  readonly clock: SchedulingClock;
  readonly rng: Rng;
  readonly seed: number;
  readonly accountId: string;
  readonly faults: FaultState;
  readonly audit: AuditRecord[] = [];
  readonly events: SimEvent[] = [];
  private auditSeq = 0;
  private readonly auditLimit: number;
  private readonly eventLimit: number;
  private readonly auditDropListeners: ((dropped: readonly AuditRecord[]) => void)[] = [];
  readonly calibration: Calibration;
  private readonly identities: Record<string, string>;
  private readonly registry = new Map<string, ServiceModule>();
  private readonly sessionIssuers: SessionIssuer[] = [];
  private readonly listeners = new Set<(event: SimEvent) => void>();

  constructor(options: WorldOptions) {
    this.clock = options.clock;
    this.seed = options.seed;
    this.rng = createRng(options.seed);
    this.accountId = options.accountId ?? '123456789012';
    this.calibration = { ...defaultCalibration, ...options.calibration };
    this.identities = { ...options.identities };
    this.auditLimit = Math.max(1, options.auditLimit ?? DEFAULT_AUDIT_LIMIT);
    this.eventLimit = Math.max(1, options.eventLimit ?? DEFAULT_EVENT_LIMIT);
    this.faults = new Faults((kind, detail) => this.emit(kind, detail));
  }

  emit(kind: string, detail: Record<string, unknown>): void {
    const event: SimEvent = { at: this.clock.now(), kind, detail };
    this.events.push(event);
    dropOldest(this.events, this.eventLimit, event.at - RETENTION_MS, (e) => e.at);
    for (const listener of this.listeners) listener(event);
  }

  recordCall(record: Omit<AuditRecord, 'seq'>): AuditRecord {
    const full: AuditRecord = { seq: ++this.auditSeq, ...record };
    this.audit.push(full);
    const dropped = dropOldest(this.audit, this.auditLimit, this.clock.now() - RETENTION_MS, (r) => r.eventTime);
    if (dropped.length > 0) for (const listener of this.auditDropListeners) listener(dropped);
    return full;
  }

  onAuditDropped(listener: (dropped: readonly AuditRecord[]) => void): void {
    this.auditDropListeners.push(listener);
  }

  onEvent(listener: (event: SimEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  identityOf(accessKeyId: string): Identity {
    for (const issuer of this.sessionIssuers) {
      const session = issuer.sessionOf(accessKeyId);
      if (session) return { accessKeyId, role: session.role, arn: `arn:aws:sts::${this.accountId}:assumed-role/${session.role}/${session.sessionName}` };
    }
    const role = this.identities[accessKeyId] ?? DEFAULT_ROLE;
    return { accessKeyId, role, arn: `arn:aws:sts::${this.accountId}:assumed-role/${role}/gameday` };
  }

  register<T extends ServiceModule>(module: T): T {
    if (this.registry.has(module.name)) throw new Error(`service module ${module.name} registered twice`);
    this.registry.set(module.name, module);
    if (issuesSessions(module)) this.sessionIssuers.push(module);
    return module;
  }

  module<K extends keyof ServiceMap>(name: K): ServiceMap[K];
  module<T extends ServiceModule>(name: string): T;
  module(name: string): ServiceModule {
    const found = this.registry.get(name);
    if (!found) throw new Error(`no service module named ${name}`);
    return found;
  }

  findModule<K extends keyof ServiceMap>(name: K): ServiceMap[K] | undefined {
    // The one place the registry's ServiceModule becomes its service's type: each registers under its own name.
    return this.registry.get(name) as ServiceMap[K] | undefined;
  }

  modules(): ServiceModule[] {
    return [...this.registry.values()];
  }

  /** A calibrated duration in milliseconds, drawn from `rng` (fork one per resource). */
  duration(key: CalibrationKey, rng: Rng, scale?: number): number {
    return Math.round(drawSeconds(this.calibration[key], rng, scale) * 1000);
  }
}
