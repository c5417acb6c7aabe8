import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { makeClients } from '../src/aws/index.js';
import { parseEnvironment, resolveFault } from '../src/env/index.js';
import { checkTemplates } from '../src/harness/index.js';
import { ACCOUNT, EAST, securecartOver, WEST } from './support/sim.js';
import { transports, useTransport, type TransportHarness } from './support/transport.js';

/**
 * The aws target's dry run checks the Availability Zones an environment
 * declares for `${gameday:AvailabilityZones}` exist in the fault's region
 * (ec2:DescribeAvailabilityZones), against the sim SecureCart runs on, with
 * the real SDK over both transports: rehearsal.yaml's us-east-1 a, b and c
 * pass; a zone the region does not have is a problem at its line in the
 * environment file, which the dry run turns into bad input (exit 2) as it
 * does every template problem.
 */

const REHEARSAL = 'scenarios/environments/rehearsal.yaml';
const DECLARED = '    us-east-1: [us-east-1a, us-east-1b, us-east-1c]';

async function check(via: TransportHarness, text: string) {
  const { sim, clock } = await securecartOver(via);
  const env = await parseEnvironment(text, REHEARSAL, (file) => readFile(file, 'utf8'));
  const configs: Record<string, object> = { [EAST]: await via.config(sim, clock, EAST), [WEST]: await via.config(sim, clock, WEST) };
  const clients = makeClients((region) => configs[region]!);
  try {
    const [found] = await checkTemplates(clients, [resolveFault(env, 'primary-region-outage')], ACCOUNT);
    return found!;
  } finally {
    clients.destroy();
  }
}

describe.each(transports)('the dry run checks declared Availability Zones, over the %s transport', (transport) => {
  const via = useTransport(transport);

  it("rehearsal.yaml's zones of us-east-1 are the region's: checked, no problem", async () => {
    const text = await readFile(REHEARSAL, 'utf8');
    expect(text).toContain(DECLARED);
    const found = await check(via, text);
    expect(found.problems).toEqual([]);
    expect(found.checked).toContain('the Availability Zones declared for us-east-1: us-east-1a, us-east-1b, us-east-1c, all in the account (ec2:DescribeAvailabilityZones)');
  });

  it('a declared zone the region does not have is a problem at its line in the environment file', async () => {
    const text = (await readFile(REHEARSAL, 'utf8')).replace(DECLARED, '    us-east-1: [us-east-1a, us-east-1b, us-east-1d]');
    const line = text.split('\n').findIndex((l) => l.includes('us-east-1d')) + 1;
    const found = await check(via, text);
    expect(found.problems).toEqual([
      {
        fault: 'primary-region-outage',
        file: REHEARSAL,
        line,
        column: text.split('\n')[line - 1]!.indexOf('us-east-1d') + 1,
        path: 'regions.availabilityZones.us-east-1[2]',
        message: 'us-east-1d is not an Availability Zone of us-east-1 in this account (ec2:DescribeAvailabilityZones lists us-east-1a, us-east-1b, us-east-1c); it fills ${gameday:AvailabilityZones}',
      },
    ]);
    expect(found.checked.some((c) => c.startsWith('the Availability Zones'))).toBe(false);
  });
});
