import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadEnvironment, parseEnvironment, resolveFault, type Environment } from '../src/env/index.js';
import { ExitCode, exitCodeOf } from '../src/errors.js';
import { environmentRefusal } from './support/environment.js';

/**
 * `${gameday:AvailabilityZones}` in FIS templates (issue 13): the fault
 * region's zones, from the environment's regions.availabilityZones, or on
 * the sim from the sim's own zones; on aws a template that uses it needs the
 * region declared. A region outage written `${AWS::Region}a,b` left
 * staging's third zone open to the Auto Scaling groups.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const repo = (file: string) => path.relative(process.cwd(), path.join(root, file));

function files(contents: Record<string, string>) {
  return async (file: string): Promise<string> => {
    const text = contents[file];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${file}'`), { code: 'ENOENT' });
    return text;
  };
}

/** The EnvironmentError a load is refused with. */
const failure = environmentRefusal;

/** A template that starves Auto Scaling of capacity in the zones the environment gives it. */
const starve = JSON.stringify(
  {
    description: 'no capacity in ${AWS::Region}',
    roleArn: 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/gameday-fis',
    targets: { groups: { resourceType: 'aws:ec2:autoscaling-group', resourceTags: { app: 'shop' }, selectionMode: 'ALL' } },
    actions: {
      starve: {
        actionId: 'aws:ec2:asg-insufficient-instance-capacity-error',
        parameters: { availabilityZoneIdentifiers: '${gameday:AvailabilityZones}', percentage: '100', duration: 'PT1M' },
        targets: { AutoScalingGroups: 'groups' },
      },
    },
    stopConditions: [{ source: 'none' }],
  },
  null,
  2,
);
const zonesOf = (env: Environment, fault: string) => resolveFault(env, fault).template.actions['starve']?.parameters?.['availabilityZoneIdentifiers'];

describe('${gameday:AvailabilityZones}', () => {
  it("on the sim: the sim's zones of the fault's region (a, b, c and any its subnets add), unless the environment declares them", async () => {
    const text = [
      'regions:',
      '  primary: eu-west-1',
      '  secondary: eu-central-1',
      '  availabilityZones: { eu-central-1: [eu-central-1b, eu-central-1a] }',
      'sim:',
      '  subnets:',
      '    eu-west-1: [{ id: subnet-0e1d0000000000001, availabilityZone: eu-west-1d }]',
      'faults:',
      '  here: starve.json',
      '  there: { template: starve.json, region: eu-central-1 }',
      '',
    ].join('\n');
    const env = await parseEnvironment(text, 'sim.yaml', files({ 'starve.json': starve }));
    expect(zonesOf(env, 'here')).toBe('eu-west-1a,eu-west-1b,eu-west-1c,eu-west-1d');
    // Declared: as written, in the order written.
    expect(zonesOf(env, 'there')).toBe('eu-central-1b,eu-central-1a');
  });

  it("on aws: the declared zones; a region the template needs that the file does not declare is bad input at the template's line, saying what to add", async () => {
    const text = (zones: string) => ['target: aws', 'allowedAccountIds: ["111122223333"]', 'regions:', '  primary: us-east-1', zones, 'faults: { starve: starve.json }', ''].join('\n');
    const env = await parseEnvironment(text('  availabilityZones: { us-east-1: [us-east-1a, us-east-1b, us-east-1c] }'), 'staging.yaml', files({ 'starve.json': starve }));
    expect(zonesOf(env, 'starve')).toBe('us-east-1a,us-east-1b,us-east-1c');
    // What the dry run checks: the zones and where the environment says them.
    expect(resolveFault(env, 'starve').declaredZones).toEqual({
      zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      file: 'staging.yaml',
      locations: [
        { line: 5, column: 36 },
        { line: 5, column: 48 },
        { line: 5, column: 60 },
      ],
    });

    const error = await failure(parseEnvironment(text(''), 'staging.yaml', files({ 'starve.json': starve })));
    expect(error.message).toBe(
      'starve.json:17:9: actions.starve.parameters.availabilityZoneIdentifiers: ${gameday:AvailabilityZones} cannot be resolved: the environment declares no Availability Zones for us-east-1; add every zone the account uses there to it, as regions: { availabilityZones: { us-east-1: [us-east-1a, us-east-1b, …] } } (template of fault starve)',
    );
    expect(exitCodeOf(error)).toBe(ExitCode.badInput);
  });

  it('an unknown ${gameday:…} name is bad input, like an unknown ${AWS::…} one', async () => {
    const template = starve.replace('${gameday:AvailabilityZones}', '${gameday:AvailabilityZone}');
    const error = await failure(parseEnvironment('regions: { primary: eu-west-1 }\nfaults: { starve: starve.json }\n', 'sim.yaml', files({ 'starve.json': template })));
    expect(error.message).toBe(
      'starve.json:17:9: actions.starve.parameters.availabilityZoneIdentifiers: unknown pseudo parameter ${gameday:AvailabilityZone} (did you mean "${gameday:AvailabilityZones}"?): a template may use ${AWS::AccountId}, ${AWS::Region}, ${AWS::Partition}, ${gameday:AvailabilityZones} (template of fault starve)',
    );
  });

  it('declared zones must be zones of that region, each once, of a region of the environment, and on the sim zones the sim has', async () => {
    const text = [
      'regions:',
      '  primary: eu-west-1',
      '  availabilityZones:',
      '    eu-west-1: [eu-west-1a, eu-west-2b, eu-west-1a, eu-west-1f]',
      '    eu-north-1: [eu-north-1a]',
      '    us-east-1: [us-east-1]',
      '',
    ].join('\n');
    const error = await failure(parseEnvironment(text, 'sim.yaml', files({})));
    expect(error.message.split('\n')).toEqual([
      'sim.yaml:6:17: regions.availabilityZones.us-east-1[0]: expected an Availability Zone like us-east-1a, got \"us-east-1\"',
    ]);
    const fixed = await failure(parseEnvironment(text.replace('    us-east-1: [us-east-1]\n', ''), 'sim.yaml', files({})));
    expect(fixed.message.split('\n')).toEqual([
      'sim.yaml:4:29: regions.availabilityZones.eu-west-1[1]: eu-west-2b is not in eu-west-1',
      'sim.yaml:4:41: regions.availabilityZones.eu-west-1[2]: eu-west-1a is listed twice for eu-west-1',
      'sim.yaml:4:53: regions.availabilityZones.eu-west-1[3]: the sim has no eu-west-1f: its zones of eu-west-1 are eu-west-1a, eu-west-1b, eu-west-1c (a sim subnet in another zone adds that zone)',
      'sim.yaml:5:5: regions.availabilityZones.eu-north-1: eu-north-1 is not a region of this environment (regions: eu-west-1)',
    ]);
  });
});

describe('the shipped region outage', () => {
  it('starves every zone of the region: the sim’s three on the sim, the ones staging declares on staging', async () => {
    const sim = await loadEnvironment(repo('scenarios/environments/securecart.yaml'));
    const staging = await loadEnvironment(repo('scenarios/environments/staging.example.yaml'));
    const rehearsal = await loadEnvironment(repo('scenarios/environments/rehearsal.yaml'));
    const parameter = (env: Environment) => resolveFault(env, 'primary-region-outage').template.actions['Pause-ASG-Scaling']?.parameters?.['availabilityZoneIdentifiers'];
    expect(parameter(sim)).toBe('us-east-1a,us-east-1b,us-east-1c');
    expect(parameter(staging)).toBe('us-east-1a,us-east-1b,us-east-1c');
    expect(parameter(rehearsal)).toBe(parameter(sim));
  });
});
