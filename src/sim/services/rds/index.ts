import type { FisActionDefinition, ServiceModule, SimWorld, TargetableResource } from '../../types.js';
import { createRdsBinding } from './binding.js';
import { RDS_CLUSTER, RDS_DB, rdsFisActions } from './fis-actions.js';
import { RdsModel } from './model.js';
import type { Tag } from './types.js';

export { RdsModel } from './model.js';
export { RDS_VERSION, RDS_XML_NAMESPACE, rdsMemberNames } from './binding.js';
export { DatabaseUnavailableError } from './types.js';
export type {
  DbCluster,
  DbInstance,
  DbSnapshot,
  SeedClusterSpec,
  SeedDBSnapshotSpec,
  SnapshotCaller,
  SeedInstanceSpec,
  SeedReadReplicaSpec,
  WriteRecord,
  WriteRefusal,
} from './types.js';

/** The simulated Amazon RDS: its model (for seeding and the app's writes), its awsQuery binding, its FIS actions. */
export interface RdsModule extends ServiceModule {
  readonly name: 'rds';
  readonly model: RdsModel;
  readonly fisActions: FisActionDefinition[];
  targetable(type: string, region: string): TargetableResource[];
}

const tagMap = (tags: readonly Tag[]): Record<string, string> => Object.fromEntries(tags.map((t) => [t.Key, t.Value]));

export function createRdsModule(world: SimWorld): RdsModule {
  const model = new RdsModel(world);
  return {
    name: 'rds',
    model,
    binding: createRdsBinding(model),
    fisActions: rdsFisActions(model),
    // FIS filters on the Describe shapes (AvailabilityZone, MultiAZ, DBInstanceStatus, Engine…);
    // a cluster's writer zone is what the writerAvailabilityZoneIdentifiers target parameter selects on.
    targetable(type, region) {
      if (type === RDS_DB) {
        return model
          .instancesIn(region)
          .filter((i) => i.status !== 'deleting')
          .map((i) => ({
            arn: i.arn,
            type,
            region,
            tags: tagMap(i.tags),
            DBInstanceIdentifier: i.id,
            AvailabilityZone: i.availabilityZone,
            MultiAZ: i.multiAZ,
            DBInstanceStatus: i.status,
            Engine: i.engine,
            ...(i.clusterId !== undefined ? { DBClusterIdentifier: i.clusterId } : {}),
          }));
      }
      if (type === RDS_CLUSTER) {
        return model.clustersIn(region).map((c) => ({
          arn: c.arn,
          type,
          region,
          tags: tagMap(c.tags),
          DBClusterIdentifier: c.id,
          Status: c.status,
          Engine: c.engine,
          AvailabilityZones: [...c.availabilityZones],
          ...(c.writerId !== undefined ? { WriterAvailabilityZone: model.findInstance(region, c.writerId)?.availabilityZone ?? '' } : {}),
        }));
      }
      return [];
    },
  };
}
