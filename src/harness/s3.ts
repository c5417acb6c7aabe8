import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { resolveAlias, type S3Bucket } from '../env/index.js';
import { formatSeconds } from './duration.js';
import { errorCode } from './aws-error.js';
import { action } from './wait.js';
import type { ScenarioContext } from './scenario.js';
import { alias, interval } from './checks.js';
import { step } from './types.js';

/**
 * S3: overwriting an object and restoring the version it replaced, a canary
 * of small objects for buckets, and the check that every canary object is
 * replicated within a bound.
 */

export function bucket(ctx: ScenarioContext, alias: string): S3Bucket {
  return resolveAlias(ctx.env, alias, ['s3-bucket']);
}

async function bodyText(body: unknown): Promise<string> {
  return (body as { transformToString(): Promise<string> }).transformToString();
}

/** Overwrite the bucket's first object with the wrong content; the version it replaced is kept for the check. */
export async function overwrite(ctx: ScenarioContext, alias: string): Promise<void> {
  const target = bucket(ctx, alias);
  const s3 = ctx.target.clients.s3(target.region);
  const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: target.identifier, MaxKeys: 1 }));
  const key = Contents?.[0]?.Key;
  if (!key) throw new Error(`${target.identifier} holds no object to overwrite`);
  const original = await s3.send(new GetObjectCommand({ Bucket: target.identifier, Key: key }));
  const text = await bodyText(original.Body);
  ctx.markIncident('fault', ctx.clock.now(), `${alias}/${key} overwritten`);
  await s3.send(new PutObjectCommand({ Bucket: target.identifier, Key: key, Body: 'overwritten by a runaway export job' }));
  ctx.overwritten.set(alias, { key, body: text, ...(original.VersionId ? { versionId: original.VersionId } : {}) });
  ctx.emit({ kind: 'fault.injected', detail: { fault: `${alias}/${key} overwritten`, experimentId: '', action: 'PutObject over the current version', region: target.region } });
}

/** CopyObject of the version the incident replaced over the current one: S3's restore-a-version pattern. */
export async function restorePreviousVersion(ctx: ScenarioContext, alias: string): Promise<void> {
  const target = bucket(ctx, alias);
  const incident = ctx.overwritten.get(alias);
  if (!incident) throw new Error(`nothing in "${alias}" was overwritten in this scenario`);
  const s3 = ctx.target.clients.s3(target.region);
  await action(ctx, 's3', 'restore previous version', `${alias}/${incident.key}`, target.region, async () => {
    const { Versions } = await s3.send(new ListObjectVersionsCommand({ Bucket: target.identifier, Prefix: incident.key }));
    const previous = incident.versionId ?? Versions?.filter((v) => v.Key === incident.key && !v.IsLatest)[0]?.VersionId;
    if (!previous) throw new Error(`${target.identifier}/${incident.key} has no previous version: is versioning on?`);
    ctx.cleanup
      .begin(`restore of ${incident.key}`, { service: 's3', region: target.region, operation: 'CopyObject', input: { Bucket: target.identifier, Key: incident.key, VersionId: previous } })
      .irreversible();
    await s3.send(
      new CopyObjectCommand({
        Bucket: target.identifier,
        Key: incident.key,
        CopySource: `${target.identifier}/${encodeURIComponent(incident.key)}?versionId=${encodeURIComponent(previous)}`,
      }),
    );
    return previous;
  }, (version) => `version ${version} is current again`);
  ctx.restoredTo.set(alias, { source: alias, at: ctx.incident?.at ?? ctx.clock.now() });
}

export async function checkRestoredObject(ctx: ScenarioContext, alias: string): Promise<void> {
  const incident = ctx.overwritten.get(alias);
  if (!incident) throw new Error(`nothing in "${alias}" was overwritten in this scenario`);
  const target = bucket(ctx, alias);
  const current = await ctx.target.clients.s3(target.region).send(new GetObjectCommand({ Bucket: target.identifier, Key: incident.key }));
  const text = await bodyText(current.Body);
  const same = text === incident.body;
  const evidence = `${target.identifier}/${incident.key} ${same ? 'holds' : 'does not hold'} its content from before the incident (${text.length} bytes)`;
  ctx.emit({ kind: same ? 'check.passed' : 'check.failed', detail: { check: 'restored data', subject: alias, evidence } });
  if (!same) throw new Error(evidence);
}

/** A canary for buckets: one small object per interval under gameday/<run>/, as an actor. */
export function startObjectCanary(ctx: ScenarioContext, alias: string, intervalSeconds: number): void {
  const target = bucket(ctx, alias);
  const s3 = ctx.target.clients.s3(target.region);
  const written: { key: string; at: number; versionId?: string }[] = [];
  let stopped = false;
  ctx.objectCanaries.set(alias, { written, intervalSeconds, stop: () => (stopped = true) });
  void ctx.clock.spawn(`canary:${alias}`, async () => {
    for (let seq = 1; !stopped && !ctx.signal.aborted; seq++) {
      const key = `gameday/${ctx.info.runId}/${String(seq).padStart(6, '0')}.json`;
      const at = ctx.clock.now();
      try {
        const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: target.identifier, Key: key, Body: JSON.stringify({ seq, at }) }));
        written.push({ key, at, ...(VersionId ? { versionId: VersionId } : {}) });
        ctx.emit({ kind: 'canary.write', detail: { canary: alias, seq, ok: true } });
      } catch (error) {
        ctx.emit({ kind: 'canary.write', detail: { canary: alias, seq, ok: false, error: errorCode(error) } });
      }
      await ctx.clock.sleep(intervalSeconds * 1000, 'until the next object', ctx.signal);
    }
  });
}

/** Every canary object reaches the destination: replication status COMPLETED on the source, within the bound. */
export async function checkReplication(ctx: ScenarioContext, alias: string, destinationAlias: string, withinSeconds: number): Promise<void> {
  const canary = ctx.objectCanaries.get(alias);
  if (!canary) throw new Error(`no objects are being written to "${alias}": add "Given objects are written to "${alias}" every 10 seconds"`);
  canary.stop();
  const source = bucket(ctx, alias);
  const destination = bucket(ctx, destinationAlias);
  // Replication takes seconds to minutes; a 30 s look is resolution enough against a 15-minute bound.
  const pollMs = 30_000;
  const lags = new Map<string, number>();
  const deadline = Math.max(...canary.written.map((w) => w.at), ctx.clock.now()) + withinSeconds * 1000;
  for (;;) {
    for (const written of canary.written) {
      if (lags.has(written.key)) continue;
      const head = await ctx.target.clients.s3(source.region).send(new HeadObjectCommand({ Bucket: source.identifier, Key: written.key, VersionId: written.versionId }));
      if (head.ReplicationStatus === 'COMPLETED') lags.set(written.key, (ctx.clock.now() - written.at) / 1000);
      else if (head.ReplicationStatus === 'FAILED') throw new Error(`replication of ${written.key} to ${destination.identifier} FAILED`);
      // Objects written later are rarely through before this one: look at them next round.
      else break;
    }
    if (lags.size === canary.written.length || ctx.clock.now() >= deadline) break;
    ctx.checkInterrupted();
    await ctx.clock.sleep(pollMs, `objects to reach ${destination.identifier}`, ctx.signal);
  }
  const slowest = Math.max(0, ...lags.values());
  const missing = canary.written.length - lags.size;
  const evidence = `${lags.size} of ${canary.written.length} objects replicated to ${destination.identifier}; slowest seen after ${formatSeconds(slowest)} (±${pollMs / 1000} s), bound ${formatSeconds(withinSeconds)}`;
  const ok = missing === 0 && slowest <= withinSeconds;
  ctx.emit({ kind: ok ? 'check.passed' : 'check.failed', detail: { check: 'replication', subject: `${alias} → ${destinationAlias}`, evidence } });
  if (!ok) throw new Error(evidence);
}

export const objectsWritten = step({
  keyword: 'Given',
  // Extension: a canary for buckets.
  phrase: 'objects are written to {string} every {duration}',
  check: ([name, every], context) => {
    alias(['s3-bucket'])(name, context);
    interval(every, 'objects');
  },
  run: async (ctx, [name, every]) => startObjectCanary(ctx, name, every),
});

export const objectOverwritten = step({
  keyword: 'When',
  phrase: '{string} is overwritten',
  incident: 'fault',
  check: ([name], context) => alias(['s3-bucket'])(name, context),
  calls: ([name]) => [`s3:PutObject over the first object of ${name} (mutating, data)`],
  run: (ctx, [name]) => overwrite(ctx, name),
});

export const previousVersionRestored = step({
  keyword: 'When',
  // Extension: S3's restore-a-version pattern.
  phrase: 'the previous version in {string} is restored',
  check: ([name], context) => alias(['s3-bucket'])(name, context),
  calls: ([name]) => [`s3:ListObjectVersions, s3:CopyObject of the previous version over the current one in ${name} (mutating)`],
  run: (ctx, [name]) => restorePreviousVersion(ctx, name),
});

export const objectsReplicatedWithin = step({
  keyword: 'Then',
  // Extension: replication within a bound (S3 RTC promises 15 minutes).
  phrase: 'every object written to {string} reaches {string} within {duration}',
  check: ([from, to], context) => {
    alias(['s3-bucket'])(from, context);
    alias(['s3-bucket'])(to, context);
  },
  run: (ctx, [from, to, within]) => checkReplication(ctx, from, to, within),
});
