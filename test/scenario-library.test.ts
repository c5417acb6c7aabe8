import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSimulator, SIM_START } from '../src/aws/sim-target.js';
import { VirtualClock } from '../src/clock/index.js';
import { loadEnvironment } from '../src/env/index.js';
import type { Simulator } from '../src/sim/index.js';
import { startSimServer, type SimServer } from '../src/sim/server.js';
import { CLI_TEST_TIMEOUT, gameday, memo, removeTemporary, ROOT, SECURECART, SETUP_TIMEOUT } from './fixtures/features/run-cli.js';
import { CATALOG } from './support/fis-catalog.js';
import { stagingRunnerEnv } from './support/transport.js';

/**
 * The shipped scenario-library features (AWS FIS's AZ Availability: Power
 * Interruption and Cross-Region: Connectivity): their templates are made of
 * FIS's own actions only, and the aws target's dry run against `gameday sim
 * serve` (scenarios/environments/rehearsal.yaml) accepts them, read-only,
 * and lists the calls a staging run would make. That they pass on the sim with measured
 * RTO/RPO close to the truth is test/harness-accuracy.test.ts's, on every seed.
 */

const FEATURES = ['features/az-power-interruption.feature', 'features/cross-region-connectivity.feature'];
const TEMPLATES = ['scenarios/templates/az-power-interruption.json', 'scenarios/templates/cross-region-connectivity.json'];
const REHEARSAL = 'scenarios/environments/rehearsal.yaml';

interface Template {
  targets: Record<string, { resourceType: string; resourceTags?: Record<string, string>; resourceArns?: string[] }>;
  actions: Record<string, { actionId: string }>;
}

let server: SimServer | undefined;
let sim: Simulator | undefined;
let awsEnv: Record<string, string> = {};

const dryRun = memo(() => gameday([...FEATURES, '--env', REHEARSAL, '--dry-run', '--ui', 'plain'], { env: awsEnv }));

beforeAll(async () => {
  const env = await loadEnvironment(SECURECART);
  if (env.target !== 'sim') throw new Error('securecart.yaml is a sim environment');
  const clock = new VirtualClock({ start: SIM_START });
  sim = buildSimulator({ clock, seed: 42, env });
  server = await startSimServer({ host: '127.0.0.1', port: 0, create: () => ({ sim: sim!, clock }), freeRunning: false });
  awsEnv = stagingRunnerEnv(server.url);
  await dryRun();
}, SETUP_TIMEOUT);

afterAll(async () => {
  await server?.close();
  await removeTemporary();
});

describe('the scenario-library features', () => {
  it('use only FIS actions, and select resources by tags (IAM roles, which FIS targets only by ARN, aside)', async () => {
    for (const file of TEMPLATES) {
      const template = JSON.parse(await readFile(join(ROOT, file), 'utf8')) as Template;
      for (const [name, action] of Object.entries(template.actions)) {
        expect(CATALOG as readonly string[], `${file}: ${name}`).toContain(action.actionId);
      }
      for (const [name, target] of Object.entries(template.targets)) {
        if (target.resourceType === 'aws:iam:role') expect(target.resourceArns, `${file}: ${name}`).toHaveLength(1);
        else expect(Object.keys(target.resourceTags ?? {}), `${file}: ${name}`).toContain('app');
      }
    }
  });

  it(
    'pass the aws target’s dry run against gameday sim serve, which checks them against FIS and the resources read-only and lists each experiment’s actions',
    async () => {
      const run = await dryRun();
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toContain('dry run: 4 scenarios in rehearsal (target aws); read-only AWS calls only (2 FIS templates checked); nothing was changed');
      for (const fault of ['az-power-interruption', 'cross-region-connectivity']) {
        expect(run.stdout).toContain(`  ${fault}: scenarios/templates/${fault}.json in us-east-1: its actions, parameters and targets as FIS takes them`);
      }
      for (const file of TEMPLATES) {
        const template = JSON.parse(await readFile(join(ROOT, file), 'utf8')) as Template;
        const actions = Object.values(template.actions).map((a) => a.actionId);
        expect(run.stdout).toContain(`fis:CreateExperimentTemplate (mutating) in us-east-1 from ${file}: ${actions.join(', ')}`);
      }
      expect(run.stdout).not.toContain('gameday:sim:');
      // Nothing was created on the server: no template, no experiment; what it asked, it only read
      // (but the transit-gateway read the sim does not serve, which it records as Unknown).
      expect(sim!.world.events.filter((e) => e.kind === 'fis.template.created' || e.kind === 'fis.experiment.state')).toEqual([]);
      for (const record of sim!.world.audit.filter((r) => r.errorCode !== 'InvalidAction')) expect(record.readOnly, record.eventName).toBe(true);
    },
    CLI_TEST_TIMEOUT,
  );
});
