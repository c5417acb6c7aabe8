import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { buildSimulator } from '../aws/sim-target.js';
import { loadSimEnvironment } from './environment.js';
import { VirtualClock } from '../clock/virtual-clock.js';
import type { Speed } from '../clock/types.js';
import type { SimEnvironment } from '../env/index.js';
import { BadInputError, ExitCode, type ExitCodeValue } from '../errors.js';
import { startSimServer } from '../sim/server.js';

export interface ServeOptions {
  port: number;
  host: string;
  env?: string;
  seed?: number;
  speed: Speed;
  /** Where virtual time starts (epoch ms); the wall clock's now (at start and at each reset) unless told. */
  start?: number;
  wallNow: () => number;
  cwd: string;
  stdout: Writable;
  stderr: Writable;
  interrupt: AbortSignal;
}

export async function serve(options: ServeOptions): Promise<ExitCodeValue> {
  if (options.speed === 'max') {
    throw new BadInputError('--speed max makes no sense for a server: its clock runs at real time × N; give a number');
  }
  const speed = options.speed;
  const env: SimEnvironment | undefined = options.env
    ? await loadSimEnvironment(options.cwd, options.env)
    : undefined;
  const seed = options.seed ?? env?.sim.seed ?? 1;
  const server = await startSimServer({
    host: options.host,
    port: options.port,
    create: () => {
      // A rehearsal at --speed 1 is a faithful staging run: the sim's clock reads what the runner's does.
      const clock = new VirtualClock({ start: options.start ?? options.wallNow(), speed });
      return { clock, sim: buildSimulator({ clock, seed, ...(env ? { env } : {}) }) };
    },
    onWarning: (message) => options.stderr.write(`gameday sim: ${message}\n`),
  }).catch((error: NodeJS.ErrnoException) => {
    // The usual mistakes with an address, said as such rather than as a stack trace.
    if (error.code === 'EADDRINUSE') throw new BadInputError(`--port ${options.port}: something already listens on ${options.host}:${options.port} (another gameday sim serve?); stop it or choose another port (--port 0 picks a free one)`);
    if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') throw new BadInputError(`--host ${options.host}: not an address of this machine`);
    if (error.code === 'EACCES') throw new BadInputError(`--port ${options.port}: not allowed to listen there (ports below 1024 need privileges); choose another port`);
    throw error;
  });
  const services = server
    .current()
    .world.modules()
    .flatMap((m) => (m.binding ? [m.binding.signingName] : []));
  options.stdout.write(
    [
      `gameday sim listening on ${server.url}`,
      `  environment: ${env ? env.file : '(none: an empty account)'}   seed: ${seed}   speed: ${speed}× real time   clock: ${new Date(server.current().world.clock.now()).toISOString()}`,
      `  services: ${services.join(', ')}   control: ${server.url}/_gameday/health`,
      `  try: aws --endpoint-url ${server.url} --region ${env?.regions.primary ?? 'us-east-1'} rds describe-db-instances`,
      '',
    ].join('\n'),
  );
  if (!options.interrupt.aborted) await once(options.interrupt, 'abort');
  await server.close();
  options.stdout.write('gameday sim stopped\n');
  return ExitCode.interrupted;
}
