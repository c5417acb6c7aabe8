import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../src/clock/virtual-clock.js';
import { createSimulator, simClientConfig, type Simulator } from '../src/sim/index.js';

/**
 * The sim's SDK clients take nothing from the user's AWS setup: not the
 * AWS_* variables, not ~/.aws/config's profile. Those would change what
 * the sim is sent (a FIPS or a localstack endpoint, adaptive retries that
 * wait on real time, compressed or checksummed bodies) and so the results
 * of a seeded run, which must depend on the features, the environment and
 * the seed alone (DESIGN §5).
 */
const HOSTILE = {
  AWS_ENDPOINT_URL: 'http://localhost:4566',
  AWS_ENDPOINT_URL_S3: 'http://localhost:4566',
  AWS_USE_FIPS_ENDPOINT: 'true',
  AWS_USE_DUALSTACK_ENDPOINT: 'true',
  AWS_RETRY_MODE: 'adaptive',
  AWS_MAX_ATTEMPTS: '7',
  AWS_DEFAULTS_MODE: 'cross-region',
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
  AWS_DISABLE_REQUEST_COMPRESSION: 'false',
  AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES: '0',
  AWS_SDK_UA_APP_ID: 'someones-app',
  AWS_S3_USE_ARN_REGION: 'true',
  AWS_ENABLE_ENDPOINT_DISCOVERY: 'true',
  AWS_PROFILE: 'hostile',
};

describe('sim clients and the AWS environment around them', () => {
  let dir: string;
  let sim: Simulator;
  const saved: Record<string, string | undefined> = {};
  const seen: { host: string; headers: Record<string, string> }[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gameday-aws-config-'));
    const config = join(dir, 'config');
    await writeFile(config, '[profile hostile]\nretry_mode = adaptive\nuse_fips_endpoint = true\nendpoint_url = http://localhost:4566\nrequest_checksum_calculation = when_required\n');
    for (const [name, value] of Object.entries({ ...HOSTILE, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials') })) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
    sim = createSimulator({ clock: new VirtualClock({ start: Date.UTC(2026, 0, 1) }), seed: 1 });
    const handle = sim.handler.handle.bind(sim.handler);
    sim.handler.handle = async (request) => {
      seen.push({ host: request.hostname ?? '', headers: { ...request.headers } });
      return handle(request);
    };
  });
  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('reach AWS’s own regional endpoints, in one attempt, in standard retry mode', async () => {
    const rds = new RDSClient(simClientConfig(sim, 'us-east-1'));
    await rds.send(new DescribeDBInstancesCommand({}));
    expect(seen.at(-1)?.host).toBe('rds.us-east-1.amazonaws.com');
    expect(await rds.config.maxAttempts()).toBe(1);
    const { retryMode } = rds.config;
    expect(typeof retryMode === 'function' ? await retryMode() : retryMode).toBe('standard');
    expect(seen.at(-1)?.headers['user-agent'] ?? seen.at(-1)?.headers['x-amz-user-agent'] ?? '').not.toContain('someones-app');

    const dynamodb = new DynamoDBClient(simClientConfig(sim, 'us-west-2'));
    await dynamodb.send(new DescribeTableCommand({ TableName: 'none' })).catch(() => undefined);
    expect(seen.at(-1)?.host).toBe('dynamodb.us-west-2.amazonaws.com');
  });

  it('send S3 bodies with the SDK’s default checksums, to the virtual-hosted bucket', async () => {
    const s3 = new S3Client(simClientConfig(sim, 'us-east-1'));
    await s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket', Key: 'k', Body: 'x' })).catch(() => undefined);
    const put = seen.at(-1)!;
    expect(put.host).toBe('no-such-bucket.s3.us-east-1.amazonaws.com');
    expect(put.headers['x-amz-checksum-crc32']).toBeDefined();
  });

  it('send CloudWatch metrics uncompressed below the default 10 KB', async () => {
    const cloudwatch = new CloudWatchClient(simClientConfig(sim, 'us-east-1'));
    await cloudwatch.send(new PutMetricDataCommand({ Namespace: 'gameday', MetricData: [{ MetricName: 'm', Value: 1 }] })).catch(() => undefined);
    expect(seen.at(-1)?.host).toBe('monitoring.us-east-1.amazonaws.com');
    expect(seen.at(-1)?.headers['content-encoding']).toBeUndefined();
  });
});
