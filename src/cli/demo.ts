import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand, StartExperimentCommand } from '@aws-sdk/client-fis';
import type { Writable } from 'node:stream';
import { buildSimulator, SIM_START } from '../aws/sim-target.js';
import { loadSimEnvironment } from './environment.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import type { Speed } from '../clock/types.js';
import { resolveAlias, resolveFault } from '../env/index.js';
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { simClientConfig } from '../sim/index.js';

export interface DemoOptions {
  env: string;
  seed: number;
  speed: Speed;
  cwd: string;
  stdout: Writable;
  interrupt: AbortSignal;
  /** Real milliseconds, for the simulated-to-wall ratio; read at the edge. */
  wallNow: () => number;
}

const FAULT = 'rds-reboot-with-failover';
const DATABASE = 'orders-db';
const TERMINAL = new Set(['completed', 'stopped', 'failed', 'cancelled']);

function stamp(ms: number): string {
  const total = ms / 1000;
  const minutes = Math.floor(total / 60);
  return `t+${String(minutes).padStart(2, '0')}:${(total - minutes * 60).toFixed(1).padStart(4, '0')}`;
}

/**
 * A preview of a game day until `gameday run` lands: the Multi-AZ failover of
 * SecureCart's orders database, driven through FIS with the real SDK clients
 * in process against the sim, observed by polling as an operator would.
 */
export async function demo(options: DemoOptions): Promise<ExitCodeValue> {
  const out = (line: string) => options.stdout.write(`${line}\n`);
  const env = await loadSimEnvironment(options.cwd, options.env);
  const fault = resolveFault(env, FAULT);
  const database = resolveAlias(env, DATABASE, ['rds-instance']);
  const clock = new VirtualClock({ start: SIM_START, speed: options.speed });
  const sim = buildSimulator({ clock, seed: options.seed, env });
  const fis = new FisClient(simClientConfig(sim, fault.region));
  const rds = new RDSClient(simClientConfig(sim, database.region));
  const wallStart = options.wallNow();

  out(`gameday sim demo: ${env.file}, seed ${options.seed}, speed ${options.speed === 'max' ? 'as fast as possible' : `${options.speed}×`}`);
  out(`  fault "${FAULT}" (${fault.templateFile}) against "${DATABASE}" (${database.identifier}, ${database.region})`);
  out('');

  const outcome = await clock.run('demo', async () => {
    const describe = async () => {
      const { DBInstances } = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: database.identifier }));
      const instance = DBInstances?.[0];
      return { status: instance?.DBInstanceStatus ?? 'unknown', az: instance?.AvailabilityZone ?? '?' };
    };
    const before = await describe();
    out(`${stamp(0)}  ${database.identifier} is ${before.status} in ${before.az}`);
    const { experimentTemplate } = await fis.send(
      new CreateExperimentTemplateCommand({ ...fault.template, clientToken: `gameday-demo-${options.seed}` }),
    );
    const { experiment } = await fis.send(new StartExperimentCommand({ experimentTemplateId: experimentTemplate?.id }));
    out(`${stamp(0)}  FIS experiment ${experiment?.id} started from template ${experimentTemplate?.id}`);

    let lastExperiment = '';
    let lastDatabase = `${before.status}@${before.az}`;
    let state: string = experiment?.state?.status ?? 'pending';
    let current = before;
    while (!(TERMINAL.has(state) && current.status === 'available')) {
      if (options.interrupt.aborted) return ExitCode.interrupted;
      await clock.sleep(1000, 'between polls');
      const got = await fis.send(new GetExperimentCommand({ id: experiment?.id }));
      state = got.experiment?.state?.status ?? 'unknown';
      const actions = Object.entries(got.experiment?.actions ?? {})
        .map(([name, action]) => `${name}=${action.state?.status}`)
        .join(', ');
      const experimentLine = `experiment ${state}${got.experiment?.state?.reason ? ` (${got.experiment.state.reason})` : ''}; ${actions}`;
      if (experimentLine !== lastExperiment) out(`${stamp(clock.now() - SIM_START)}  ${(lastExperiment = experimentLine)}`);
      current = await describe();
      const databaseLine = `${current.status}@${current.az}`;
      if (databaseLine !== lastDatabase) {
        out(`${stamp(clock.now() - SIM_START)}  ${database.identifier} is ${current.status} in ${current.az}`);
        lastDatabase = databaseLine;
      }
    }
    return state === 'completed' ? ExitCode.ok : ExitCode.failed;
  });

  const failover = sim.world.events.filter((e) => e.kind.startsWith('rds.failover'));
  const started = failover.find((e) => e.kind === 'rds.failover.started');
  const completed = failover.find((e) => e.kind === 'rds.failover.completed');
  out('');
  if (started && completed) out(`Multi-AZ failover took ${((completed.at - started.at) / 1000).toFixed(1)} s (calibrated range 60–120 s)`);
  const simulated = (clock.now() - SIM_START) / 1000;
  const wall = (options.wallNow() - wallStart) / 1000;
  out(`simulated ${simulated.toFixed(0)} s in ${wall.toFixed(2)} s of wall time; ${sim.world.audit.length} API calls in the audit trail`);
  return outcome;
}
