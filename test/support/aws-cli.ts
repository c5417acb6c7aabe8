import { execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';

/**
 * The real AWS CLI v2 against `gameday sim serve`, for the tests that hold
 * the simulator to what the CLI expects of AWS: finding a v2 binary, a server
 * of SecureCart on a free port, and `aws` run with nothing of the shell's AWS
 * setup but the test's own key and config file.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The first `aws` that is version 2 (v1 speaks neither as v2 does): Debian's /usr/bin/aws, or whatever PATH finds. */
export function findCliV2(): { path?: string; why: string } {
  const tried: string[] = [];
  for (const candidate of ['/usr/bin/aws', 'aws']) {
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    const version = `${probe.stdout ?? ''}${probe.stderr ?? ''}`.trim();
    if (probe.status === 0 && version.startsWith('aws-cli/2.')) return { path: candidate, why: version };
    tried.push(`${candidate}: ${probe.error ? 'not found' : version || `exit ${probe.status}`}`);
  }
  return { why: `no AWS CLI v2 (${tried.join('; ')})` };
}

export interface CliOptions {
  /** The CLI binary (findCliV2's path). */
  cli: string;
  /** An access key of the sim's account: who the calls are made as. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The CLI's config file, e.g. path-style S3 addressing (the sim answers on 127.0.0.1, which no bucket name can prefix). */
  config?: string;
  /** Added to every call, as `--region`. */
  region?: string;
  timeoutMs?: number;
}

export interface CliServer {
  url: string;
  /** A directory of the test's own (the CLI's config file is in it), removed by close(). */
  home: string;
  /** `aws --endpoint-url <sim> …args [--region R] --output json`, parsed when it prints JSON (`aws s3 cp` prints a line of text). */
  aws<T>(...args: string[]): Promise<T>;
  /** Jump the server's virtual clock, firing everything due on the way. */
  advance(seconds: number): Promise<void>;
  close(): Promise<void>;
}

/** `gameday sim serve` of SecureCart on a free port, and an `aws` that calls it. */
export async function startCliServer(options: CliOptions): Promise<CliServer> {
  const home = await mkdtemp(join(tmpdir(), 'gameday-cli-v2-'));
  await writeFile(join(home, 'config'), options.config ?? '[default]\n');
  const child = spawn(process.execPath, ['bin/gameday.js', 'sim', 'serve', '--port', '0', '--env', 'scenarios/environments/securecart.yaml'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit');
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /^gameday sim listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`gameday sim serve exited with ${code} before listening\n${stderr}`)));
  });
  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_'))),
    AWS_ACCESS_KEY_ID: options.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  return {
    url,
    home,
    async aws<T>(...args: string[]): Promise<T> {
      const region = options.region ? ['--region', options.region] : [];
      const { stdout } = await promisify(execFile)(options.cli, ['--endpoint-url', url, ...args, ...region, '--output', 'json'], {
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
        env,
      });
      const text = stdout.trim();
      return (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : {}) as T;
    },
    async advance(seconds: number): Promise<void> {
      const response = await fetch(`${url}/_gameday/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceSeconds: seconds }) });
      if (response.status !== 200) throw new Error(`POST /_gameday/clock answered ${response.status}: ${await response.text()}`);
    },
    async close(): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}

export interface UsedCliServer {
  /** The AWS CLI v2 found, or why there is none: the suite skips with that reason. */
  cli: { path?: string; why: string };
  /** The calling suite's server, started in its beforeAll (there is none where no CLI was found). */
  server(): CliServer;
  aws<T>(...args: string[]): Promise<T>;
  advance(seconds: number): Promise<void>;
}

/**
 * What every AWS CLI v2 suite sets up: find the CLI (warning, with the
 * suite's name, that it skips where there is none), start `gameday sim
 * serve` of SecureCart before the suite's tests and close it after them.
 */
export function useCliServer(suite: string, options: Omit<CliOptions, 'cli'>): UsedCliServer {
  const cli = findCliV2();
  if (!cli.path) console.warn(`${suite}: skipped: ${cli.why}`);
  let started: CliServer | undefined;
  beforeAll(async () => {
    if (cli.path) started = await startCliServer({ cli: cli.path, ...options });
  }, 60_000);
  afterAll(async () => {
    await started?.close();
  });
  const server = (): CliServer => {
    if (!started) throw new Error(`${suite}: no gameday sim serve was started (${cli.why})`);
    return started;
  };
  return { cli, server, aws: (...args) => server().aws(...args), advance: (seconds) => server().advance(seconds) };
}
