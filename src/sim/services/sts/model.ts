import { AwsError, type CallContext, type Rng, type SimWorld } from '../../types.js';
import { principalIdOf, roleIdOf } from '../iam/principals.js';

/** What STS answers about the caller: the sim's identities are role sessions (World.identityOf). */
export interface CallerIdentity {
  UserId: string;
  Account: string;
  Arn: string;
}

export interface AssumeRoleInput {
  RoleArn?: string;
  RoleSessionName?: string;
  DurationSeconds?: number;
  ExternalId?: string;
  SourceIdentity?: string;
}

/** AssumeRole's answer, in the SDK's member names (type aliases, so the wire codec can take them as they are). */
export type TemporaryCredentials = {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: Date;
};

export type AssumeRoleOutput = {
  Credentials: TemporaryCredentials;
  AssumedRoleUser: { AssumedRoleId: string; Arn: string };
  SourceIdentity?: string;
};

/** A role session STS issued: the temporary access key acts as `role` for the rest of the run. */
export interface RoleSession {
  accessKeyId: string;
  role: string;
  roleArn: string;
  sessionName: string;
  /** ARN of the identity that assumed the role. */
  assumedBy: string;
  issuedAt: number;
  expiresAt: number;
  /** Recorded as given; the sim's roles have no trust policy that asks for one. */
  externalId?: string;
  sourceIdentity?: string;
}

const DEFAULT_DURATION_SECONDS = 3600;
const MIN_DURATION_SECONDS = 900;
/** The most any role's MaxSessionDuration allows; the sim's roles allow it. */
const MAX_DURATION_SECONDS = 43_200;
/** IAM's unique-id alphabet: temporary access key ids are `ASIA` and 16 of these. */
const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]*$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]*$/;

/** One constraint a member fails, in the words of STS's ValidationError. */
type Violation = string;

function lengthBetween(value: string, member: string, min: number, max: number): Violation | undefined {
  if (value.length < min) return `Value '${value}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`;
  if (value.length > max) return `Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`;
  return undefined;
}

function pattern(value: string, member: string, regex: RegExp, shown: string): Violation | undefined {
  return regex.test(value) ? undefined : `Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${shown}`;
}

/** STS answers every broken constraint at once: "2 validation errors detected: …; …". */
function validationError(violations: readonly Violation[]): AwsError {
  const count = violations.length;
  return new AwsError('ValidationError', `${count} validation error${count === 1 ? '' : 's'} detected: ${violations.join('; ')}`, 400);
}

export class StsModel {
  /** Temporary access key id → the role session it acts as. */
  private readonly sessions = new Map<string, RoleSession>();
  private readonly credentialsRng: Rng;

  constructor(private readonly world: SimWorld) {
    this.credentialsRng = world.rng.fork('sts:credentials');
  }

  callerIdentity(ctx: CallContext): CallerIdentity {
    return { UserId: principalIdOf(ctx.world, ctx.identity), Account: ctx.accountId, Arn: ctx.identity.arn };
  }

  /** GetAccessKeyInfo: every key the sim accepts belongs to its one account. */
  accountOfAccessKey(_accessKeyId: string, ctx: CallContext): string {
    return ctx.accountId;
  }

  /**
   * AssumeRole: temporary credentials for a role of the account. The role
   * must exist (the network module declares the account's roles); anyone may
   * assume any role, as the sim has no trust policies. The new access key
   * acts as the role from now on (World.identityOf asks sessionOf).
   */
  assumeRole(input: AssumeRoleInput, ctx: CallContext): AssumeRoleOutput {
    const violations: Violation[] = [];
    const { RoleArn, RoleSessionName, ExternalId, SourceIdentity } = input;
    const duration = input.DurationSeconds ?? DEFAULT_DURATION_SECONDS;
    if (RoleArn === undefined) violations.push("Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    else {
      const problem = lengthBetween(RoleArn, 'roleArn', 20, 2048);
      if (problem) violations.push(problem);
    }
    if (RoleSessionName === undefined) violations.push("Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
    else {
      const problem = lengthBetween(RoleSessionName, 'roleSessionName', 2, 64) ?? pattern(RoleSessionName, 'roleSessionName', SESSION_NAME, '[\\w+=,.@-]*');
      if (problem) violations.push(problem);
    }
    if (duration < MIN_DURATION_SECONDS) {
      violations.push(`Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${MIN_DURATION_SECONDS}`);
    } else if (duration > MAX_DURATION_SECONDS) {
      violations.push(`Value '${duration}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${MAX_DURATION_SECONDS}`);
    }
    if (ExternalId !== undefined) {
      const problem = lengthBetween(ExternalId, 'externalId', 2, 1224) ?? pattern(ExternalId, 'externalId', EXTERNAL_ID, '[\\w+=,.@:\\/-]*');
      if (problem) violations.push(problem);
    }
    if (SourceIdentity !== undefined) {
      const problem = lengthBetween(SourceIdentity, 'sourceIdentity', 2, 64) ?? pattern(SourceIdentity, 'sourceIdentity', SESSION_NAME, '[\\w+=,.@-]*');
      if (problem) violations.push(problem);
    }
    if (violations.length > 0) throw validationError(violations);

    const roleArn = RoleArn!;
    const sessionName = RoleSessionName!;
    const parsed = ROLE_ARN.exec(roleArn);
    if (!parsed) throw new AwsError('ValidationError', 'Request ARN is invalid', 400);
    const role = this.roleOf(roleArn, parsed[1]!, ctx);
    if (!role) {
      throw new AwsError('AccessDenied', `User: ${ctx.identity.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
    }

    const now = this.world.clock.now();
    const rng = this.credentialsRng;
    const session: RoleSession = {
      accessKeyId: `ASIA${rng.alnum(16, KEY_ID_ALPHABET)}`,
      role,
      roleArn,
      sessionName,
      assumedBy: ctx.identity.arn,
      issuedAt: now,
      expiresAt: now + duration * 1000,
      ...(ExternalId !== undefined ? { externalId: ExternalId } : {}),
      ...(SourceIdentity !== undefined ? { sourceIdentity: SourceIdentity } : {}),
    };
    this.sessions.set(session.accessKeyId, session);
    const arn = `arn:aws:sts::${ctx.accountId}:assumed-role/${role}/${sessionName}`;
    // No secret in the event: the timeline ends up in reports.
    this.world.emit('sts.role-assumed', {
      role,
      roleArn,
      sessionName,
      accessKeyId: session.accessKeyId,
      assumedBy: session.assumedBy,
      expiresAt: session.expiresAt,
      ...(ExternalId !== undefined ? { externalId: ExternalId } : {}),
    });
    return {
      Credentials: {
        AccessKeyId: session.accessKeyId,
        SecretAccessKey: rng.alnum(40, SECRET_ALPHABET),
        SessionToken: `IQoJb3JpZ2luX2VjE${rng.alnum(400, SECRET_ALPHABET)}`,
        Expiration: new Date(session.expiresAt),
      },
      AssumedRoleUser: { AssumedRoleId: `${roleIdOf(this.world, role)}:${sessionName}`, Arn: arn },
      ...(SourceIdentity !== undefined ? { SourceIdentity } : {}),
    };
  }

  /** The role session a temporary access key acts as; undefined for a key STS did not issue. */
  sessionOf(accessKeyId: string): RoleSession | undefined {
    return this.sessions.get(accessKeyId);
  }

  /** Every session issued, oldest first. */
  issuedSessions(): RoleSession[] {
    return [...this.sessions.values()];
  }

  /** The role's name, when the ARN names a role of this account that exists. */
  private roleOf(roleArn: string, account: string, ctx: CallContext): string | undefined {
    if (account !== ctx.accountId) return undefined;
    const network = this.world.findModule('network');
    return network?.roles().find((r) => r.arn === roleArn)?.RoleName;
  }
}
