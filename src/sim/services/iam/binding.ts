import { createQueryBinding, q, queryOperation, type QueryBinding, type QueryOutput } from '../../protocols/query.js';
import { AwsError, type SimWorld, type TargetableResource } from '../../types.js';
import { roleIdOf } from './principals.js';

export const IAM_VERSION = '2010-05-08';
export const IAM_XML_NAMESPACE = `https://iam.amazonaws.com/doc/${IAM_VERSION}/`;

/** A role as the network module declares it for FIS to target (structural: IAM does not import the network module). */
interface DeclaredRole extends TargetableResource {
  RoleName: string;
  createdAt: number;
}

/** The trust policy of every sim role: assumable by the account's principals, as a role for a game day's runner is. */
function trustPolicy(accountId: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'sts:AssumeRole' }] });
}

/**
 * IAM's read calls for the roles the account declares (sim.roles): GetRole,
 * ListRoles and ListRoleTags, as an account answers them to whoever resolves
 * an aws:iam:role target (ListRoles carries no tags: a target by tags reads
 * each role's). IAM is global: any region's signature reaches it.
 */
export function createIamBinding(world: SimWorld): QueryBinding {
  const roles = (): DeclaredRole[] => {
    const out: DeclaredRole[] = [];
    for (const module of world.modules()) {
      for (const resource of module.targetable?.('aws:iam:role', 'global') ?? []) {
        const role = resource as Partial<DeclaredRole>;
        if (typeof role.RoleName === 'string' && typeof role.createdAt === 'number') out.push(resource as DeclaredRole);
      }
    }
    return out.sort((a, b) => (a.RoleName < b.RoleName ? -1 : a.RoleName > b.RoleName ? 1 : 0));
  };
  const shape = (role: DeclaredRole): QueryOutput => ({
    Path: '/',
    RoleName: role.RoleName,
    RoleId: roleIdOf(world, role.RoleName),
    Arn: role.arn,
    CreateDate: new Date(role.createdAt),
    // IAM answers the trust policy URL-encoded.
    AssumeRolePolicyDocument: encodeURIComponent(trustPolicy(world.accountId)),
    MaxSessionDuration: 3600,
    Tags: Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })),
  });
  return createQueryBinding({
    signingName: 'iam',
    eventSource: 'iam.amazonaws.com',
    xmlNamespace: IAM_XML_NAMESPACE,
    memberNames: {},
    operations: {
      GetRole: queryOperation({
        input: q.struct({ RoleName: q.string() }),
        run: (input) => {
          const role = roles().find((r) => r.RoleName === input.RoleName);
          if (!role) throw new AwsError('NoSuchEntity', `The role with name ${input.RoleName} cannot be found.`, 404);
          return { Role: shape(role) };
        },
        resources: (input) => [{ type: 'AWS::IAM::Role', name: input.RoleName }],
      }),
      ListRoleTags: queryOperation({
        input: q.struct({ RoleName: q.string(), Marker: q.string().optional(), MaxItems: q.integer().optional() }),
        run: (input) => {
          const role = roles().find((r) => r.RoleName === input.RoleName);
          if (!role) throw new AwsError('NoSuchEntity', `The role with name ${input.RoleName} cannot be found.`, 404);
          if (input.MaxItems !== undefined && (input.MaxItems < 1 || input.MaxItems > 1000)) {
            throw new AwsError('ValidationError', `1 validation error detected: Value '${input.MaxItems}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`, 400);
          }
          const all = Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value }));
          const from = input.Marker ? Number.parseInt(Buffer.from(input.Marker, 'base64url').toString('utf8'), 10) : 0;
          if (!Number.isSafeInteger(from) || from < 0) throw new AwsError('ValidationError', 'Invalid Marker.', 400);
          const page = all.slice(from, from + (input.MaxItems ?? 100));
          const more = from + page.length < all.length;
          return { Tags: page, IsTruncated: more, ...(more ? { Marker: Buffer.from(String(from + page.length), 'utf8').toString('base64url') } : {}) };
        },
        resources: (input) => [{ type: 'AWS::IAM::Role', name: input.RoleName }],
      }),
      ListRoles: queryOperation({
        input: q.struct({ PathPrefix: q.string().optional(), Marker: q.string().optional(), MaxItems: q.integer().optional() }),
        run: (input) => {
          if (input.MaxItems !== undefined && (input.MaxItems < 1 || input.MaxItems > 1000)) {
            throw new AwsError('ValidationError', `1 validation error detected: Value '${input.MaxItems}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`, 400);
          }
          // Every sim role's path is `/`.
          const all = (input.PathPrefix ?? '/').startsWith('/') && '/'.startsWith(input.PathPrefix ?? '/') ? roles() : [];
          const start = input.Marker ? all.findIndex((r) => r.RoleName > Buffer.from(input.Marker!, 'base64url').toString('utf8')) : 0;
          const from = start < 0 ? all.length : start;
          const page = all.slice(from, from + (input.MaxItems ?? 100));
          const more = from + page.length < all.length;
          return { Roles: page.map(shape), IsTruncated: more, ...(more ? { Marker: Buffer.from(page.at(-1)!.RoleName, 'utf8').toString('base64url') } : {}) };
        },
      }),
    },
  });
}
