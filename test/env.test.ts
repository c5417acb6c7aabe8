import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CreateExperimentTemplateCommandInput } from '@aws-sdk/client-fis';
import { describe, expect, it } from 'vitest';
import {
  UnknownAliasError,
  UnknownFaultError,
  aliasesOf,
  loadEnvironment,
  parseEnvironment,
  resolveAlias,
  resolveFault,
  type BackupPlan,
  type DnsFailoverRecord,
  type DynamoDbTable,
  type EbsVolume,
  type FisExperimentTemplate,
  type OrdersApi,
  type RdsInstance,
  type S3Bucket,
} from '../src/env/index.js';
import { ExitCode, exitCodeOf } from '../src/errors.js';
import { environmentRefusal } from './support/environment.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Paths as a user at the repository root types them, which is what messages show. */
const repo = (file: string) => path.relative(process.cwd(), path.join(root, file));
const fixture = (file: string) => repo(`test/fixtures/env/${file}`);

/** The EnvironmentError a load is refused with. */
const failure = environmentRefusal;

/** The error's message, one problem a line. */
async function problems(file: string): Promise<string[]> {
  return (await failure(loadEnvironment(fixture(file)))).message.split('\n');
}

/** An in-memory file system, for environments given as text. */
function files(contents: Record<string, string>) {
  return async (file: string): Promise<string> => {
    const text = contents[file];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${file}'`), { code: 'ENOENT' });
    return text;
  };
}

describe('the shipped environments', () => {
  it('loads securecart.yaml: the RDS part of SecureCart on the sim', async () => {
    const env = await loadEnvironment(repo('scenarios/environments/securecart.yaml'));
    expect(env.name).toBe('securecart');
    expect(env.target).toBe('sim');
    expect(env.regions).toEqual({ primary: 'us-east-1', secondary: 'us-west-2' });

    const db = resolveAlias(env, 'orders-db', ['rds-instance']);
    expect(db).toMatchObject({
      identifier: 'securecart-orders',
      region: 'us-east-1',
      engine: 'postgres',
      instanceClass: 'db.r6g.large',
      allocatedStorageGiB: 200,
      multiAZ: true,
      backupRetentionDays: 7,
      tags: { app: 'securecart', tier: 'critical', backup: 'daily' },
    });
    const replica = resolveAlias(env, 'orders-db-replica', ['rds-read-replica']);
    expect(replica).toMatchObject({ source: 'orders-db', region: 'us-west-2', multiAZ: false });
    expect(replica.instanceClass).toBe('db.r6g.large'); // inherited from the source
    expect(replica.tags['tier']).not.toBe('critical'); // so the failover template cannot select it

    expect(Object.keys(env.faults)).toEqual([
      'rds-reboot-with-failover',
      'primary-region-outage',
      'cross-region-connectivity',
      'az-connectivity-loss',
      'az-power-interruption',
      'checkout-cluster-failover',
      'pause-global-table-replication',
      'pause-invoice-replication',
    ]);
    const reboot = resolveFault(env, 'rds-reboot-with-failover');
    expect(reboot.region).toBe('us-east-1');
    expect(reboot.templateFile).toBe(repo('scenarios/templates/rds-reboot-with-failover.json'));
    expect(reboot.template.actions['reboot-with-failover']).toEqual(
      expect.objectContaining({ actionId: 'aws:rds:reboot-db-instances', parameters: { forceFailover: 'true' } }),
    );
    // The region outage is made of real FIS actions (the template staging runs), two hours each.
    const outage = resolveFault(env, 'primary-region-outage');
    expect(Object.values(outage.template.actions).map((a) => a.actionId)).toEqual([
      'aws:network:disrupt-connectivity',
      'aws:network:route-table-disrupt-cross-region-connectivity',
      'aws:ec2:stop-instances',
      'aws:ec2:asg-insufficient-instance-capacity-error',
      'aws:s3:bucket-pause-replication',
      'aws:dynamodb:global-table-pause-replication',
    ]);
    for (const action of Object.values(outage.template.actions)) {
      expect(action.parameters?.['duration'] ?? action.parameters?.['startInstancesAfterDuration']).toBe('PT2H');
    }

    expect(env.stopConditions).toEqual([
      { source: 'aws:cloudwatch:alarm', value: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:securecart-gameday-abort' },
    ]);
    expect(env.probes).toEqual({ resolutionSeconds: 5, consecutiveSuccesses: 3, steadyStateWithinSeconds: 900 });
    if (env.target !== 'sim') throw new Error('securecart.yaml targets the sim');
    expect(env.sim.seed).toBe(42);
    expect(env.sim.accountId).toBe('123456789012');
    // The file restates the range; the slow tail it leaves out is the default's.
    expect(env.sim.calibration).toEqual({ 'rds.instance.failover': { minSeconds: 60, maxSeconds: 120, tail: { share: 0.04, factor: 2 } } });
    expect(env.sim.identities['AKIABACKUPADMIN00001']).toBe('backup-admin');
    expect(env.sim.subnets.map((s) => `${s.region}/${s.availabilityZone}`)).toEqual([
      'us-east-1/us-east-1a',
      'us-east-1/us-east-1b',
      'us-west-2/us-west-2a',
      'us-west-2/us-west-2b',
    ]);
  });

  it('loads the rest of SecureCart: order history, invoices and logs, the backend volume, the backup plan, the orders API and its DNS', async () => {
    const env = await loadEnvironment(repo('scenarios/environments/securecart.yaml'));
    expect(aliasesOf(env)).toEqual([
      'orders-db',
      'orders-db-replica',
      'checkout-cluster',
      'order-history',
      'invoices',
      'logs',
      'backup-exports',
      'audit-reports',
      'invoices-dr',
      'logs-dr',
      'backend-volume',
      'backend-servers',
      'securecart-daily',
      'dr-posture',
      'orders-api',
      'checkout-api',
      'api',
    ]);

    const history: DynamoDbTable = resolveAlias(env, 'order-history', ['dynamodb-table']);
    expect(history).toEqual({
      kind: 'dynamodb-table',
      alias: 'order-history',
      identifier: 'securecart-order-history',
      region: 'us-east-1',
      replicaRegions: ['us-west-2'],
      pointInTimeRecovery: true,
      billingMode: 'PAY_PER_REQUEST',
      partitionKey: { name: 'orderId', type: 'S' },
      tags: { app: 'securecart', tier: 'critical', backup: 'daily' },
      seedItems: 200,
    });

    for (const [alias, destination] of [
      ['invoices', 'invoices-dr'],
      ['logs', 'logs-dr'],
    ] as const) {
      const bucket: S3Bucket = resolveAlias(env, alias, ['s3-bucket']);
      expect(bucket).toMatchObject({
        region: 'us-east-1',
        versioning: true,
        replication: { destination, replicationTimeControl: true, deleteMarkerReplication: false },
      });
      expect(bucket.tags['critical']).toBe('true');
      expect(resolveAlias(env, destination, ['s3-bucket'])).toMatchObject({ region: 'us-west-2', versioning: true, seedObjects: 0 });
    }
    expect(resolveAlias(env, 'invoices', ['s3-bucket']).seedObjects).toBe(300);

    const volume: EbsVolume = resolveAlias(env, 'backend-volume', ['ebs-volume']);
    expect(volume).toMatchObject({ region: 'us-east-1', availabilityZone: 'us-east-1a', sizeGiB: 100, volumeType: 'gp3' });

    const plan: BackupPlan = resolveAlias(env, 'securecart-daily', ['backup-plan']);
    expect(plan).toEqual({
      kind: 'backup-plan',
      alias: 'securecart-daily',
      identifier: 'securecart-daily',
      region: 'us-east-1',
      vault: 'securecart-vault',
      rules: [{ name: 'daily', schedule: 'cron(0 5 ? * * *)', deleteAfterDays: 7, copyTo: { region: 'us-west-2', vault: 'securecart-vault-dr' } }],
      selection: { tags: { backup: 'daily' }, resources: [] },
    });
    // The plan's tag is on exactly the three resources DESIGN §6 puts under it.
    const tagged = Object.values(env.resources).filter((r) => 'tags' in r && r.tags['backup'] === 'daily');
    expect(tagged.map((r) => r.alias)).toEqual(['orders-db', 'order-history', 'backend-volume']);

    const api: OrdersApi = resolveAlias(env, 'orders-api', ['orders-api']);
    expect(api).toEqual({
      kind: 'orders-api',
      alias: 'orders-api',
      url: 'https://api.securecart.example',
      healthPath: '/health',
      regions: {
        'us-east-1': { endpoint: 'orders.us-east-1.securecart.internal', database: 'orders-db', capacity: 'full', instances: 6 },
        'us-west-2': { endpoint: 'orders.us-west-2.securecart.internal', database: 'orders-db-replica', capacity: 'none', instances: 6 },
      },
      // What FIS templates select its Auto Scaling groups and instances by.
      tags: { app: 'securecart' },
    });
    // Checkout's API beside it in us-east-1, on the Aurora cluster.
    expect(resolveAlias(env, 'checkout-api', ['orders-api']).regions).toEqual({
      'us-east-1': { endpoint: 'checkout.us-east-1.securecart.internal', database: 'checkout-cluster', capacity: 'full', instances: 3 },
    });

    const record: DnsFailoverRecord = resolveAlias(env, 'api', ['dns-failover-record']);
    expect(record).toEqual({
      kind: 'dns-failover-record',
      alias: 'api',
      identifier: 'api.securecart.example',
      zone: 'securecart.example',
      ttlSeconds: 60,
      primary: { region: 'us-east-1', service: 'orders-api' },
      secondary: { region: 'us-west-2', service: 'orders-api' },
      healthCheck: { intervalSeconds: 30, failureThreshold: 3 },
    });

    const table = resolveFault(env, 'pause-global-table-replication');
    expect(table.region).toBe('us-east-1');
    expect(table.template.targets?.['order-history']).toMatchObject({
      resourceType: 'aws:dynamodb:global-table',
      resourceTags: { app: 'securecart', tier: 'critical' },
    });
    expect(table.template.actions['pause-replication']).toMatchObject({
      actionId: 'aws:dynamodb:global-table-pause-replication',
      parameters: { duration: 'PT30M' },
      targets: { Tables: 'order-history' },
    });
    const invoices = resolveFault(env, 'pause-invoice-replication');
    expect(invoices.region).toBe('us-east-1');
    expect(invoices.template.targets?.['invoices']?.resourceArns).toEqual(['arn:aws:s3:::securecart-invoices']);
    expect(invoices.template.actions['pause-replication']).toMatchObject({
      actionId: 'aws:s3:bucket-pause-replication',
      parameters: { duration: 'PT20M', region: 'us-west-2' },
      targets: { Buckets: 'invoices' },
    });
    for (const fault of [table, invoices]) expect(fault.template.stopConditions).toEqual([{ source: 'aws:cloudwatch:alarm', value: env.stopConditions[0]!.value }]);
  });

  it('loads staging.example.yaml: an aws target with its account guard', async () => {
    const env = await loadEnvironment(repo('scenarios/environments/staging.example.yaml'));
    expect(env.target).toBe('aws');
    expect(env.allowedAccountIds).toEqual(['111122223333']);
    expect('sim' in env).toBe(false);
    expect(env.probes).toEqual({ resolutionSeconds: 5, consecutiveSuccesses: 3, steadyStateWithinSeconds: 900 });
    // Staging runs the region outage the sim runs: the same template file, its ARNs in staging's account.
    const outage = resolveFault(env, 'primary-region-outage');
    expect(outage.templateFile).toBe(repo('scenarios/templates/primary-region-outage.json'));
    expect(outage.template.roleArn).toBe('arn:aws:iam::111122223333:role/gameday-fis');
    expect(outage.template.actions['Isolate-Region-Subnets']?.actionId).toBe('aws:network:disrupt-connectivity');
  });

  it('gives every template the shape of the SDK input, so the harness can pass it on as is', async () => {
    const env = await loadEnvironment(repo('scenarios/environments/securecart.yaml'));
    const template: FisExperimentTemplate = resolveFault(env, 'cross-region-connectivity').template;
    // The check that matters is the compiler's: this assignment must type-check.
    const input: CreateExperimentTemplateCommandInput = { clientToken: 'run-1', ...template };
    expect(input.actions?.['Disrupt-Xregion-Connectivity-Subnets']?.targets).toEqual({ Subnets: 'subnets' });
  });
});

describe('defaults', () => {
  it('fills in what a minimal file leaves out', async () => {
    const env = await loadEnvironment(fixture('minimal.yaml'));
    expect(env).toMatchObject({
      name: 'minimal',
      target: 'sim',
      allowedAccountIds: [],
      faults: {},
      stopConditions: [],
      probes: { resolutionSeconds: 5, consecutiveSuccesses: 3, steadyStateWithinSeconds: 900 },
      sim: { seed: 42, accountId: '123456789012', calibration: {}, roles: [], identities: {}, subnets: [] },
    });
    expect(resolveAlias(env, 'shop-db')).toMatchObject({ kind: 'rds-instance', tags: {}, subnetIds: [] });
  });

  it('completes a calibration range given by one end from the default', async () => {
    const text = 'regions: { primary: eu-west-1 }\nsim:\n  calibration:\n    rds.replica.lag: { maxSeconds: 30 }\n';
    const env = await parseEnvironment(text, 'env.yaml', files({}));
    if (env.target !== 'sim') throw new Error('a file without target is for the sim');
    expect(env.sim.calibration).toEqual({ 'rds.replica.lag': { minSeconds: 1, maxSeconds: 30, tail: { share: 0.05, factor: 2 } } });
  });

  it('takes a slow tail from the file: none at share 0, a longer one by its factor', async () => {
    const text =
      'regions: { primary: eu-west-1 }\nsim:\n  calibration:\n    rds.instance.failover: { tailShare: 0 }\n    rds.restore: { tailShare: 0.1, tailFactor: 3 }\n';
    const env = await parseEnvironment(text, 'env.yaml', files({}));
    if (env.target !== 'sim') throw new Error('a file without target is for the sim');
    expect(env.sim.calibration).toEqual({
      'rds.instance.failover': { minSeconds: 60, maxSeconds: 120 },
      'rds.restore': { minSeconds: 600, maxSeconds: 2400, tail: { share: 0.1, factor: 3 } },
    });
  });
});

describe('YAML syntax errors point at the real problem', () => {
  it('a key indented less than its siblings', async () => {
    expect(await problems('yaml/bad-indentation.yaml')).toEqual([
      `${fixture('yaml/bad-indentation.yaml')}:7:4: bad indentation: all mapping items must start at the same column`,
    ]);
  });

  it('a key indented more than its siblings (reported by the parser on the line above)', async () => {
    expect(await problems('yaml/over-indented.yaml')).toEqual([
      `${fixture('yaml/over-indented.yaml')}:7:7: bad indentation: this line is indented deeper than its siblings, so YAML reads it as part of the value above`,
    ]);
  });

  it('a tab used for indentation', async () => {
    expect(await problems('yaml/tab.yaml')).toEqual([
      `${fixture('yaml/tab.yaml')}:6:1: a tab is used for indentation; YAML allows only spaces`,
    ]);
  });

  it('an unclosed quote, at its opening quote rather than at the end of the file', async () => {
    expect(await problems('yaml/unclosed-quote.yaml')).toEqual([
      `${fixture('yaml/unclosed-quote.yaml')}:6:17: unclosed double quote: the string that starts here has no closing "`,
    ]);
  });

  it('a duplicate key, naming where it first appears', async () => {
    expect(await problems('yaml/duplicate-key.yaml')).toEqual([
      `${fixture('yaml/duplicate-key.yaml')}:8:5: duplicate key "identifier" (first on line 6): each key may appear once in a mapping`,
    ]);
  });

  it('a file saved with a byte-order mark and CRLF line endings', async () => {
    const text = '\uFEFFregions:\r\n  primary: eu-west-1\r\nprobes:\r\n  resolutionSeconds: fast\r\n';
    const error = await failure(parseEnvironment(text, 'env.yaml', files({})));
    expect(error.message).toBe('env.yaml:4:3: probes.resolutionSeconds: expected a number, got "fast"');
  });

  it('an alias bomb, refused rather than expanded', async () => {
    const bomb = ['a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]'];
    for (const name of ['c', 'd', 'e']) {
      const previous = String.fromCharCode(name.charCodeAt(0) - 1);
      bomb.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const error = await failure(parseEnvironment(bomb.join('\n'), 'bomb.yaml', files({})));
    expect(error.message).toMatch(/^bomb\.yaml:1:1: cannot expand the document: Excessive alias count/);
  });

  it('an alias without an anchor', async () => {
    const error = await failure(parseEnvironment('regions:\n  primary: *region\n', 'env.yaml', files({})));
    expect(error.message).toBe('env.yaml:2:12: alias *region names no anchor defined before it');
  });
});

describe('schema errors name the file, the line and the path', () => {
  it('a value of the wrong type', async () => {
    const file = fixture('schema/wrong-type.yaml');
    const error = await failure(loadEnvironment(file));
    expect(error.message).toBe(
      `${file}:11:5: resources.shop-db.multiAZ: expected a boolean, got "yes" (YAML 1.2 reads only true and false as booleans)`,
    );
    expect({ file: error.file, line: error.line, column: error.column, code: error.code }).toEqual({
      file,
      line: 11,
      column: 5,
      code: 'BAD_INPUT',
    });
    expect(exitCodeOf(error)).toBe(ExitCode.badInput);
    expect(error.problems).toEqual([
      { file, line: 11, column: 5, path: 'resources.shop-db.multiAZ', message: expect.stringContaining('expected a boolean') },
    ]);
  });

  it('an unknown key, with the key it probably meant (and not also "multiAZ is missing")', async () => {
    expect(await problems('schema/unknown-key.yaml')).toEqual([
      `${fixture('schema/unknown-key.yaml')}:11:5: resources.shop-db.multiAz: unknown key (did you mean "multiAZ"?)`,
    ]);
  });

  it('a missing required field, at the entry that lacks it', async () => {
    expect(await problems('schema/missing-field.yaml')).toEqual([
      `${fixture('schema/missing-field.yaml')}:4:3: resources.shop-db: missing required key "engine" (one of "postgres", "mysql", "mariadb", "oracle-ee", "oracle-se2", "sqlserver-ee", "sqlserver-se", "sqlserver-ex" or "sqlserver-web")`,
    ]);
  });

  it('an unknown resource kind', async () => {
    expect(await problems('schema/unknown-kind.yaml')).toEqual([
      `${fixture('schema/unknown-kind.yaml')}:5:5: resources.shop-db.kind: expected one of "rds-instance", "rds-read-replica", "rds-cluster", "dynamodb-table", "s3-bucket", "ebs-volume", "backup-plan", "orders-api", "dns-failover-record", "drs-source-servers" or "backup-framework", got "rds-instanse" (did you mean "rds-instance"?)`,
    ]);
  });

  it('calibration: an unknown key by name, min above max, a half range that crosses the default', async () => {
    const file = fixture('schema/calibration.yaml');
    expect(await problems('schema/calibration.yaml')).toEqual([
      `${file}:6:5: sim.calibration["rds.instance.failvoer"]: unknown calibration key "rds.instance.failvoer" (did you mean "rds.instance.failover"?)`,
      `${file}:7:5: sim.calibration["rds.replica.promote"]: minSeconds 600 is greater than maxSeconds 300`,
      `${file}:10:5: sim.calibration["rds.replica.lag"]: minSeconds 10 is greater than maxSeconds 5 (the default)`,
    ]);
  });

  it('a replica whose source is no alias, or an alias of something other than an RDS instance', async () => {
    const file = fixture('schema/replica-source.yaml');
    expect(await problems('schema/replica-source.yaml')).toEqual([
      `${file}:17:5: resources.shop-db-replica.source: no resource is called "shop-bd" (did you mean "shop-db"?); rds-instance aliases: "shop-db"`,
      `${file}:27:5: resources.history-replica.source: "history" is a dynamodb-table; a read replica's source must be an rds-instance (rds-instance aliases: "shop-db")`,
    ]);
  });

  it('a duplicate identifier in one region (RDS ignores case), but not across regions', async () => {
    expect(await problems('schema/duplicate-identifier.yaml')).toEqual([
      `${fixture('schema/duplicate-identifier.yaml')}:23:5: resources.shop-db-copy.identifier: Shop is already the identifier of shop-db in eu-west-1; RDS identifiers are unique per account and region`,
    ]);
  });

  it('an aws target without allowedAccountIds, or with a sim section', async () => {
    const file = fixture('schema/aws-guard.yaml');
    expect(await problems('schema/aws-guard.yaml')).toEqual([
      `${file}:1:1: target: an aws environment needs allowedAccountIds: the account guard refuses to run against an account the environment does not name`,
      `${file}:4:1: sim: the sim section is only for target sim; this environment targets aws`,
    ]);
  });

  it('an unquoted account id, which YAML turns into a number without its leading zero', async () => {
    expect(await problems('schema/account-number.yaml')).toEqual([
      `${fixture('schema/account-number.yaml')}:3:5: allowedAccountIds[0]: expected a string, got 12345678901 (put it in quotes: unquoted, YAML reads digits as a number and drops leading zeros)`,
    ]);
  });

  it('reports every problem at once, in file order, the first one in the fields', async () => {
    const file = fixture('schema/several.yaml');
    const error = await failure(loadEnvironment(file));
    expect(error.message.split('\n')).toEqual([
      `${file}:4:3: regions.secondary: the secondary region must differ from the primary (eu-west-1)`,
      `${file}:10:5: resources.shop-db.engine: expected one of "postgres", "mysql", "mariadb", "oracle-ee", "oracle-se2", "sqlserver-ee", "sqlserver-se", "sqlserver-ex" or "sqlserver-web", got "oracle" (did you mean "oracle-ee"?)`,
      `${file}:12:5: resources.shop-db.allocatedStorageGiB: expected at least 20, got 10`,
      `${file}:16:3: probes.resolutionSeconds: expected more than 0, got 0`,
      `${file}:17:3: probes.consecutive: unknown key (did you mean "consecutiveSuccesses"?)`,
      `${file}:20:5: sim.identities.AKIAEXAMPLEKEY000001: role "backup-admin" is not in sim.roles; roles: "gameday-runner"`,
    ]);
    expect([error.line, error.column]).toEqual([4, 3]);
    expect(error.problems).toHaveLength(6);
  });

  it('an empty file, a file that is not a mapping, a file that is not there', async () => {
    expect(await problems('schema/empty.yaml')).toEqual([
      `${fixture('schema/empty.yaml')}:1:1: the file is empty; an environment needs at least regions and resources`,
    ]);
    expect(await problems('schema/not-a-mapping.yaml')).toEqual([
      `${fixture('schema/not-a-mapping.yaml')}:1:1: expected a mapping of settings (target, regions, resources, faults, …)`,
    ]);
    const missing = await failure(loadEnvironment(fixture('no-such-environment.yaml')));
    expect(missing.message).toBe(`${fixture('no-such-environment.yaml')}: environment file not found`);
    expect([missing.line, missing.column]).toEqual([0, 0]);
  });
});

describe('the resource kinds beyond RDS', () => {
  it('fills in what a file leaves out of each kind', async () => {
    const env = await loadEnvironment(fixture('kinds/defaults.yaml'));
    expect(resolveAlias(env, 'carts', ['dynamodb-table'])).toEqual({
      kind: 'dynamodb-table',
      alias: 'carts',
      identifier: 'shop-carts',
      region: 'eu-west-1',
      replicaRegions: [],
      pointInTimeRecovery: false,
      billingMode: 'PAY_PER_REQUEST',
      partitionKey: { name: 'cartId', type: 'S' },
      sortKey: { name: 'line', type: 'N' },
      tags: {},
      seedItems: 0,
    });
    expect(resolveAlias(env, 'receipts', ['s3-bucket'])).toEqual({
      kind: 's3-bucket',
      alias: 'receipts',
      identifier: 'shop-receipts',
      region: 'eu-west-1',
      versioning: false,
      tags: {},
      seedObjects: 0,
    });
    expect(resolveAlias(env, 'scratch', ['ebs-volume'])).toMatchObject({ volumeType: 'gp3', tags: {} });
    expect(resolveAlias(env, 'nightly', ['backup-plan']).selection).toEqual({ tags: {}, resources: ['shop-db', 'scratch'] });
    expect(resolveAlias(env, 'nightly', ['backup-plan']).rules).toEqual([{ name: 'nightly', schedule: 'cron(0 1 * * ? *)', deleteAfterDays: 14 }]);
    expect(resolveAlias(env, 'shop-api', ['orders-api'])).toMatchObject({ url: 'http://shop.example', healthPath: '/health' });
    expect(resolveAlias(env, 'shop-api-dr', ['orders-api']).healthPath).toBe('/ping');
    expect(resolveAlias(env, 'www', ['dns-failover-record'])).toMatchObject({
      primary: { region: 'eu-west-1', service: 'shop-api' },
      secondary: { region: 'eu-central-1', service: 'shop-api-dr' },
      healthCheck: { intervalSeconds: 10, failureThreshold: 2 },
    });
  });

  it('DynamoDB: replica regions other than its own, in the environment, once each; table names unique in every replica region', async () => {
    const file = fixture('kinds/dynamodb.yaml');
    expect(await problems('kinds/dynamodb.yaml')).toEqual([
      `${file}:9:36: resources.carts.replicaRegions[1]: eu-west-1 is the table's own region; replicaRegions lists only the other regions of the global table`,
      `${file}:9:47: resources.carts.replicaRegions[2]: us-east-1 is not a region of this environment (regions: eu-west-1 or eu-central-1)`,
      `${file}:9:58: resources.carts.replicaRegions[3]: eu-central-1 is listed twice`,
      `${file}:14:5: resources.carts-copy.identifier: shop-carts is already the identifier of carts in eu-central-1; DynamoDB table names are unique per account and region (a global table takes its name in every replica region)`,
      `${file}:19:5: resources.sessions.identifier: expected a DynamoDB table name (3 to 255 letters, digits, "_", "-" or "."), got "sessions!"`,
      `${file}:21:31: resources.sessions.partitionKey.type: expected one of "S", "N" or "B", got "X" (did you mean "S"?)`,
      `${file}:22:5: resources.sessions.seedItems: expected at least 0, got -1`,
    ]);
  });

  it('S3: replication from and to versioned buckets, to an existing bucket in another region; bucket names globally unique', async () => {
    const file = fixture('kinds/s3.yaml');
    expect(await problems('kinds/s3.yaml')).toEqual([
      `${file}:19:20: resources.receipts.replication.destination: no resource is called "receipts-copy" (did you mean "receipts-dr"?); s3-bucket aliases: "receipts", "receipts-dr", "images", "images-dr", "exports", "audit" and "receipts-again"`,
      `${file}:30:5: resources.images.replication: S3 replicates only from a versioned bucket: set versioning: true`,
      `${file}:30:20: resources.images.replication.destination: images-dr is not versioned; S3 replicates only to a versioned bucket`,
      `${file}:41:20: resources.exports.replication.destination: receipts is in eu-west-1 too; cross-region replication needs a destination in another region`,
      `${file}:47:20: resources.audit.replication.destination: "shop-db" is an rds-instance; a replication destination must be an s3-bucket (s3-bucket aliases: "receipts", "receipts-dr", "images", "images-dr", "exports", "audit" and "receipts-again")`,
      `${file}:51:5: resources.receipts-again.identifier: shop-receipts is already the identifier of receipts; S3 bucket names are globally unique`,
      `${file}:55:5: resources.bad-name.identifier: expected an S3 bucket name (3 to 63 lower-case letters, digits, "." or "-", starting and ending with a letter or digit), got "Shop_Receipts"`,
    ]);
  });

  it('EBS: the zone in the volume\'s region, the size within its type\'s limits, a real volume id', async () => {
    const file = fixture('kinds/ebs.yaml');
    expect(await problems('kinds/ebs.yaml')).toEqual([
      `${file}:8:5: resources.scratch.availabilityZone: eu-central-1a is not in eu-west-1`,
      `${file}:9:5: resources.scratch.sizeGiB: a st1 volume is 125 to 16384 GiB, not 100`,
      `${file}:17:5: resources.logs.volumeType: expected one of "gp3", "gp2", "io2" or "st1", got "sc1" (did you mean "st1"?)`,
      `${file}:20:5: resources.data.identifier: expected an EBS volume id like vol-0123456789abcdef0, got "vol-123"`,
    ]);
  });

  it('AWS Backup: copies to the environment\'s regions, a selection of existing resources in the plan\'s region, a cron AWS accepts', async () => {
    const file = fixture('kinds/backup.yaml');
    expect(await problems('kinds/backup.yaml')).toEqual([
      `${file}:40:19: resources.nightly.rules[0].copyTo.region: us-east-1 is not a region of this environment (regions: eu-west-1 or eu-central-1)`,
      `${file}:41:9: resources.nightly.rules[1].name: nightly is the name of an earlier rule; rule names are unique in a plan`,
      `${file}:45:19: resources.nightly.selection.resources[0]: no resource is called "shop-bd" (did you mean "shop-db"?); rds-instance, rds-read-replica, dynamodb-table, ebs-volume or s3-bucket aliases: "shop-db", "archive" and "receipts"`,
      `${file}:45:28: resources.nightly.selection.resources[1]: archive is in eu-central-1; a backup plan protects resources in its own region (eu-west-1)`,
      `${file}:45:37: resources.nightly.selection.resources[2]: the simulator's AWS Backup protects RDS, DynamoDB and EBS, not an s3-bucket`,
      `${file}:45:47: resources.nightly.selection.resources[3]: "shop-api" is an orders-api; a resource AWS Backup protects must be an rds-instance, an rds-read-replica, a dynamodb-table, an ebs-volume or an s3-bucket (rds-instance, rds-read-replica, dynamodb-table, ebs-volume or s3-bucket aliases: "shop-db", "archive" and "receipts")`,
      `${file}:55:7: resources.weekly.selection.tags: selects nothing: no RDS instance, DynamoDB table or EBS volume in eu-west-1 is tagged backup=weekly`,
      `${file}:63:5: resources.empty.selection: the selection selects nothing: give tags, resources or both`,
      `${file}:69:5: resources.broken.vault: expected a backup vault name (2 to 50 letters, digits, "-" or "_"), got "v"`,
      `${file}:71:24: resources.broken.rules[0].schedule: expected a schedule like cron(0 5 ? * * *): exactly one of the Day-of-month and Day-of-week fields must be "?"`,
      `${file}:71:55: resources.broken.rules[0].deleteAfterDays: expected at least 1, got 0`,
    ]);
  });

  it('orders API: RDS databases that exist, the environment\'s regions, one endpoint name per deployment', async () => {
    const file = fixture('kinds/orders-api.yaml');
    expect(await problems('kinds/orders-api.yaml')).toEqual([
      `${file}:23:59: resources.shop-api.regions.eu-west-1.database: no resource is called "shop-bd" (did you mean "shop-db"?); rds-instance, rds-read-replica or rds-cluster aliases: "shop-db"`,
      `${file}:24:65: resources.shop-api.regions.eu-central-1.database: "carts" is a dynamodb-table; an orders-api's database must be an rds-instance, an rds-read-replica or an rds-cluster (rds-instance, rds-read-replica or rds-cluster aliases: "shop-db")`,
      `${file}:25:7: resources.shop-api.regions.us-east-1: us-east-1 is not a region of this environment (regions: eu-west-1 or eu-central-1)`,
      `${file}:31:20: resources.admin-api.regions.eu-west-1.endpoint: api.eu-west-1.shop.internal is already the endpoint of shop-api in eu-west-1; each regional endpoint has one name`,
      `${file}:34:5: resources.broken-api.url: the URL names the service only, without a path, query or fragment (health checks add healthPath)`,
      `${file}:35:5: resources.broken-api.healthPath: expected a path starting with "/" like /health, got "health"`,
      `${file}:37:84: resources.broken-api.regions.eu-central-1.capacity: expected one of "full", "reduced" or "none", got "warm"`,
      `${file}:37:100: resources.broken-api.regions.eu-central-1.instances: expected at least 1, got 0`,
    ]);
  });

  it('DNS failover: orders-api targets that run in the named regions, two different regions, a name inside its zone', async () => {
    const file = fixture('kinds/dns.yaml');
    expect(await problems('kinds/dns.yaml')).toEqual([
      `${file}:26:40: resources.www.secondary.service: shop-api does not run in eu-central-1 (its regions: eu-west-1)`,
      `${file}:30:5: resources.api.identifier: api.shop.test is not in the zone shop.example`,
      `${file}:33:35: resources.api.primary.service: "shop-db" is an rds-instance; a failover target must be an orders-api (orders-api aliases: "shop-api")`,
      `${file}:34:18: resources.api.secondary.region: the secondary must be in another region than the primary (eu-west-1)`,
      `${file}:34:37: resources.api.secondary.service: no resource is called "shop-apj" (did you mean "shop-api"?); orders-api aliases: "shop-api"`,
      `${file}:38:5: resources.www-again.identifier: www.shop.example is already the record name of www; a record name has one failover pair`,
      `${file}:42:18: resources.www-again.secondary.region: us-east-1 is not a region of this environment (regions: eu-west-1 or eu-central-1)`,
      `${file}:46:5: resources.broken.identifier: expected a lower-case DNS name like orders.us-east-1.securecart.internal, got "WWW.shop.example"`,
      `${file}:51:20: resources.broken.healthCheck.intervalSeconds: expected 10 or 30 (Route 53 checks every 10 or every 30 seconds), got 20`,
      `${file}:51:41: resources.broken.healthCheck.failureThreshold: expected at most 10, got 11`,
    ]);
  });

  it('on aws, leaves to AWS what only the sim knows: other services in the region, tags on resources the file does not list, S3 backups', async () => {
    const text = [
      'target: aws',
      'allowedAccountIds: ["111122223333"]',
      'regions: { primary: eu-west-1 }',
      'resources:',
      '  db: { kind: rds-instance, identifier: shop, region: eu-west-1, engine: mysql, instanceClass: db.t3.medium, allocatedStorageGiB: 20, multiAZ: false, backupRetentionDays: 1 }',
      '  receipts: { kind: s3-bucket, identifier: shop-receipts, region: eu-west-1 }',
      '  a: { kind: orders-api, url: "https://a.example", regions: { eu-west-1: { endpoint: a.internal.example, database: db, capacity: full, instances: 2 } } }',
      '  b: { kind: orders-api, url: "https://b.example", regions: { eu-west-1: { endpoint: b.internal.example, database: db, capacity: full, instances: 2 } } }',
      '  plan:',
      '    kind: backup-plan',
      '    identifier: shop-weekly',
      '    region: eu-west-1',
      '    vault: shop-vault',
      '    rules: [{ name: weekly, schedule: "cron(0 3 ? * SUN *)", deleteAfterDays: 35 }]',
      '    selection: { tags: { backup: weekly }, resources: [receipts] }',
      '',
    ].join('\n');
    const env = await parseEnvironment(text, 'staging.yaml', files({}));
    expect(aliasesOf(env, ['orders-api'])).toEqual(['a', 'b']);
    expect(resolveAlias(env, 'plan', ['backup-plan']).selection).toEqual({ tags: { backup: 'weekly' }, resources: ['receipts'] });
  });

  it('on the sim, FIS targets of the new kinds must select something here, in the experiment\'s region; S3 ARNs, which name no account, pass the account check', async () => {
    const bucket = fixture('templates/pause-bucket.json');
    expect(await problems('faults/new-targets.yaml')).toEqual([
      `${fixture('templates/pause-table.json')}:4:5: targets.carts: selects nothing: no aws:dynamodb:global-table in eu-west-1 is tagged app=shop (template of fault pause-table)`,
      `${bucket}:6:24: targets.receipts.resourceArns[0]: receipts is in eu-west-1, but the experiment runs in eu-central-1; FIS targets resources in the experiment's region (template of fault pause-bucket-from-dr)`,
      `${bucket}:6:54: targets.receipts.resourceArns[1]: arn:aws:s3:::shop-reciepts is no aws:s3:bucket of this environment (template of fault pause-bucket)`,
      `${bucket}:6:54: targets.receipts.resourceArns[1]: arn:aws:s3:::shop-reciepts is no aws:s3:bucket of this environment (template of fault pause-bucket-from-dr)`,
    ]);
  });
});

describe('fault templates', () => {
  it('a missing template file, at the fault that names it', async () => {
    expect(await problems('faults/missing-template.yaml')).toEqual([
      `${fixture('faults/missing-template.yaml')}:17:5: faults.outage.template: template file not found: ${fixture('templates/no-such-template.json')}`,
    ]);
  });

  it('a missing template given in short form', async () => {
    const error = await failure(parseEnvironment('regions: { primary: eu-west-1 }\nfaults:\n  reboot: reboot.json\n', 'envs/x.yaml', files({})));
    expect(error.message).toBe(`envs/x.yaml:3:3: faults.reboot: template file not found: ${path.join('envs', 'reboot.json')}`);
  });

  it('template JSON that does not parse, at the line and column of the mistake in the template', async () => {
    expect(await problems('faults/bad-template-json.yaml')).toEqual([
      `${fixture('templates/missing-comma.json')}:3:58: not valid JSON: missing "," after this value (template of fault missing-comma)`,
      `${fixture('templates/trailing-comma.json')}:5:81: not valid JSON: trailing comma: JSON allows no comma before } (template of fault trailing-comma)`,
    ]);
  });

  it('a template that is JSON but not an experiment template', async () => {
    expect(await problems('faults/template-shape.yaml')).toEqual([
      `${fixture('templates/wrong-shape.json')}:6:7: actions.reboot.actionID: unknown key (did you mean "actionId"?) (template of fault reboot)`,
    ]);
  });

  it('a sim-only action in an aws environment', async () => {
    expect(await problems('faults/sim-action-on-aws.yaml')).toEqual([
      `${fixture('templates/region-outage.json')}:5:7: actions.outage.actionId: gameday:sim:region-outage exists only in the simulator; an aws environment maps this fault to a real FIS template (template of fault outage)`,
    ]);
  });

  it('on the sim, a target that selects nothing, or a forced failover of a Single-AZ instance', async () => {
    const file = fixture('templates/reboot.json');
    expect(await problems('faults/template-selection.yaml')).toEqual([
      `${file}:4:5: targets.shop: selects nothing: no aws:rds:db in eu-central-1 is tagged app=shop (template of fault reboot-secondary)`,
      `${file}:13:23: actions.reboot.parameters.forceFailover: forceFailover needs Multi-AZ instances, but target "shop" selects "shop-db" in eu-west-1, which is Single-AZ (template of fault reboot)`,
    ]);
  });

  it('an ARN of another account than the environment allows', async () => {
    const template = JSON.stringify(
      {
        description: 'wait',
        roleArn: 'arn:aws:iam::999999999999:role/gameday-fis',
        actions: { wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' } } },
        stopConditions: [{ source: 'none' }],
      },
      null,
      2,
    );
    const text = [
      'target: aws',
      'allowedAccountIds: ["111122223333"]',
      'regions: { primary: eu-west-1 }',
      'faults: { wait: wait.json }',
      'stopConditions:',
      '  - alarm: arn:aws:cloudwatch:eu-west-1:222222222222:alarm:abort',
      '',
    ].join('\n');
    const error = await failure(parseEnvironment(text, 'staging.yaml', files({ 'wait.json': template })));
    expect(error.message.split('\n')).toEqual([
      'staging.yaml:6:5: stopConditions[0].alarm: the alarm is in account 222222222222, not one of allowedAccountIds (111122223333)',
      'wait.json:3:3: roleArn: the role is in account 999999999999, not one of allowedAccountIds (111122223333) (template of fault wait)',
    ]);
  });

  it('reads templates through the readFile it is given, relative to the environment file', async () => {
    const read: string[] = [];
    const readFile = files({
      [path.join('somewhere', 'templates', 'reboot.json')]: JSON.stringify({
        description: 'reboot',
        roleArn: 'arn:aws:iam::123456789012:role/gameday-fis',
        actions: { wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' } } },
        stopConditions: [{ source: 'none' }],
      }),
    });
    const env = await parseEnvironment(
      'regions: { primary: eu-west-1 }\nfaults: { reboot: ../templates/reboot.json }\n',
      path.join('somewhere', 'environments', 'x.yaml'),
      async (file) => {
        read.push(file);
        return readFile(file);
      },
    );
    expect(read).toEqual([path.join('somewhere', 'templates', 'reboot.json')]);
    expect(env.faults['reboot']?.template.description).toBe('reboot');
  });
});

describe('pseudo parameters in templates', () => {
  /** A template whose ARNs name neither account, region nor partition. */
  const neutral = (extra: Record<string, unknown> = {}) =>
    JSON.stringify(
      {
        description: 'wait in ${AWS::Region}',
        roleArn: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/gameday-fis',
        targets: { app: { resourceType: 'aws:iam:role', resourceArns: ['arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app'], selectionMode: 'ALL' } },
        actions: { wait: { actionId: 'aws:fis:wait', parameters: { duration: 'PT1M' } } },
        stopConditions: [{ source: 'aws:cloudwatch:alarm', value: 'arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:abort' }],
        ...extra,
      },
      null,
      2,
    );

  it('resolve from the sim\'s account and each fault\'s region, in every string; the sim\'s partition is aws', async () => {
    const text = [
      'regions: { primary: eu-west-1, secondary: eu-central-1 }',
      'sim: { accountId: "444455556666", roles: [app] }',
      'faults:',
      '  here: wait.json',
      '  there: { template: wait.json, region: eu-central-1 }',
      '',
    ].join('\n');
    const env = await parseEnvironment(text, 'sim.yaml', files({ 'wait.json': neutral() }));
    const here = resolveFault(env, 'here').template;
    expect(here.description).toBe('wait in eu-west-1');
    expect(here.roleArn).toBe('arn:aws:iam::444455556666:role/gameday-fis');
    expect(here.targets?.['app']?.resourceArns).toEqual(['arn:aws:iam::444455556666:role/app']);
    expect(here.stopConditions).toEqual([{ source: 'aws:cloudwatch:alarm', value: 'arn:aws:cloudwatch:eu-west-1:444455556666:alarm:abort' }]);
    expect(resolveFault(env, 'there').template.stopConditions[0]?.value).toBe('arn:aws:cloudwatch:eu-central-1:444455556666:alarm:abort');
  });

  it('resolve from an aws environment\'s one allowed account; the account check applies to what they resolve to', async () => {
    const text = (accounts: string) => ['target: aws', `allowedAccountIds: [${accounts}]`, 'regions: { primary: eu-west-1 }', 'faults: { wait: wait.json }', ''].join('\n');
    const env = await parseEnvironment(text('"111122223333"'), 'staging.yaml', files({ 'wait.json': neutral() }));
    expect(resolveFault(env, 'wait').template.roleArn).toBe('arn:aws:iam::111122223333:role/gameday-fis');
    // On AWS the partition is the region's: China's ARNs start arn:aws-cn.
    const china = await parseEnvironment(text('"111122223333"').replace('eu-west-1', 'cn-north-1'), 'china.yaml', files({ 'wait.json': neutral() }));
    expect(resolveFault(china, 'wait').template.stopConditions[0]?.value).toBe('arn:aws-cn:cloudwatch:cn-north-1:111122223333:alarm:abort');
    // A literal account beside them is still checked.
    const mixed = neutral({ roleArn: 'arn:aws:iam::999999999999:role/gameday-fis' });
    const error = await failure(parseEnvironment(text('"111122223333"'), 'staging.yaml', files({ 'wait.json': mixed })));
    expect(error.message).toBe('wait.json:3:3: roleArn: the role is in account 999999999999, not one of allowedAccountIds (111122223333) (template of fault wait)');
    // Two accounts: which one the template is for is the author's to say.
    const two = await failure(parseEnvironment(text('"111122223333", "222233334444"'), 'staging.yaml', files({ 'wait.json': neutral() })));
    expect(two.message.split('\n')[0]).toBe(
      'wait.json:3:3: roleArn: ${AWS::AccountId} cannot be resolved: allowedAccountIds names 2 accounts (111122223333, 222233334444), and a template is created in one of them; write the account this template is for (template of fault wait)',
    );
  });

  it('an unknown pseudo parameter is bad input at its line in the template, with the name it probably meant, once however many faults share the file', async () => {
    const template = neutral({ roleArn: 'arn:${AWS::Partition}:iam::${AWS::AccountID}:role/gameday-fis', description: 'in ${AWS::StackName}' });
    const text = ['regions: { primary: eu-west-1, secondary: eu-central-1 }', 'faults:', '  a: wait.json', '  b: { template: wait.json, region: eu-central-1 }', ''].join('\n');
    const error = await failure(parseEnvironment(text, 'sim.yaml', files({ 'wait.json': template })));
    expect(error.message.split('\n')).toEqual([
      'wait.json:2:3: description: unknown pseudo parameter ${AWS::StackName}: a template may use ${AWS::AccountId}, ${AWS::Region}, ${AWS::Partition}, ${gameday:AvailabilityZones} (template of fault a)',
      'wait.json:3:3: roleArn: unknown pseudo parameter ${AWS::AccountID} (did you mean "${AWS::AccountId}"?): a template may use ${AWS::AccountId}, ${AWS::Region}, ${AWS::Partition}, ${gameday:AvailabilityZones} (template of fault a)',
    ]);
    expect(exitCodeOf(error)).toBe(ExitCode.badInput);
  });

  it('the shipped templates name no account or region of their own, and resolve to the sim\'s and to staging\'s', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const shared = (await readdir(path.join(root, 'scenarios/templates'))).filter((f) => f.endsWith('.json'));
    for (const file of shared) {
      const text = await readFile(path.join(root, 'scenarios/templates', file), 'utf8');
      expect(text, file).not.toMatch(/\d{12}|arn:aws:|us-east-1/);
      expect(text, file).toContain('${AWS::AccountId}');
    }
    const sim = await loadEnvironment(repo('scenarios/environments/securecart.yaml'));
    const staging = await loadEnvironment(repo('scenarios/environments/staging.example.yaml'));
    for (const name of ['rds-reboot-with-failover', 'az-power-interruption', 'cross-region-connectivity', 'az-connectivity-loss', 'primary-region-outage']) {
      expect(resolveFault(sim, name).templateFile, name).toBe(resolveFault(staging, name).templateFile);
      expect(resolveFault(sim, name).template.roleArn).toBe('arn:aws:iam::123456789012:role/gameday-fis');
      expect(resolveFault(staging, name).template.roleArn).toBe('arn:aws:iam::111122223333:role/gameday-fis');
      expect(JSON.stringify(resolveFault(staging, name).template), name).not.toContain('${');
    }
    expect(resolveFault(staging, 'az-power-interruption').template.targets?.['app-role']?.resourceArns).toEqual(['arn:aws:iam::111122223333:role/securecart-app']);
    expect(resolveFault(staging, 'az-power-interruption').template.targets?.['instances-in-a']?.filters?.[0]?.values).toEqual(['us-east-1a']);
  });
});

describe('resolveAlias', () => {
  const load = () => loadEnvironment(repo('scenarios/environments/securecart.yaml'));

  it('returns the resource, typed by the kinds asked for', async () => {
    const env = await load();
    const db: RdsInstance = resolveAlias(env, 'orders-db', ['rds-instance']);
    expect(db.backupRetentionDays).toBe(7);
    expect(aliasesOf(env, ['rds-instance', 'rds-read-replica'])).toEqual(['orders-db', 'orders-db-replica']);
    expect(aliasesOf(env, ['rds-read-replica'])).toEqual(['orders-db-replica']);
    expect(aliasesOf(env, ['s3-bucket'])).toEqual(['invoices', 'logs', 'backup-exports', 'audit-reports', 'invoices-dr', 'logs-dr']);
  });

  it('names what was typed and lists the known aliases of the expected kind', async () => {
    const env = await load();
    let error: unknown;
    try {
      resolveAlias(env, 'orders-bd', ['rds-instance', 'rds-read-replica']);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(UnknownAliasError);
    const unknown = error as UnknownAliasError;
    expect(unknown.message).toBe(
      `unknown alias "orders-bd" in environment "securecart" (${repo('scenarios/environments/securecart.yaml')}) (did you mean "orders-db"?); known rds-instance or rds-read-replica aliases: "orders-db" and "orders-db-replica"`,
    );
    expect(unknown).toMatchObject({ alias: 'orders-bd', environment: 'securecart', known: ['orders-db', 'orders-db-replica'], code: 'BAD_INPUT' });
    expect(exitCodeOf(unknown)).toBe(ExitCode.badInput);
  });

  it('refuses an alias of the wrong kind, listing those of the right one', async () => {
    const env = await load();
    expect(() => resolveAlias(env, 'orders-db-replica', ['rds-instance'])).toThrow(
      `"orders-db-replica" in environment "securecart" (${repo('scenarios/environments/securecart.yaml')}) is an rds-read-replica, but this step needs an rds-instance; known rds-instance aliases: "orders-db"`,
    );
  });

  it('resolveFault lists the known faults', async () => {
    const env = await load();
    expect(() => resolveFault(env, 'region-outage')).toThrow(UnknownFaultError);
    expect(() => resolveFault(env, 'region-outage')).toThrow(
      'known faults: "rds-reboot-with-failover", "primary-region-outage", "cross-region-connectivity", "az-connectivity-loss", "az-power-interruption", "checkout-cluster-failover", "pause-global-table-replication" and "pause-invoice-replication"',
    );
  });
});
