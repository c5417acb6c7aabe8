import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimServer } from '../src/sim/server.js';
import { CLI_TEST_TIMEOUT, gameday, lines, removeTemporary, ROOT, SETUP_TIMEOUT } from './fixtures/features/run-cli.js';
import { serveStillSecureCart } from './support/securecart-server.js';

/**
 * `gameday run --dry-run` on an aws environment against `gameday sim serve`
 * (SecureCart): the region outage's `${gameday:AvailabilityZones}` filled
 * from the environment's zones, a zone the region does not have refused
 * with exit 2 at its line in the environment file, and a region with no
 * zones declared refused by the loader at the template's line.
 */

let server: SimServer | undefined;
let awsEnv: Record<string, string> = {};
let work: string;

/** An aws environment on the sim's account whose one fault is the shipped region outage; `zones` goes under regions. */
async function environment(zones: string): Promise<string> {
  const text = [
    'target: aws',
    'allowedAccountIds: ["123456789012"]',
    'regions:',
    '  primary: us-east-1',
    '  secondary: us-west-2',
    zones,
    'faults:',
    `  outage: ${join(ROOT, 'scenarios/templates/primary-region-outage.json')}`,
    '',
  ].join('\n');
  const file = join(work, 'zones.yaml');
  await writeFile(file, text);
  return file;
}

async function dryRun(zones: string) {
  const env = await environment(zones);
  const feature = join(work, 'outage.feature');
  await writeFile(feature, 'Feature: outage\n  Scenario: outage\n    Given the "zones" environment\n    When the FIS experiment "outage" runs to completion\n');
  return { env, run: await gameday([feature, '--env', env, '--dry-run', '--ui', 'plain'], { env: awsEnv }) };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'gameday-zones-'));
  ({ server, awsEnv } = await serveStillSecureCart());
}, SETUP_TIMEOUT);

afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
  await removeTemporary();
});

describe('the dry run and ${gameday:AvailabilityZones}', () => {
  it(
    'declared zones the region has: checked and listed; one it does not have: exit 2 at its line in the environment',
    async () => {
      const good = await dryRun('  availabilityZones: { us-east-1: [us-east-1a, us-east-1b, us-east-1c] }');
      expect(good.run.code, `${good.run.stdout}\n${good.run.stderr}`).toBe(0);
      expect(lines(good.run.stdout)).toContain('    ✓ the Availability Zones declared for us-east-1: us-east-1a, us-east-1b, us-east-1c, all in the account (ec2:DescribeAvailabilityZones)');

      const bad = await dryRun('  availabilityZones:\n    us-east-1: [us-east-1a, us-east-1b, us-east-1d]');
      expect(bad.run.code, `${bad.run.stdout}\n${bad.run.stderr}`).toBe(2);
      expect(lines(bad.run.stderr)).toContain(
        `  ${bad.env}:7: regions.availabilityZones.us-east-1[2]: us-east-1d is not an Availability Zone of us-east-1 in this account (ec2:DescribeAvailabilityZones lists us-east-1a, us-east-1b, us-east-1c); it fills \${gameday:AvailabilityZones} (template of fault outage)`,
      );
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'no zones declared for the region: exit 2 at the template’s line, saying what to add',
    async () => {
      const { run } = await dryRun('');
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(2);
      const template = await readFile(join(ROOT, 'scenarios/templates/primary-region-outage.json'), 'utf8');
      const line = template.split('\n').findIndex((l) => l.includes('${gameday:AvailabilityZones}')) + 1;
      expect(run.stderr).toContain(`primary-region-outage.json:${line}:`);
      expect(run.stderr).toContain('${gameday:AvailabilityZones} cannot be resolved: the environment declares no Availability Zones for us-east-1; add every zone the account uses there to it, as regions: { availabilityZones: { us-east-1: [us-east-1a, us-east-1b, …] } }');
    },
    CLI_TEST_TIMEOUT,
  );
});
