import type { CallContext } from '../../types.js';
import { principalIdOf } from '../iam/principals.js';

/** What STS answers about the caller: the sim's identities are role sessions (World.identityOf). */
export interface CallerIdentity {
  UserId: string;
  Account: string;
  Arn: string;
}

export class StsModel {
  callerIdentity(ctx: CallContext): CallerIdentity {
    return { UserId: principalIdOf(ctx.world, ctx.identity), Account: ctx.accountId, Arn: ctx.identity.arn };
  }

  /** GetAccessKeyInfo: every key the sim accepts belongs to its one account. */
  accountOfAccessKey(_accessKeyId: string, ctx: CallContext): string {
    return ctx.accountId;
  }
}
