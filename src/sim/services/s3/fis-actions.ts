import type { FisActionDefinition, FisActionRun } from '../../types.js';
import { durationParameter, injectFor } from '../fis/action-run.js';
import type { S3Model } from './model.js';
import { bucketNameOfArn } from './replication.js';

export const S3_BUCKET = 'aws:s3:bucket';

/** A comma-separated list parameter; undefined when left out or empty. */
function listParameter(run: FisActionRun, name: string): string[] | undefined {
  const raw = run.parameters[name];
  if (raw === undefined) return undefined;
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return items.length > 0 ? items : undefined;
}

/**
 * `aws:s3:bucket-pause-replication`: replication from the target source
 * buckets to destinations in `region` stops for `duration`; versions written
 * meanwhile queue up (PENDING) and replicate once the pause ends, whether
 * the duration ran out or the experiment was stopped.
 */
export function s3FisActions(model: S3Model): FisActionDefinition[] {
  return [
    {
      id: 'aws:s3:bucket-pause-replication',
      description: 'Pause replication from target source buckets to destination buckets.',
      targets: { Buckets: S3_BUCKET },
      parameters: {
        duration: { description: 'The duration of the pause, ISO 8601 (PT1M to PT12H).', required: true },
        region: { description: 'The AWS Region where the destination buckets are located.', required: true },
        destinationBuckets: { description: 'Comma-separated list of one or more destination S3 buckets.', required: false },
        prefixes: {
          description: 'Comma-separated list of one or more S3 object key prefixes from replication rule filters; replication of rules with these prefixes is paused.',
          required: false,
        },
      },
      start: async (run: FisActionRun) => {
        const ms = durationParameter(run);
        const region = run.parameters['region'];
        if (!region) throw new Error('parameter region is required');
        const destinationBuckets = listParameter(run, 'destinationBuckets');
        const prefixes = listParameter(run, 'prefixes');
        const sources = (run.targets['Buckets'] ?? []).map((arn) => {
          const name = bucketNameOfArn(arn);
          if (name === undefined || !model.hasBucket(name)) throw new Error(`target ${arn} is not an S3 bucket`);
          return name;
        });
        // Refuse before pausing anything, so a failed action leaves no half-applied pause.
        const unconfigured = sources.find((name) => !model.replicationConfigured(name));
        if (unconfigured) throw new Error(`bucket ${unconfigured} has no replication configuration`);
        let pauses: string[] = [];
        await injectFor(
          run,
          ms,
          {
            apply: () => {
              pauses = sources.map((sourceBucket) =>
                model.pauseReplication({
                  sourceBucket,
                  region,
                  ...(destinationBuckets ? { destinationBuckets } : {}),
                  ...(prefixes ? { prefixes } : {}),
                }),
              );
            },
            rollback: () => {
              for (const id of pauses) model.resumeReplication(id);
            },
          },
          'FIS aws:s3:bucket-pause-replication',
        );
      },
    },
  ];
}
