import type { AuthorizationRequest, AwsError, ServiceBinding, ServiceModule, SimWorld } from '../../types.js';
import { createIamBinding } from './binding.js';
import { accessDenied, protectionRules } from './rules.js';
import { BACKUP_ADMIN_ROLE, isAccessDenialObserver, type AccessDenial, type ProtectionPolicy, type ProtectionRule } from './types.js';

export { principalIdOf, roleArnOf, roleIdOf, sessionNameOf } from './principals.js';
export { accessDenied, notAuthorizedMessage, protectionRules } from './rules.js';
export {
  BACKUP_ADMIN_ROLE,
  isAccessDenialObserver,
  isBucketVersioningSource,
  type AccessDenial,
  type AccessDenialObserver,
  type BucketVersioningSource,
  type ProtectedTarget,
  type ProtectionPolicy,
  type ProtectionRule,
} from './types.js';

export interface IamModuleOptions {
  /** The protected operations; the sim's policy unless a test wants its own. */
  rules?: readonly ProtectionRule[];
  /** Roles allowed to call them. */
  allowedRoles?: readonly string[];
  /** What the rules are told by whoever builds the sim (the exempt tag). */
  policy?: ProtectionPolicy;
}

/**
 * The sim's IAM: the roles' reads (GetRole, ListRoles) and the rules the
 * dispatcher asks before every call. A refused call is kept, emitted on the timeline and
 * handed to every AccessDenialObserver (GuardDuty raises a finding).
 */
export class IamModule implements ServiceModule {
  readonly name = 'iam';
  readonly binding: ServiceBinding;
  private readonly rules = new Map<string, ProtectionRule>();
  private readonly allowedRoles: ReadonlySet<string>;
  private readonly policy: ProtectionPolicy;
  private refused: AccessDenial[] = [];
  private readonly byRequestId = new Map<string, AccessDenial>();

  constructor(
    private readonly world: SimWorld,
    options: IamModuleOptions = {},
  ) {
    for (const rule of options.rules ?? protectionRules) {
      const key = `${rule.service}:${rule.operation}`;
      if (this.rules.has(key)) throw new Error(`two IAM rules for ${key}`);
      this.rules.set(key, rule);
    }
    this.allowedRoles = new Set(options.allowedRoles ?? [BACKUP_ADMIN_ROLE]);
    this.policy = { ...options.policy };
    this.binding = createIamBinding(world);
    // A refusal is kept as long as the audit record of its call, no longer: a
    // server that runs for days must not grow with every refused request.
    world.onAuditDropped((dropped) => {
      let any = false;
      for (const record of dropped) any = this.byRequestId.delete(record.requestId) || any;
      if (any) this.refused = this.refused.filter((denial) => this.byRequestId.has(denial.requestId));
    });
  }

  authorize(call: AuthorizationRequest): AwsError | undefined {
    const rule = this.rules.get(`${call.service}:${call.operation}`);
    if (!rule || this.allowedRoles.has(call.ctx.identity.role)) return undefined;
    const target = rule.target(call, this.policy);
    if (!target) return undefined;
    const error = accessDenied(call, rule.action, target.arn);
    this.deny({
      at: this.world.clock.now(),
      region: call.ctx.region,
      accountId: call.ctx.accountId,
      service: call.service,
      eventSource: `${call.service}.amazonaws.com`,
      operation: call.operation,
      action: rule.action,
      target,
      identity: call.ctx.identity,
      requestId: call.ctx.requestId,
      error,
    });
    return error;
  }

  /** Every refused call, oldest first. */
  denials(): readonly AccessDenial[] {
    return this.refused;
  }

  /** The refusal of one request, by its request id (CloudTrail names the resource of a refused call from it). */
  denialOf(requestId: string): AccessDenial | undefined {
    return this.byRequestId.get(requestId);
  }

  private deny(denial: AccessDenial): void {
    this.refused.push(denial);
    this.byRequestId.set(denial.requestId, denial);
    this.world.emit('iam.access-denied', {
      region: denial.region,
      principal: denial.identity.arn,
      role: denial.identity.role,
      action: denial.action,
      resource: denial.target.arn,
      errorCode: denial.error.code,
      requestId: denial.requestId,
    });
    for (const module of this.world.modules()) {
      if (module !== this && isAccessDenialObserver(module)) module.observeAccessDenial(denial);
    }
  }
}

export function createIamModule(world: SimWorld, options?: IamModuleOptions): IamModule {
  return new IamModule(world, options);
}
