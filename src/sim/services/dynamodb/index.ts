import type { FisActionDefinition, ServiceBinding, ServiceModule, SimWorld, TargetableResource } from '../../types.js';
import { createDynamoDbBinding } from './binding.js';
import { DYNAMODB_GLOBAL_TABLE, dynamoDbFisActions } from './fis-actions.js';
import { DynamoDbModel } from './model.js';
import { isServing } from './table.js';

export { DynamoDbModel, GLOBAL_TABLE_VERSION, PITR_MAX_DAYS } from './model.js';
export { DYNAMODB_ERROR_NAMESPACE, DYNAMODB_TARGET_PREFIX } from './binding.js';
export { DYNAMODB_GLOBAL_TABLE } from './fis-actions.js';
export {
  copyBackup,
  createBackup,
  deleteBackup,
  pitrWindow,
  restoreTableFromBackup,
  restoreTableToPointInTime,
  seedBackup,
  type PitrWindow,
} from './recovery.js';
export type { Table } from './table.js';
export type * from './types.js';

/** A DynamoDB regional table as FIS sees it; `TableName` is usable as a target filter path. */
export interface GlobalTableResource extends TargetableResource {
  TableName: string;
}

/** The simulated Amazon DynamoDB: its model (seeding, ground truth), its awsJson 1.0 binding, its FIS action. */
export interface DynamoDbModule extends ServiceModule {
  readonly name: 'dynamodb';
  readonly model: DynamoDbModel;
  readonly binding: ServiceBinding;
  readonly fisActions: FisActionDefinition[];
  targetable(type: string, region: string): TargetableResource[];
}

export function createDynamoDbModule(world: SimWorld): DynamoDbModule {
  const model = new DynamoDbModel(world);
  return {
    name: 'dynamodb',
    model,
    binding: createDynamoDbBinding(model),
    fisActions: dynamoDbFisActions(model),
    targetable(type, region): GlobalTableResource[] {
      if (type !== DYNAMODB_GLOBAL_TABLE) return [];
      // Only replicas of a global table: pausing replication means nothing for a table of one region.
      return model
        .tablesIn(region)
        .filter((t) => t.group !== undefined && t.group.replicas.size > 1 && isServing(t))
        .map((t) => ({ arn: t.arn, type, region, tags: { ...t.tags }, TableName: t.name }));
    },
  };
}
