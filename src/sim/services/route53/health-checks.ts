import type { Rng, ServiceModule, SimWorld } from '../../types.js';
import { route53Errors } from './errors.js';
import { isPublicIPv4, nameProblem } from './names.js';
import { isIPv6 } from 'node:net';
import {
  CHECKER_REGIONS,
  HEALTH_CHECK_TYPES,
  type Checker,
  type CheckerReport,
  type CreateHealthCheckSpec,
  type EndpointHost,
  type EndpointProbe,
  type HealthCheck,
  type HealthCheckConfig,
  type HealthCheckTarget,
  type HealthCheckType,
  type InsufficientDataHealthStatus,
  type Page,
  type UpdateHealthCheckSpec,
} from './types.js';

/**
 * Route 53 health checks on the virtual clock. Each checker region runs its
 * own checker, first at a random phase within the request interval, then
 * every RequestInterval; a checker changes its verdict after FailureThreshold
 * consecutive contrary results (both directions), and the endpoint is healthy
 * while more than 18% of the reporting checkers say so (Route 53's rule).
 * Disabled counts as healthy; Inverted inverts. Calculated checks follow
 * their children, CloudWatch checks their alarm.
 *
 * A checker whose target is an address sees the same answer for as long as
 * nothing in the world changes, and the world changes only through events.
 * So a checker that has just confirmed its verdict rests until the next
 * event and then resumes at its own phase: the same verdicts at the same
 * instants as checking every interval, without a timer per check while a
 * game day waits hours for a restore.
 */

/** Route 53 waits this long for a TCP connection before it calls the check a failure. */
export const CONNECT_TIMEOUT_MS = 4000;
/** More than this share of the reporting checkers must say healthy. */
export const HEALTHY_SHARE = 0.18;

const ENDPOINT_TYPES: readonly HealthCheckType[] = ['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP'];
const RESETTABLE = ['FullyQualifiedDomainName', 'Regions', 'ResourcePath', 'ChildHealthChecks'];
const INSUFFICIENT = ['Healthy', 'Unhealthy', 'LastKnownStatus'];

export const isEndpointCheck = (type: HealthCheckType): boolean => ENDPOINT_TYPES.includes(type);

const reasons: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

interface AlarmSource extends ServiceModule {
  find(alarm: string, region?: string): { state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' } | undefined;
  onAlarmChange(listener: (change: { alarm: { name: string; region: string } }) => void): () => void;
}

export class HealthChecks {
  private readonly byId = new Map<string, HealthCheck>();
  private readonly byCallerReference = new Map<string, HealthCheck>();
  private alarmsWatched = false;
  /** Bumped by every world event: a checker rests only on an answer no event has overtaken. */
  private epoch = 0;
  private readonly resting = new Map<Checker, HealthCheck>();

  constructor(
    private readonly world: SimWorld,
    private readonly ids: Rng,
  ) {
    world.onEvent(() => {
      this.epoch++;
      this.wake();
    });
  }

  // ── lookups ──────────────────────────────────────────────────────────────

  find(id: string): HealthCheck | undefined {
    const check = this.byId.get(id);
    return check && !check.deleted ? check : undefined;
  }

  get(id: string): HealthCheck {
    const check = this.find(id);
    if (!check) throw route53Errors.noSuchHealthCheck(id);
    return check;
  }

  all(): HealthCheck[] {
    return [...this.byId.values()].filter((c) => !c.deleted).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * What routing uses. A health check that no longer exists counts as
   * healthy: Route 53 leaves its status unpredictable, and failing open keeps
   * the records answering.
   */
  isHealthy(id: string): boolean {
    return this.find(id)?.healthy ?? true;
  }

  list(marker: string | undefined, maxItems: number | undefined): Page<HealthCheck> & { nextMarker?: string } {
    const max = pageSize(maxItems, 100, 1000);
    const all = this.all();
    const start = marker === undefined ? 0 : all.findIndex((c) => c.id >= marker);
    const from = start < 0 ? all.length : start;
    const items = all.slice(from, from + max);
    const next = all[from + max];
    return { items, isTruncated: next !== undefined, maxItems: max, ...(next ? { nextMarker: next.id } : {}) };
  }

  // ── create, update, delete ────────────────────────────────────────────────

  /**
   * CreateHealthCheck. The same CallerReference with the same settings gives
   * back the existing check; with other settings, or after the check was
   * deleted, it is HealthCheckAlreadyExists.
   */
  create(
    callerReference: string,
    spec: CreateHealthCheckSpec,
    options: { fixedId?: string; steadyState?: boolean } = {},
  ): { check: HealthCheck; created: boolean } {
    if (callerReference.length < 1 || callerReference.length > 64) {
      throw route53Errors.validation('callerReference', callerReference, 'Member must have length between 1 and 64');
    }
    const config = this.buildConfig(spec);
    const existing = this.byCallerReference.get(callerReference);
    if (existing) {
      if (existing.deleted || JSON.stringify(existing.config) !== JSON.stringify(config)) {
        throw route53Errors.healthCheckAlreadyExists(callerReference);
      }
      return { check: existing, created: false };
    }
    const id = options.fixedId ?? this.newId();
    if (this.byId.has(id)) throw new Error(`health check ${id} exists already`);
    const now = this.world.clock.now();
    // New health checks start healthy: Route 53 treats an endpoint as healthy
    // until the checkers say otherwise. A check seeded in its steady state has
    // been looking for a long time already, and says what it sees.
    const check: HealthCheck = {
      id,
      callerReference,
      config,
      version: 1,
      createdAt: now,
      observedHealthy: true,
      healthy: true,
      checkers: [],
      rng: this.world.rng.fork(`route53:health-check:${id}`),
      deleted: false,
    };
    if (options.steadyState && isEndpointCheck(config.type) && !config.disabled) {
      check.observedHealthy = judge(config, this.probe(config, (config.regions ?? CHECKER_REGIONS)[0]!)).success;
    }
    check.healthy = this.effective(check);
    this.byId.set(id, check);
    this.byCallerReference.set(callerReference, check);
    this.world.emit('route53.health-check.created', { id, type: config.type, target: describeTarget(config), healthy: check.healthy });
    this.start(check);
    return { check, created: true };
  }

  update(id: string, spec: UpdateHealthCheckSpec): HealthCheck {
    const check = this.get(id);
    if (spec.healthCheckVersion !== undefined && spec.healthCheckVersion !== check.version) throw route53Errors.healthCheckVersionMismatch();
    const c = check.config;
    const next: CreateHealthCheckSpec = {
      type: c.type,
      requestInterval: c.requestInterval,
      measureLatency: c.measureLatency,
      ...(c.routingControlArn !== undefined ? { routingControlArn: c.routingControlArn } : {}),
      ...pick(c, ['ipAddress', 'port', 'resourcePath', 'fullyQualifiedDomainName', 'searchString', 'failureThreshold', 'inverted', 'disabled']),
      ...pick(c, ['healthThreshold', 'childHealthChecks', 'enableSni', 'regions', 'alarmIdentifier', 'insufficientDataHealthStatus']),
    };
    for (const element of spec.resetElements ?? []) {
      if (!RESETTABLE.includes(element)) {
        throw route53Errors.validation('resetElements', element, `Member must satisfy enum value set: [${RESETTABLE.join(', ')}]`);
      }
      if (element === 'FullyQualifiedDomainName') delete next.fullyQualifiedDomainName;
      if (element === 'Regions') delete next.regions;
      if (element === 'ResourcePath') delete next.resourcePath;
      if (element === 'ChildHealthChecks') delete next.childHealthChecks;
    }
    const fields = [
      'ipAddress',
      'port',
      'resourcePath',
      'fullyQualifiedDomainName',
      'searchString',
      'failureThreshold',
      'inverted',
      'disabled',
      'healthThreshold',
      'childHealthChecks',
      'enableSni',
      'regions',
      'alarmIdentifier',
      'insufficientDataHealthStatus',
    ] as const;
    const changes: Record<string, unknown> = {};
    for (const field of fields) {
      if (spec[field] !== undefined) {
        (next as unknown as Record<string, unknown>)[field] = spec[field];
        changes[field] = spec[field];
      }
    }
    const config = this.buildConfig(next);
    const regionsChanged = JSON.stringify(config.regions) !== JSON.stringify(c.regions);
    check.config = config;
    check.version++;
    this.world.emit('route53.health-check.updated', { id, version: check.version, changes, resetElements: spec.resetElements ?? [] });
    if (regionsChanged && isEndpointCheck(config.type)) this.startCheckers(check);
    this.reevaluate(check, 'the health check was updated');
    return check;
  }

  delete(id: string): HealthCheck {
    const check = this.get(id);
    check.deleted = true;
    this.stopCheckers(check);
    this.world.emit('route53.health-check.deleted', { id });
    // Calculated checks that named it now count it as healthy.
    for (const parent of this.parentsOf(id)) this.reevaluate(parent, `child health check ${id} was deleted`);
    return check;
  }

  // ── what the checkers see ────────────────────────────────────────────────

  /** The last report of each checker that has checked, in checker-region order (GetHealthCheckStatus). */
  observations(id: string): { region: string; ipAddress: string; status: string; checkedAt: number }[] {
    const check = this.get(id);
    if (!isEndpointCheck(check.config.type)) {
      throw route53Errors.invalidInput(`Invalid parameter : health check ${id} is a ${check.config.type} health check; GetHealthCheckStatus reports endpoint health checks only.`);
    }
    const now = this.world.clock.now();
    return check.checkers.flatMap((c) => {
      const last = this.lastReport(check, c, now);
      return last ? [{ region: c.region, ipAddress: c.ipAddress, status: last.message, checkedAt: last.at }] : [];
    });
  }

  /** Each checker's schedule and verdict, for ground truth and tests. */
  checkersOf(id: string): readonly Checker[] {
    return this.get(id).checkers;
  }

  // ── internals ────────────────────────────────────────────────────────────

  private newId(): string {
    const hex = '0123456789abcdef';
    const r = this.ids;
    return `${r.alnum(8, hex)}-${r.alnum(4, hex)}-4${r.alnum(3, hex)}-${r.alnum(1, '89ab')}${r.alnum(3, hex)}-${r.alnum(12, hex)}`;
  }

  private buildConfig(spec: CreateHealthCheckSpec): HealthCheckConfig {
    const type = spec.type;
    if (!HEALTH_CHECK_TYPES.includes(type)) {
      throw route53Errors.validation('healthCheckConfig.type', type, `Member must satisfy enum value set: [${HEALTH_CHECK_TYPES.join(', ')}]`);
    }
    if (type === 'RECOVERY_CONTROL') {
      throw route53Errors.invalidInput('Invalid parameter : RECOVERY_CONTROL health checks need Route 53 Application Recovery Controller, which the simulator does not model.');
    }
    const requestInterval = spec.requestInterval ?? 30;
    if (requestInterval !== 10 && requestInterval !== 30) {
      throw route53Errors.invalidInput(`Invalid parameter : RequestInterval must be 10 or 30 seconds, not ${requestInterval}.`);
    }
    const failureThreshold = spec.failureThreshold ?? 3;
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1 || failureThreshold > 10) {
      throw route53Errors.validation('healthCheckConfig.failureThreshold', failureThreshold, 'Member must have value between 1 and 10');
    }
    const config: HealthCheckConfig = {
      type,
      requestInterval,
      failureThreshold,
      measureLatency: spec.measureLatency ?? false,
      inverted: spec.inverted ?? false,
      disabled: spec.disabled ?? false,
    };
    if (spec.regions !== undefined) {
      for (const region of spec.regions) {
        if (!(CHECKER_REGIONS as readonly string[]).includes(region)) {
          throw route53Errors.validation('healthCheckConfig.regions', region, `Member must satisfy enum value set: [${CHECKER_REGIONS.join(', ')}]`);
        }
      }
      const distinct = CHECKER_REGIONS.filter((r) => spec.regions!.includes(r));
      if (distinct.length < 3) throw route53Errors.invalidInput('Invalid parameter : You must specify at least 3 health checker regions.');
      config.regions = distinct;
    }
    if (isEndpointCheck(type)) {
      if (spec.ipAddress === undefined && spec.fullyQualifiedDomainName === undefined) {
        throw route53Errors.invalidInput('Invalid parameter : Either IPAddress or FullyQualifiedDomainName must be specified.');
      }
      if (spec.ipAddress !== undefined) {
        if (!isPublicIPv4(spec.ipAddress) && !isIPv6(spec.ipAddress)) {
          throw route53Errors.invalidInput(`Invalid parameter : IPAddress ${spec.ipAddress} is not a valid public IPv4 or IPv6 address.`);
        }
        config.ipAddress = spec.ipAddress;
      }
      if (spec.fullyQualifiedDomainName !== undefined) {
        const problem = nameProblem(spec.fullyQualifiedDomainName);
        if (problem) throw route53Errors.invalidInput(`Invalid parameter : FullyQualifiedDomainName ${spec.fullyQualifiedDomainName}: ${problem}.`);
        config.fullyQualifiedDomainName = spec.fullyQualifiedDomainName;
      }
      const https = type.startsWith('HTTPS');
      if (type === 'TCP' && spec.port === undefined) throw route53Errors.invalidInput('Invalid parameter : Port is required for TCP health checks.');
      const port = spec.port ?? (https ? 443 : 80);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw route53Errors.validation('healthCheckConfig.port', port, 'Member must have value between 1 and 65535');
      }
      config.port = port;
      if (spec.resourcePath !== undefined) {
        if (type === 'TCP') throw route53Errors.invalidInput('Invalid parameter : ResourcePath is not allowed for TCP health checks.');
        if (spec.resourcePath.length > 255) {
          throw route53Errors.validation('healthCheckConfig.resourcePath', spec.resourcePath, 'Member must have length less than or equal to 255');
        }
        config.resourcePath = spec.resourcePath;
      }
      if (type.endsWith('_STR_MATCH')) {
        if (spec.searchString === undefined) throw route53Errors.invalidInput(`Invalid parameter : SearchString is required for ${type} health checks.`);
        if (spec.searchString.length > 255) {
          throw route53Errors.validation('healthCheckConfig.searchString', spec.searchString, 'Member must have length less than or equal to 255');
        }
        config.searchString = spec.searchString;
      } else if (spec.searchString !== undefined) {
        throw route53Errors.invalidInput(`Invalid parameter : SearchString is only allowed for HTTP_STR_MATCH and HTTPS_STR_MATCH health checks.`);
      }
      if (type !== 'TCP') config.enableSni = spec.enableSni ?? https;
    }
    if (type === 'CALCULATED') {
      const children = spec.childHealthChecks ?? [];
      if (children.length > 256) throw route53Errors.validation('healthCheckConfig.childHealthChecks', '[…]', 'Member must have length less than or equal to 256');
      for (const child of children) {
        const found = this.find(child);
        if (!found) throw route53Errors.noSuchHealthCheck(child);
        if (found.config.type === 'CALCULATED') throw route53Errors.invalidInput(`Invalid parameter : child health check ${child} is itself a calculated health check.`);
      }
      const threshold = spec.healthThreshold ?? children.length;
      if (!Number.isInteger(threshold) || threshold < 0 || threshold > 256) {
        throw route53Errors.validation('healthCheckConfig.healthThreshold', threshold, 'Member must have value between 0 and 256');
      }
      config.childHealthChecks = [...children];
      config.healthThreshold = threshold;
    }
    if (type === 'CLOUDWATCH_METRIC') {
      if (!spec.alarmIdentifier) throw route53Errors.invalidInput('Invalid parameter : AlarmIdentifier is required for CLOUDWATCH_METRIC health checks.');
      config.alarmIdentifier = { ...spec.alarmIdentifier };
      const insufficient = spec.insufficientDataHealthStatus ?? 'LastKnownStatus';
      if (!INSUFFICIENT.includes(insufficient)) {
        throw route53Errors.validation('healthCheckConfig.insufficientDataHealthStatus', insufficient, `Member must satisfy enum value set: [${INSUFFICIENT.join(', ')}]`);
      }
      config.insufficientDataHealthStatus = insufficient as InsufficientDataHealthStatus;
    }
    return config;
  }

  private effective(check: HealthCheck): boolean {
    if (check.config.disabled) return true;
    return check.config.inverted ? !check.observedHealthy : check.observedHealthy;
  }

  private start(check: HealthCheck): void {
    const type = check.config.type;
    if (isEndpointCheck(type)) this.startCheckers(check);
    else if (type === 'CALCULATED') this.reevaluate(check, 'child health checks evaluated');
    else if (type === 'CLOUDWATCH_METRIC') {
      this.watchAlarms();
      this.reevaluate(check, 'alarm state evaluated');
    }
  }

  private stopCheckers(check: HealthCheck): void {
    for (const checker of check.checkers) {
      if (checker.timer) this.world.clock.cancel(checker.timer);
      this.resting.delete(checker);
    }
  }

  /** One checker per checker region, each at its own phase within the interval, starting from the current verdict. */
  private startCheckers(check: HealthCheck): void {
    this.stopCheckers(check);
    const intervalMs = check.config.requestInterval * 1000;
    const now = this.world.clock.now();
    const regions = check.config.regions ?? CHECKER_REGIONS;
    check.checkers = regions.map((region) => {
      const regionIndex = CHECKER_REGIONS.indexOf(region as (typeof CHECKER_REGIONS)[number]);
      const first = now + Math.floor(check.rng.uniform(0, intervalMs));
      return {
        region,
        ipAddress: `15.177.${regionIndex * 8 + 2}.${check.rng.int(1, 254)}`,
        firstCheckAt: first,
        nextCheckAt: first,
        healthy: check.observedHealthy,
        streak: 0,
      };
    });
    for (const checker of check.checkers) this.scheduleCheck(check, checker);
  }

  private scheduleCheck(check: HealthCheck, checker: Checker): void {
    checker.timer = this.world.clock.schedule(checker.nextCheckAt, () => this.runCheck(check, checker), `route53 health check ${check.id} from ${checker.region}`);
  }

  private runCheck(check: HealthCheck, checker: Checker): void {
    if (check.deleted || !check.checkers.includes(checker)) return;
    checker.nextCheckAt += check.config.requestInterval * 1000;
    this.scheduleCheck(check, checker);
    // A disabled check sends no requests; a checker in a region that is down cannot.
    if (check.config.disabled || !this.world.faults.isRegionUp(checker.region)) return;
    const config = check.config;
    const probe = this.probe(config, checker.region);
    const outcome = judge(config, probe);
    const delay = probe.kind === 'timeout' ? CONNECT_TIMEOUT_MS : this.world.duration('route53.health-check.latency', check.rng);
    const epoch = this.epoch;
    this.world.clock.schedule(
      this.world.clock.now() + delay,
      () => {
        this.record(check, checker, outcome.success, outcome.message);
        // An address answers the same until something changes; a name may resolve elsewhere each time.
        const steady = checker.healthy === outcome.success && checker.streak === 0;
        if (steady && epoch === this.epoch && config.ipAddress !== undefined && check.config === config) this.rest(check, checker, delay);
      },
      `route53 health check ${check.id} result from ${checker.region}`,
    );
  }

  /** Stop checking until the next world event; the checks skipped would only have repeated this one. */
  private rest(check: HealthCheck, checker: Checker, latencyMs: number): void {
    if (checker.timer) this.world.clock.cancel(checker.timer);
    checker.timer = undefined;
    checker.restingLatencyMs = latencyMs;
    this.resting.set(checker, check);
  }

  /** Something changed: every resting checker resumes at its next check after now, as if it had never stopped. */
  private wake(): void {
    if (this.resting.size === 0) return;
    const now = this.world.clock.now();
    for (const [checker, check] of this.resting) {
      checker.last = this.lastReport(check, checker, now);
      const intervalMs = check.config.requestInterval * 1000;
      checker.nextCheckAt = checker.firstCheckAt + (Math.floor((now - checker.firstCheckAt) / intervalMs) + 1) * intervalMs;
      checker.restingLatencyMs = undefined;
      this.scheduleCheck(check, checker);
    }
    this.resting.clear();
  }

  /** What a resting checker would have reported last, had it kept checking: the same answer, at its latest check. */
  private lastReport(check: HealthCheck, checker: Checker, now: number): CheckerReport | undefined {
    const last = checker.last;
    if (!last || checker.restingLatencyMs === undefined || !this.resting.has(checker)) return last;
    const intervalMs = check.config.requestInterval * 1000;
    const latest = checker.firstCheckAt + Math.floor((now - checker.restingLatencyMs - checker.firstCheckAt) / intervalMs) * intervalMs;
    return { ...last, at: Math.max(last.at, latest + checker.restingLatencyMs) };
  }

  private probe(config: HealthCheckConfig, region: string): EndpointProbe {
    const host = this.world.modules().find((m) => typeof (m as Partial<EndpointHost>).probeEndpoint === 'function') as
      | (ServiceModule & EndpointHost)
      | undefined;
    const target: HealthCheckTarget = {
      protocol: config.type === 'TCP' ? 'TCP' : config.type.startsWith('HTTPS') ? 'HTTPS' : 'HTTP',
      port: config.port ?? 80,
      resourcePath: config.resourcePath ? (config.resourcePath.startsWith('/') ? config.resourcePath : `/${config.resourcePath}`) : '/',
      ...(config.ipAddress !== undefined ? { ipAddress: config.ipAddress } : {}),
      ...(config.fullyQualifiedDomainName !== undefined ? { fullyQualifiedDomainName: config.fullyQualifiedDomainName } : {}),
    };
    // Nothing in the sim serves this endpoint: a name does not resolve, an address leads nowhere.
    if (!host) return config.ipAddress === undefined ? { kind: 'dns-failure', rcode: 'NXDOMAIN' } : { kind: 'timeout' };
    return host.probeEndpoint(target, { region });
  }

  private record(check: HealthCheck, checker: Checker, success: boolean, message: string): void {
    if (check.deleted || !check.checkers.includes(checker)) return;
    checker.last = { at: this.world.clock.now(), success, message };
    if (success === checker.healthy) {
      checker.streak = 0;
      return;
    }
    checker.streak++;
    if (checker.streak < check.config.failureThreshold) return;
    checker.healthy = success;
    checker.streak = 0;
    this.reevaluate(check, message);
  }

  /** Work out the observed and effective status again; emit on a flip and pass it on to calculated parents. */
  private reevaluate(check: HealthCheck, reason: string): void {
    if (check.deleted) return;
    const observed = this.observe(check);
    if (observed !== undefined) check.observedHealthy = observed;
    const healthy = this.effective(check);
    if (healthy === check.healthy) return;
    check.healthy = healthy;
    const c = check.config;
    this.world.emit('route53.health-check.status', {
      id: check.id,
      healthy,
      status: healthy ? 'Healthy' : 'Unhealthy',
      observedHealthy: check.observedHealthy,
      inverted: c.inverted,
      disabled: c.disabled,
      target: describeTarget(c),
      reason,
    });
    for (const parent of this.parentsOf(check.id)) this.reevaluate(parent, `child health check ${check.id} is ${healthy ? 'healthy' : 'unhealthy'}`);
  }

  /** The endpoint's health before Inverted/Disabled; undefined when nothing new is known. */
  private observe(check: HealthCheck): boolean | undefined {
    const c = check.config;
    if (isEndpointCheck(c.type)) {
      const reporting = check.checkers.filter((k) => this.world.faults.isRegionUp(k.region));
      if (reporting.length === 0) return undefined;
      return reporting.filter((k) => k.healthy).length / reporting.length > HEALTHY_SHARE;
    }
    if (c.type === 'CALCULATED') {
      const healthy = (c.childHealthChecks ?? []).filter((child) => this.isHealthy(child)).length;
      return healthy >= (c.healthThreshold ?? 0);
    }
    if (c.type === 'CLOUDWATCH_METRIC' && c.alarmIdentifier) {
      const state = this.alarms()?.find(c.alarmIdentifier.name, c.alarmIdentifier.region)?.state ?? 'INSUFFICIENT_DATA';
      if (state === 'OK') return true;
      if (state === 'ALARM') return false;
      if (c.insufficientDataHealthStatus === 'Healthy') return true;
      if (c.insufficientDataHealthStatus === 'Unhealthy') return false;
      return undefined;
    }
    return undefined;
  }

  private parentsOf(id: string): HealthCheck[] {
    return this.all().filter((c) => c.config.type === 'CALCULATED' && (c.config.childHealthChecks ?? []).includes(id));
  }

  private alarms(): AlarmSource | undefined {
    const found = this.world.modules().find((m) => m.name === 'cloudwatch');
    const source = found as Partial<AlarmSource> | undefined;
    return source && typeof source.find === 'function' && typeof source.onAlarmChange === 'function' ? (source as AlarmSource) : undefined;
  }

  private watchAlarms(): void {
    if (this.alarmsWatched) return;
    const source = this.alarms();
    if (!source) return;
    this.alarmsWatched = true;
    source.onAlarmChange(({ alarm }) => {
      for (const check of this.all()) {
        const id = check.config.alarmIdentifier;
        if (check.config.type === 'CLOUDWATCH_METRIC' && id && id.name === alarm.name && id.region === alarm.region) {
          this.reevaluate(check, `alarm ${alarm.name} changed state`);
        }
      }
    });
  }
}

/** Success or failure of one check, in Route 53's words. */
function judge(config: HealthCheckConfig, probe: EndpointProbe): { success: boolean; message: string } {
  switch (probe.kind) {
    case 'timeout':
      return {
        success: false,
        message:
          'Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall. See https://docs.aws.amazon.com/console/route53/health-checks-connection-timed-out',
      };
    case 'refused':
      return { success: false, message: 'Failure: Connection refused. The endpoint is not listening on the port, or requests are being blocked by your firewall.' };
    case 'dns-failure':
      return { success: false, message: `Failure: DNS resolution failed: Rcode ${probe.rcode === 'NXDOMAIN' ? 'NXDomain(3)' : 'ServFail(2)'}` };
    case 'connected':
      return config.type === 'TCP'
        ? { success: true, message: 'Success: TCP connection established.' }
        : { success: false, message: 'Failure: The endpoint closed the connection without an HTTP response.' };
    case 'response': {
      if (config.type === 'TCP') return { success: true, message: 'Success: TCP connection established.' };
      const reason = reasons[probe.status] ?? '';
      const line = `HTTP Status Code ${probe.status}${reason ? `, ${reason}` : ''}`;
      if (probe.status < 200 || probe.status >= 400) return { success: false, message: `Failure: ${line}` };
      // Route 53 searches the first 5,120 bytes of the body.
      if (config.searchString !== undefined && !probe.body.slice(0, 5120).includes(config.searchString)) {
        return { success: false, message: 'Failure: Specified search string not found in response.' };
      }
      return { success: true, message: `Success: ${line}` };
    }
  }
}

function describeTarget(config: HealthCheckConfig): string {
  if (config.type === 'CALCULATED') return `calculated(${(config.childHealthChecks ?? []).join(',')})`;
  if (config.type === 'CLOUDWATCH_METRIC') return `alarm ${config.alarmIdentifier?.region}/${config.alarmIdentifier?.name}`;
  const host = config.fullyQualifiedDomainName ?? config.ipAddress ?? '?';
  const scheme = config.type === 'TCP' ? 'tcp' : config.type.startsWith('HTTPS') ? 'https' : 'http';
  return `${scheme}://${host}:${config.port}${config.type === 'TCP' ? '' : config.resourcePath ?? '/'}`;
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}

/** MaxItems as Route 53 reads it: a default when absent, at most `max`, at least 1. */
export function pageSize(requested: number | undefined, fallback: number, max: number): number {
  if (requested === undefined) return fallback;
  if (requested < 1) throw route53Errors.validation('maxItems', requested, 'Member must have value greater than or equal to 1');
  return Math.min(requested, max);
}
