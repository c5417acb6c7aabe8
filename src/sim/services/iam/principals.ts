import type { Identity, SimWorld } from '../../types.js';

/**
 * Who a call's identity is, in the words STS, CloudTrail and GuardDuty use
 * for an assumed role: every sim access key acts as a role session
 * (`arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, see World.identityOf).
 */

/** IAM's unique-id alphabet: role ids are `AROA` and 17 of these. */
const UNIQUE_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The IAM role behind an identity: `arn:aws:iam::ACCOUNT:role/ROLE`. */
export function roleArnOf(accountId: string, role: string): string {
  return `arn:aws:iam::${accountId}:role/${role}`;
}

/** The role session name, the last segment of an assumed-role ARN. */
export function sessionNameOf(identity: Identity): string {
  const at = identity.arn.lastIndexOf('/');
  return at < 0 ? identity.role : identity.arn.slice(at + 1);
}

/**
 * The role's unique id (`AROA…`). Drawn from a stream forked by role name,
 * so it depends on the seed and the role, never on call order.
 */
export function roleIdOf(world: SimWorld, role: string): string {
  return 'AROA' + world.rng.fork(`iam:role-id:${role}`).alnum(17, UNIQUE_ID_ALPHABET);
}

/** `AROA…:SESSION`, what STS calls UserId and CloudTrail principalId for a role session. */
export function principalIdOf(world: SimWorld, identity: Identity): string {
  return `${roleIdOf(world, identity.role)}:${sessionNameOf(identity)}`;
}
