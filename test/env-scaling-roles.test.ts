import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  assumedRoleOf,
  autoScalingGroupOf,
  EnvironmentError,
  loadEnvironment,
  parseEnvironment,
  problemAt,
  type Environment,
} from '../src/env/index.js';
import { BadInputError } from '../src/errors.js';

/** The environment file's Auto Scaling groups (orders-api deployments) and roles to assume (aws). */

const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const noFiles = async (path: string): Promise<string> => {
  throw Object.assign(new Error(`no file ${path}`), { code: 'ENOENT' });
};

const parse = (text: string) => parseEnvironment(text, 'env.yaml', noFiles);
/** The 1-based line of the first line of `text` that ends with `ending`, at or after `from`. */
const lineOf = (text: string, ending: string, from = 1) => text.split('\n').findIndex((line, i) => i + 1 >= from && line.endsWith(ending)) + 1;

async function problems(text: string): Promise<string[]> {
  const error = await parse(text).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EnvironmentError);
  return (error as EnvironmentError).problems.map((p) => `${p.line}:${p.column}: ${p.path}: ${p.message}`);
}

const ordersApi = (target: 'sim' | 'aws', extra: { east?: string; west?: string } = {}) => `target: ${target}
${target === 'aws' ? 'allowedAccountIds: ["111122223333"]\n' : ''}regions: { primary: us-east-1, secondary: us-west-2 }
resources:
  db:
    kind: rds-instance
    identifier: shop
    region: us-east-1
    engine: postgres
    instanceClass: db.t4g.micro
    allocatedStorageGiB: 20
    multiAZ: false
    backupRetentionDays: 1
  api:
    kind: orders-api
    url: https://api.shop.example
    regions:
      us-east-1:
        endpoint: api.us-east-1.shop.internal
        database: db
        capacity: full
        instances: 2${extra.east ?? ''}
      us-west-2:
        endpoint: api.us-west-2.shop.internal
        database: db
        capacity: none
        instances: 2${extra.west ?? ''}
`;

describe('autoScalingGroup of an orders-api deployment', () => {
  it('defaults to <alias>-<region> on the sim, and is what the file says otherwise', async () => {
    const env = await parse(ordersApi('sim', { west: '\n        autoScalingGroup: shop-standby' }));
    expect(autoScalingGroupOf(env, 'api', 'us-east-1')).toBe('api-us-east-1');
    expect(autoScalingGroupOf(env, 'api', 'us-west-2')).toBe('shop-standby');
    expect(() => autoScalingGroupOf(env, 'api', 'eu-west-1')).toThrow(/api does not run in eu-west-1 \(its regions: us-east-1, us-west-2\)/);
    expect(() => autoScalingGroupOf(env, 'db', 'us-east-1')).toThrow(BadInputError);
  });

  it('is required on aws only when a scale-up asks for it, and then points at the deployment', async () => {
    const env = await parse(ordersApi('aws', { west: '\n        autoScalingGroup: shop-standby' }));
    expect(autoScalingGroupOf(env, 'api', 'us-west-2')).toBe('shop-standby');
    const error = (() => {
      try {
        autoScalingGroupOf(env, 'api', 'us-east-1');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(EnvironmentError);
    const line = lineOf(ordersApi('aws'), '      us-east-1:');
    expect((error as EnvironmentError).message).toBe(
      `env.yaml:${line}:7: resources.api.regions.us-east-1: scaling api in us-east-1 on AWS goes through its EC2 Auto Scaling group, which this deployment does not name; add autoScalingGroup: <the group's name>`,
    );
    expect((error as EnvironmentError).line).toBe(line);
  });

  it('takes printable ASCII without ":" and refuses a group two deployments share in a region', async () => {
    const colon = ordersApi('aws', { east: '\n        autoScalingGroup: "orders:east"' });
    expect(await problems(colon)).toEqual([
      `${lineOf(colon, '"orders:east"')}:9: resources.api.regions.us-east-1.autoScalingGroup: expected an Auto Scaling group name (1 to 255 printable ASCII characters without spaces or ":"), got "orders:east"`,
    ]);
    // Different regions may reuse a name; on the sim a written name may clash with another deployment's default.
    await parse(ordersApi('aws', { east: '\n        autoScalingGroup: shop', west: '\n        autoScalingGroup: shop' }));
    const clash = `${ordersApi('sim')}  api2:
    kind: orders-api
    url: https://api2.shop.example
    regions:
      us-east-1:
        endpoint: api2.us-east-1.shop.internal
        database: db
        capacity: full
        instances: 2
        autoScalingGroup: api-us-east-1
`;
    const found = await problems(clash);
    expect(found).toContainEqual(
      `${lineOf(clash, 'autoScalingGroup: api-us-east-1')}:9: resources.api2.regions.us-east-1.autoScalingGroup: api-us-east-1 is already the Auto Scaling group of api in us-east-1; group names are unique per account and region`,
    );
  });
});

describe('roles on an aws environment', () => {
  const aws = (roles: string) => `target: aws
allowedAccountIds: ["111122223333"]
regions: { primary: us-east-1 }
roles:
${roles}`;

  it('takes a role ARN, or the ARN with an external ID', async () => {
    const env = await parse(aws('  backup-admin: arn:aws:iam::111122223333:role/backup-admin\n  intruder: { roleArn: "arn:aws:iam::111122223333:role/path/intruder", externalId: drill-1 }\n'));
    if (env.target !== 'aws') throw new Error('expected aws');
    expect(env.roles).toEqual({
      'backup-admin': { name: 'backup-admin', roleArn: 'arn:aws:iam::111122223333:role/backup-admin' },
      intruder: { name: 'intruder', roleArn: 'arn:aws:iam::111122223333:role/path/intruder', externalId: 'drill-1' },
    });
    expect(assumedRoleOf(env, 'intruder').externalId).toBe('drill-1');
    expect(() => assumedRoleOf(env, 'intruderr')).toThrow('env.yaml: acting as "intruderr" on AWS needs a role to assume under roles (did you mean "intruder"?); it declares "backup-admin" and "intruder"');
    const none = await parse('target: aws\nallowedAccountIds: ["111122223333"]\nregions: { primary: us-east-1 }\n');
    if (none.target !== 'aws') throw new Error('expected aws');
    expect(none.roles).toEqual({});
  });

  it('refuses a role in an account the guard does not allow, a malformed ARN or external ID, and roles on the sim', async () => {
    expect(
      await problems(
        aws('  a: arn:aws:iam::444455556666:role/a\n  b: { roleArn: "arn:aws:iam::444455556666:role/b" }\n  c: arn:aws:s3:::bucket\n  d: { roleArn: "arn:aws:iam::111122223333:role/d", externalId: "x" }\n'),
      ),
    ).toEqual([
      '5:3: roles.a: the role is in account 444455556666, not one of allowedAccountIds (111122223333); the game day acts only in accounts the guard allows',
      '6:8: roles.b.roleArn: the role is in account 444455556666, not one of allowedAccountIds (111122223333); the game day acts only in accounts the guard allows',
      '7:3: roles.c: expected an IAM role ARN like arn:aws:iam::111122223333:role/gameday-backup-admin, got "arn:aws:s3:::bucket"',
      '8:53: roles.d.externalId: expected an external ID (2 to 1224 letters, digits or +=,.@:/-), got "x"',
    ]);
    expect(await problems('regions: { primary: us-east-1 }\nroles:\n  a: arn:aws:iam::123456789012:role/a\n')).toEqual([
      '2:1: roles: roles (IAM roles to assume) are for target aws; on the sim, sim.identities maps access keys to the roles in sim.roles',
    ]);
  });
});

describe('locations', () => {
  it('records where each resource and each orders-api deployment is, for messages after loading', async () => {
    const env: Environment = await loadEnvironment(repo('scenarios/environments/staging.example.yaml'));
    expect(env.locations?.['resources.orders-api.regions.us-west-2']).toEqual({ line: 63, column: 7 });
    expect(problemAt(env, ['resources', 'orders-db'], 'x')).toMatchObject({ line: 29, column: 3, path: 'resources.orders-db' });
    expect(problemAt(env, ['faults', 'nope'], 'x')).toMatchObject({ line: 0, column: 0, path: 'faults.nope' });
    if (env.target !== 'aws') throw new Error('expected aws');
    expect(Object.keys(env.roles)).toEqual(['backup-admin', 'intruder']);
    expect(autoScalingGroupOf(env, 'orders-api', 'us-west-2')).toBe('securecart-staging-orders-usw2');
  });
});
