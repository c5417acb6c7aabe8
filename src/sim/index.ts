import type { SchedulingClock } from '../clock/types.js';
import type { Calibration } from './calibration.js';
import { Dispatcher, SimHttpHandler } from './handler.js';
import { World } from './world.js';
import type { ServiceModule, SimWorld } from './types.js';
import { createCloudTrailModule } from './services/cloudtrail/index.js';
import { createCloudWatchModule } from './services/cloudwatch/index.js';
import { createGuardDutyModule } from './services/guardduty/index.js';
import { createIamModule, type ProtectionPolicy } from './services/iam/index.js';
import { createStsModule } from './services/sts/index.js';
import { createFisModule } from './services/fis/index.js';
import { createNetworkModule } from './services/network/index.js';
import { createAppModule } from './app/index.js';
import { createAutoScalingModule } from './services/autoscaling/index.js';
import { createBackupModule } from './services/backup/index.js';
import { createDrsModule } from './services/drs/index.js';
import { createDynamoDbModule } from './services/dynamodb/index.js';
import { createEc2Module } from './services/ec2/index.js';
import { createRoute53Module } from './services/route53/index.js';
import { createS3Module } from './services/s3/index.js';
import { createRdsModule } from './services/rds/index.js';

export type ServiceFactory = (world: SimWorld) => ServiceModule;

/**
 * Every simulated service, in registration order (FIS finds the others'
 * actions through the world); IAM's rules told what `policy` says.
 */
export const builtinServices = (policy: ProtectionPolicy = {}): readonly ServiceFactory[] => [
  createCloudTrailModule,
  (world) => createIamModule(world, { policy }),
  createStsModule,
  createGuardDutyModule,
  createCloudWatchModule,
  createNetworkModule,
  createRdsModule,
  createEc2Module,
  createDynamoDbModule,
  createS3Module,
  createRoute53Module,
  createAppModule,
  createAutoScalingModule,
  createBackupModule,
  createDrsModule,
  (world) => createFisModule(world),
];

export interface SimulatorOptions {
  clock: SchedulingClock;
  seed: number;
  accountId?: string;
  calibration?: Partial<Calibration>;
  identities?: Record<string, string>;
  /** The most API calls the audit trail keeps; the world's default unless a test wants a small trail. */
  auditLimit?: number;
  /** The most state changes the event log keeps. */
  eventLimit?: number;
  /** Which services to register; all of them unless a unit test wants a bare world. */
  services?: readonly ServiceFactory[];
  /**
   * What the built-in IAM rules are told (the tag that exempts a snapshot
   * from the delete protection): the caller's to say, as the sim knows
   * nothing of game days. Ignored with `services`.
   */
  protection?: ProtectionPolicy;
}

export interface Simulator {
  world: World;
  dispatcher: Dispatcher;
  /** Give this to any AWS SDK v3 client as `requestHandler`. */
  handler: SimHttpHandler;
}

export function createSimulator(options: SimulatorOptions): Simulator {
  const world = new World(options);
  for (const create of options.services ?? builtinServices(options.protection)) world.register(create(world));
  const dispatcher = new Dispatcher(world);
  return { world, dispatcher, handler: new SimHttpHandler(dispatcher) };
}

/** The access key the game-day runner signs with on the sim. */
export const SIM_RUNNER_KEY = 'AKIAGAMEDAYRUNNER000';

/**
 * Client configuration for an SDK v3 client that runs in process against the
 * sim. The endpoint stays AWS's own: the handler never opens a socket.
 *
 * Every setting the SDK would otherwise read from the AWS_* variables or the
 * ~/.aws/config profile is given here, with the SDK's own default: a sim run
 * depends on the features, the environment and the seed alone, whatever
 * localstack endpoint, FIPS or retry setting the user's shell carries.
 */
export function simClientConfig(sim: Simulator, region: string, accessKeyId = SIM_RUNNER_KEY) {
  const none = async (): Promise<undefined> => undefined;
  return {
    region,
    credentials: { accessKeyId, secretAccessKey: 'gameday-sim-secret' },
    requestHandler: sim.handler,
    // Retries would back off on real timers; the sim answers deterministically, so one attempt.
    maxAttempts: 1,
    retryMode: 'standard',
    defaultsMode: 'legacy' as const,
    ignoreConfiguredEndpointUrls: true,
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    userAgentAppId: none,
    authSchemePreference: [] as string[],
    // S3
    requestChecksumCalculation: 'WHEN_SUPPORTED' as const,
    responseChecksumValidation: 'WHEN_SUPPORTED' as const,
    useArnRegion: false,
    disableS3ExpressSessionAuth: false,
    sigv4aSigningRegionSet: none,
    // DynamoDB
    accountIdEndpointMode: 'preferred' as const,
    endpointDiscoveryEnabled: false,
    // CloudWatch
    disableRequestCompression: false,
    requestMinCompressionSizeBytes: 10_240,
  };
}
