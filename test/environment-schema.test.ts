import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENVIRONMENT_SCHEMA_FILE, environmentJsonSchemaText } from '../src/env/json-schema.js';
import { environmentFileSchema } from '../src/env/schema.js';
import { validateAgainst } from './support/json-schema.js';

/** schemas/environment.schema.json: generated from the zod schema, and as strict as it where JSON Schema can be. */

const repo = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));
const read = (path: string) => readFileSync(repo(path), 'utf8');

const shipped = readdirSync(repo('scenarios/environments'))
  .filter((file) => /\.ya?ml$/.test(file))
  .map((file) => `scenarios/environments/${file}`);
// Not valid YAML (test/cli.test.ts wants its syntax error), but still opened in editors.
const withSchemaLine = [...shipped, 'test/fixtures/features/env/securecart.yaml'];

const check = (value: unknown) => validateAgainst(ENVIRONMENT_SCHEMA_FILE, value);

const minimal = { regions: { primary: 'us-east-1' } };
const ordersDb = {
  kind: 'rds-instance',
  identifier: 'orders',
  region: 'us-east-1',
  engine: 'postgres',
  instanceClass: 'db.r6g.large',
  allocatedStorageGiB: 20,
  multiAZ: true,
  backupRetentionDays: 7,
};
const ordersApi = {
  kind: 'orders-api',
  url: 'https://api.example.com',
  regions: { 'us-east-1': { endpoint: 'orders.us-east-1.example.internal', database: 'db', capacity: 'full', instances: 2 } },
};
const record = {
  kind: 'dns-failover-record',
  identifier: 'api.example.com',
  zone: 'example.com',
  ttlSeconds: 60,
  primary: { region: 'us-east-1', service: 'api' },
  secondary: { region: 'us-west-2', service: 'api' },
  healthCheck: { intervalSeconds: 30, failureThreshold: 3 },
};
const plan = {
  kind: 'backup-plan',
  identifier: 'daily',
  region: 'us-east-1',
  vault: 'vault',
  rules: [{ name: 'daily', schedule: 'cron(0 5 ? * * *)', deleteAfterDays: 7 }],
  selection: { tags: { backup: 'daily' } },
};

describe('schemas/environment.schema.json', () => {
  it('is what the generator makes of src/env/schema.ts now', () => {
    expect(read(ENVIRONMENT_SCHEMA_FILE), `${ENVIRONMENT_SCHEMA_FILE} is out of date with src/env/schema.ts: run \`npm run schemas\``).toBe(
      environmentJsonSchemaText(),
    );
  });

  it.each(shipped)('accepts %s', (file) => {
    expect(check(parse(read(file)))).toEqual([]);
  });

  it("accepts the loader's fixture of every kind with only its required keys", () => {
    expect(check(parse(read('test/fixtures/env/kinds/defaults.yaml')))).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['a fault given by its template path alone', { ...minimal, faults: { reboot: '../templates/reboot.json' } }],
    ['a fault given as a mapping', { ...minimal, faults: { reboot: { template: 'reboot.json', region: 'us-west-2' } } }],
    ['a tag key that only starts like "aws:"', { ...minimal, resources: { db: { ...ordersDb, tags: { awsome: 'yes' } } } }],
    ['a calibration override with one bound', { ...minimal, sim: { calibration: { 'rds.instance.failover': { maxSeconds: 90 } } } }],
    ['a cron schedule with spaces around it', { ...minimal, resources: { plan: { ...plan, rules: [{ ...plan.rules[0], schedule: ' cron(0 5 ? * * *) ' }] } } }],
  ])('accepts, as zod does, %s', (_, document) => {
    expect(environmentFileSchema.safeParse(document).success).toBe(true);
    expect(check(document)).toEqual([]);
  });

  it.each<[string, unknown, string]>([
    ['an unknown top-level key', { ...minimal, region: 'us-east-1' }, '/ must NOT have additional properties: "region"'],
    ['an unknown key in a resource', { ...minimal, resources: { db: { ...ordersDb, multiAz: true } } }, '/resources/db must NOT have additional properties: "multiAz"'],
    ['a kind that does not exist', { ...minimal, resources: { db: { ...ordersDb, kind: 'aurora-cluster' } } }, '/resources/db/kind must be equal to constant'],
    ['a wrong target', { ...minimal, target: 'prod' }, '/target must be equal to one of the allowed values'],
    ['an account id of 11 digits', { ...minimal, allowedAccountIds: ['12345678901'] }, '/allowedAccountIds/0 must match pattern "^\\d{12}$"'],
    ['an account id written as a number', { ...minimal, sim: { accountId: 123456789012 } }, '/sim/accountId must be string'],
    ['a fault template path that is empty', { ...minimal, faults: { reboot: '' } }, '/faults/reboot must NOT have fewer than 1 characters'],
    ['an RDS identifier ending with a hyphen', { ...minimal, resources: { db: { ...ordersDb, identifier: 'orders-' } } }, '/resources/db/identifier must NOT be valid'],
    ['a tag key starting with "AWS:"', { ...minimal, resources: { db: { ...ordersDb, tags: { 'AWS:x': 'y' } } } }, '/resources/db/tags property name must be valid: "AWS:x"'],
    ['an orders-api without regions', { ...minimal, resources: { api: { ...ordersApi, regions: {} } } }, '/resources/api/regions must NOT have fewer than 1 properties'],
    ['a health check every 20 seconds', { ...minimal, resources: { api: { ...record, healthCheck: { intervalSeconds: 20, failureThreshold: 3 } } } }, '/resources/api/healthCheck/intervalSeconds must be equal to one of the allowed values'],
    ['a calibration key that does not exist', { ...minimal, sim: { calibration: { 'rds.failover': { minSeconds: 1 } } } }, '/sim/calibration property name must be valid: "rds.failover"'],
    ['a calibration override without bounds', { ...minimal, sim: { calibration: { 'rds.instance.failover': {} } } }, '/sim/calibration/rds.instance.failover must NOT have fewer than 1 properties'],
    ['a schedule that is not cron(...)', { ...minimal, resources: { plan: { ...plan, rules: [{ ...plan.rules[0], schedule: '0 5 ? * * *' }] } } }, '/resources/plan/rules/0/schedule must match pattern'],
  ])('refuses, as zod does, %s', (_, document, error) => {
    expect(environmentFileSchema.safeParse(document).success).toBe(false);
    expect(check(document)).toContainEqual(expect.stringContaining(error));
  });
});

describe('the yaml-language-server line', () => {
  it.each(withSchemaLine)('starts %s and names the environment schema', (file) => {
    const first = read(file).split('\n', 1)[0];
    const named = /^# yaml-language-server: \$schema=(\S+)$/.exec(first ?? '')?.[1];
    expect(named, `the first line of ${file}`).toBeDefined();
    // The path is relative to the file, as the language server resolves it.
    expect(resolve(dirname(repo(file)), named ?? '')).toBe(repo(ENVIRONMENT_SCHEMA_FILE));
    expect(() => readFileSync(resolve(dirname(repo(file)), named ?? ''))).not.toThrow();
  });
});
