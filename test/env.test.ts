import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CreateExperimentTemplateCommandInput } from '@aws-sdk/client-fis';
import { describe, expect, it } from 'vitest';
import {
  EnvironmentError,
  UnknownAliasError,
  UnknownFaultError,
  aliasesOf,
  loadEnvironment,
  parseEnvironment,
  resolveAlias,
  resolveFault,
  type Environment,
  type FisExperimentTemplate,
  type RdsInstance,
} from '../src/env/index.js';
import { ExitCode, exitCodeOf } from '../src/errors.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Paths as a user at the repository root types them, which is what messages show. */
const repo = (file: string) => path.relative(process.cwd(), path.join(root, file));
const fixture = (file: string) => repo(`test/fixtures/env/${file}`);

async function failure(load: Promise<Environment>): Promise<EnvironmentError> {
  const error = await load.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof EnvironmentError)) throw new Error(`expected an EnvironmentError, got ${String(error)}`);
  return error;
}

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
      tags: { app: 'securecart', tier: 'critical' },
    });
    const replica = resolveAlias(env, 'orders-db-replica', ['rds-read-replica']);
    expect(replica).toMatchObject({ source: 'orders-db', region: 'us-west-2', multiAZ: false });
    expect(replica.instanceClass).toBe('db.r6g.large'); // inherited from the source
    expect(replica.tags['tier']).not.toBe('critical'); // so the failover template cannot select it

    expect(Object.keys(env.faults)).toEqual(['rds-reboot-with-failover', 'primary-region-outage', 'cross-region-connectivity', 'az-connectivity-loss']);
    const reboot = resolveFault(env, 'rds-reboot-with-failover');
    expect(reboot.region).toBe('us-east-1');
    expect(reboot.templateFile).toBe(repo('scenarios/templates/rds-reboot-with-failover.json'));
    expect(reboot.template.actions['reboot-with-failover']).toEqual(
      expect.objectContaining({ actionId: 'aws:rds:reboot-db-instances', parameters: { forceFailover: 'true' } }),
    );
    expect(resolveFault(env, 'primary-region-outage').template.actions['region-outage']?.parameters).toEqual({
      region: 'us-east-1',
      duration: 'PT2H',
    });

    expect(env.stopConditions).toEqual([
      { source: 'aws:cloudwatch:alarm', value: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:securecart-gameday-abort' },
    ]);
    expect(env.probes).toEqual({ resolutionSeconds: 5, consecutiveSuccesses: 3 });
    if (env.target !== 'sim') throw new Error('securecart.yaml targets the sim');
    expect(env.sim.seed).toBe(42);
    expect(env.sim.accountId).toBe('123456789012');
    expect(env.sim.calibration).toEqual({ 'rds.instance.failover': { minSeconds: 60, maxSeconds: 120 } });
    expect(env.sim.identities['AKIABACKUPADMIN00001']).toBe('backup-admin');
    expect(env.sim.subnets.map((s) => `${s.region}/${s.availabilityZone}`)).toEqual([
      'us-east-1/us-east-1a',
      'us-east-1/us-east-1b',
      'us-west-2/us-west-2a',
      'us-west-2/us-west-2b',
    ]);
  });

  it('loads staging.example.yaml: an aws target with its account guard', async () => {
    const env = await loadEnvironment(repo('scenarios/environments/staging.example.yaml'));
    expect(env.target).toBe('aws');
    expect(env.allowedAccountIds).toEqual(['111122223333']);
    expect('sim' in env).toBe(false);
    expect(env.probes).toEqual({ resolutionSeconds: 5, consecutiveSuccesses: 3 });
    expect(resolveFault(env, 'primary-region-outage').template.actions['isolate-subnets']?.actionId).toBe(
      'aws:network:disrupt-connectivity',
    );
  });

  it('gives every template the shape of the SDK input, so the harness can pass it on as is', async () => {
    const env = await loadEnvironment(repo('scenarios/environments/securecart.yaml'));
    const template: FisExperimentTemplate = resolveFault(env, 'cross-region-connectivity').template;
    // The check that matters is the compiler's: this assignment must type-check.
    const input: CreateExperimentTemplateCommandInput = { clientToken: 'run-1', ...template };
    expect(input.actions?.['disrupt-cross-region']?.targets).toEqual({ Subnets: 'primary-subnets' });
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
      probes: { resolutionSeconds: 5, consecutiveSuccesses: 3 },
      sim: { seed: 42, accountId: '123456789012', calibration: {}, roles: [], identities: {}, subnets: [] },
    });
    expect(resolveAlias(env, 'shop-db')).toMatchObject({ kind: 'rds-instance', tags: {}, subnetIds: [] });
  });

  it('completes a calibration range given by one end from the default', async () => {
    const text = 'regions: { primary: eu-west-1 }\nsim:\n  calibration:\n    rds.replica.lag: { maxSeconds: 30 }\n';
    const env = await parseEnvironment(text, 'env.yaml', files({}));
    if (env.target !== 'sim') throw new Error('a file without target is for the sim');
    expect(env.sim.calibration).toEqual({ 'rds.replica.lag': { minSeconds: 1, maxSeconds: 30 } });
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
      `${fixture('schema/unknown-kind.yaml')}:5:5: resources.shop-db.kind: expected one of "rds-instance" or "rds-read-replica", got "rds-instanse" (did you mean "rds-instance"?)`,
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
      `${file}:20:5: resources.history.kind: expected one of "rds-instance" or "rds-read-replica", got "dynamodb-table"`,
      `${file}:25:5: resources.history-replica.source: "history" is a dynamodb-table; a read replica's source must be an rds-instance (rds-instance aliases: "shop-db")`,
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

describe('resolveAlias', () => {
  const load = () => loadEnvironment(repo('scenarios/environments/securecart.yaml'));

  it('returns the resource, typed by the kinds asked for', async () => {
    const env = await load();
    const db: RdsInstance = resolveAlias(env, 'orders-db', ['rds-instance']);
    expect(db.backupRetentionDays).toBe(7);
    expect(aliasesOf(env)).toEqual(['orders-db', 'orders-db-replica']);
    expect(aliasesOf(env, ['rds-read-replica'])).toEqual(['orders-db-replica']);
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
      'known faults: "rds-reboot-with-failover", "primary-region-outage", "cross-region-connectivity" and "az-connectivity-loss"',
    );
  });
});
