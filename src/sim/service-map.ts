/**
 * Which module each built-in service registers under its name: what
 * `SimWorld.module(name)` and `findModule(name)` hand out, typed, so no
 * caller casts what the registry finds. Types only; a new service adds its
 * row here when it registers.
 */
import type { AppModule } from './app/index.js';
import type { AutoScalingModule } from './services/autoscaling/index.js';
import type { BackupModule } from './services/backup/index.js';
import type { CloudTrailModule } from './services/cloudtrail/index.js';
import type { CloudWatchModule } from './services/cloudwatch/index.js';
import type { DrsModule } from './services/drs/index.js';
import type { DynamoDbModule } from './services/dynamodb/index.js';
import type { Ec2Module } from './services/ec2/index.js';
import type { FisModule } from './services/fis/index.js';
import type { GuardDutyModule } from './services/guardduty/index.js';
import type { IamModule } from './services/iam/index.js';
import type { NetworkModule } from './services/network/index.js';
import type { RdsModule } from './services/rds/index.js';
import type { Route53Module } from './services/route53/index.js';
import type { S3Module } from './services/s3/index.js';
import type { StsModule } from './services/sts/index.js';

export interface ServiceMap {
  app: AppModule;
  autoscaling: AutoScalingModule;
  backup: BackupModule;
  cloudtrail: CloudTrailModule;
  cloudwatch: CloudWatchModule;
  drs: DrsModule;
  dynamodb: DynamoDbModule;
  ec2: Ec2Module;
  fis: FisModule;
  guardduty: GuardDutyModule;
  iam: IamModule;
  network: NetworkModule;
  rds: RdsModule;
  route53: Route53Module;
  s3: S3Module;
  sts: StsModule;
}
