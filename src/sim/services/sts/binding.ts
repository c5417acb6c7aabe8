import { createQueryBinding, q, queryOperation, type QueryBinding } from '../../protocols/query.js';
import type { StsModel } from './model.js';

export const STS_VERSION = '2011-06-15';
export const STS_XML_NAMESPACE = `https://sts.amazonaws.com/doc/${STS_VERSION}/`;

/** STS on the wire (awsQuery): one row per operation. */
export function createStsBinding(model: StsModel): QueryBinding {
  return createQueryBinding({
    signingName: 'sts',
    eventSource: 'sts.amazonaws.com',
    xmlNamespace: STS_XML_NAMESPACE,
    memberNames: {},
    operations: {
      GetCallerIdentity: queryOperation({
        input: q.struct({}),
        run: (_input, ctx) => ({ ...model.callerIdentity(ctx) }),
      }),
      GetAccessKeyInfo: queryOperation({
        input: q.struct({ AccessKeyId: q.string() }),
        run: (input, ctx) => ({ Account: model.accountOfAccessKey(input.AccessKeyId, ctx) }),
      }),
      AssumeRole: queryOperation({
        // Required members are optional here: STS answers a missing one with ValidationError, not MissingParameter.
        input: q.struct({
          RoleArn: q.string().optional(),
          RoleSessionName: q.string().optional(),
          DurationSeconds: q.integer().optional(),
          ExternalId: q.string().optional(),
          SourceIdentity: q.string().optional(),
        }),
        run: (input, ctx) => model.assumeRole(input, ctx),
        resources: (input) => (input.RoleArn ? [{ type: 'AWS::IAM::Role', name: input.RoleArn }] : []),
      }),
    },
  });
}
