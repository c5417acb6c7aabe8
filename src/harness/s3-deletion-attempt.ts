import { DeleteObjectCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { assumedRoleOf, resolveAlias } from '../env/index.js';
import { alias, knownRole } from './checks.js';
import { errorCode } from './aws-error.js';
import type { ScenarioContext } from './scenario.js';
import { step } from './types.js';

/**
 * An attempt to delete backups kept in S3: another role deletes one object
 * version (the data itself, not a delete marker) from a bucket. Refused, it
 * is what `the request is denied` and `a "…" finding is raised` judge
 * (GuardDuty's Impact:S3/AnomalousBehavior.Delete for a bucket of backups).
 */
export async function tryDeleteObjectVersion(ctx: ScenarioContext, role: string, bucketAlias: string): Promise<void> {
  const bucket = resolveAlias(ctx.env, bucketAlias, ['s3-bucket']);
  const { Versions } = await ctx.target.clients.s3(bucket.region).send(new ListObjectVersionsCommand({ Bucket: bucket.identifier, MaxKeys: 1 }));
  const version = Versions?.[0];
  if (!version?.Key || !version.VersionId) throw new Error(`${bucket.identifier} holds no object version to try deleting`);
  const input = { Bucket: bucket.identifier, Key: version.Key, VersionId: version.VersionId };
  // Journalled before it is tried; irreversible only if it is not refused (a refusal changed nothing).
  const attempt = ctx.cleanup.begin(`object version deletion attempt by ${role}`, { service: 's3', region: bucket.region, operation: 'DeleteObject', input });
  try {
    await ctx.target.clientsAs(role).s3(bucket.region).send(new DeleteObjectCommand(input));
    attempt.irreversible();
    ctx.lastError = undefined;
    ctx.emit({ kind: 'info', detail: { message: `${role} deleted version ${version.VersionId} of s3://${bucket.identifier}/${version.Key}` } });
  } catch (error) {
    ctx.lastError = { code: errorCode(error), message: (error as Error).message, operation: 'DeleteObject' };
    ctx.emit({ kind: 'info', detail: { message: `${role}'s DeleteObject of a version in ${bucket.identifier} was refused: ${ctx.lastError.code}` } });
  }
}

export const roleDeletesObjectVersion = step({
  keyword: 'When',
  // Issue 16: the brief's "unauthorised attempts to delete S3 backups", made with the role's own credentials.
  phrase: 'the {string} role tries to delete an object version in {string}',
  check: ([role, name], context) => {
    knownRole(role, context);
    alias(['s3-bucket'])(name, context);
  },
  calls: ([role, name], env) => [
    ...(env.target === 'aws' ? [`sts:AssumeRole ${assumedRoleOf(env, role).roleArn} (session gameday-<run id>)`] : []),
    `s3:ListObjectVersions of ${name} (its first version)`,
    `s3:DeleteObject of that version, as ${role} (mutating if allowed: the version is gone)`,
  ],
  run: (ctx, [role, name]) => tryDeleteObjectVersion(ctx, role, name),
});
