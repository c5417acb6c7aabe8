import type { FisActionDefinition, FisActionRun } from '../../types.js';
import { durationParameter, injectFor } from '../fis/action-run.js';
import type { DynamoDbModel } from './model.js';

export const DYNAMODB_GLOBAL_TABLE = 'aws:dynamodb:global-table';

/**
 * The FIS action DynamoDB implements. AWS pauses replication by putting a
 * resource policy on the target replica that denies the replication service;
 * the sim holds every write to and from the targeted regional table in its
 * stream for the duration, and replays the backlog when the action ends or
 * the experiment stops.
 */
export function dynamoDbFisActions(model: DynamoDbModel): FisActionDefinition[] {
  return [
    {
      id: 'aws:dynamodb:global-table-pause-replication',
      description: 'Pause replication to and from the target global table replicas for the duration; the backlog replays afterwards.',
      targets: { Tables: DYNAMODB_GLOBAL_TABLE },
      parameters: {
        duration: { description: 'The duration, ISO 8601 (PT1M to PT12H).', required: true },
      },
      start: async (run: FisActionRun) => {
        const ms = durationParameter(run);
        const tables = (run.targets['Tables'] ?? []).map((arn) => {
          const table = model.tableByArn(arn);
          if (!table) throw new Error(`target ${arn} is not a DynamoDB table`);
          if (!table.group) throw new Error(`target ${arn} is not a global table replica`);
          return table;
        });
        await injectFor(
          run,
          ms,
          {
            apply: () => {
              for (const table of tables) model.replication.pause(table);
            },
            rollback: () => {
              for (const table of tables) model.replication.resume(table);
            },
          },
          'FIS aws:dynamodb:global-table-pause-replication',
        );
      },
    },
  ];
}
