import type { FisActionDefinition, FisActionRun } from '../../types.js';
import type { RdsModel } from './model.js';
import { parseRdsArn } from './naming.js';

export const RDS_DB = 'aws:rds:db';
export const RDS_CLUSTER = 'aws:rds:cluster';

/**
 * The FIS actions RDS implements. Like FIS, each completes once the reboot
 * or failover has been initiated on every target; the effect runs on as RDS
 * would, whatever happens to the experiment afterwards.
 */
export function rdsFisActions(model: RdsModel): FisActionDefinition[] {
  return [
    {
      id: 'aws:rds:reboot-db-instances',
      description: 'Reboot the target DB instances, failing over to the standby when forceFailover is true and an instance is Multi-AZ.',
      targets: { DBInstances: RDS_DB },
      parameters: {
        forceFailover: {
          description: 'If true, and if the instances are Multi-AZ, forces failover from one Availability Zone to another. Default false.',
          required: false,
        },
      },
      start: async (run: FisActionRun) => {
        const raw = (run.parameters['forceFailover'] ?? 'false').toLowerCase();
        if (raw !== 'true' && raw !== 'false') throw new Error(`parameter forceFailover "${raw}" must be true or false`);
        const instances = (run.targets['DBInstances'] ?? []).map((arn) => {
          const instance = model.instanceByArn(arn);
          if (!instance) throw new Error(`target ${arn} is not an RDS DB instance`);
          return instance;
        });
        // Refuse before touching any target, so a failed action leaves no half-done reboot.
        const busy = instances.find((i) => i.status !== 'available');
        if (busy) throw new Error(`DB instance ${busy.id} is not in available state (it is ${busy.status})`);
        for (const instance of instances) model.reboot(instance, raw === 'true');
      },
    },
    {
      id: 'aws:rds:failover-db-cluster',
      description: 'Fail over the target DB clusters: the writer role moves to a reader.',
      targets: { Clusters: RDS_CLUSTER },
      parameters: {},
      start: async (run: FisActionRun) => {
        const clusters = (run.targets['Clusters'] ?? []).map((arn) => {
          const parsed = parseRdsArn(arn);
          const cluster = parsed ? model.findCluster(parsed.region, arn) : undefined;
          if (!cluster) throw new Error(`target ${arn} is not an RDS DB cluster`);
          return cluster;
        });
        const busy = clusters.find((c) => c.status !== 'available');
        if (busy) throw new Error(`DB cluster ${busy.id} is not in available state (it is ${busy.status})`);
        for (const cluster of clusters) model.failoverCluster(cluster);
      },
    },
  ];
}
