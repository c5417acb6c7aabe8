#!/usr/bin/env node
// `npm run rehearse`: a staging run rehearsed against the simulator. Starts
// `gameday sim serve` with SecureCart on a free port, points the aws target
// at it (AWS_ENDPOINT_URL, a key of the sim's account), runs the SecureCart
// features through scenarios/environments/rehearsal.yaml, stops the server
// and exits with the run's code. The whole-region outage is a simulator-only
// action, so the scenarios tagged @region-outage are left out.
//
//   npm run rehearse                         # every feature that fits, at real time: a faithful staging run
//   npm run rehearse -- features/multi-az-failover.feature --ui plain
//   npm run rehearse -- --speed 20           # quicker, to check the plumbing: AWS's clock then runs 20× the
//                                            # runner's, so instants AWS reports land off (skew correction assumes one rate)
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const speedAt = args.indexOf('--speed');
const speed = speedAt >= 0 ? args.splice(speedAt, 2)[1] : '1';
const namesFeatures = args.some((a) => /\.feature(:\d+)*$/.test(a) || /^features(\/|$)/.test(a));
const runArgs = [...(namesFeatures ? [] : ['features', '--tags', 'not @region-outage']), ...args];

// A process group of its own: a Ctrl-C at the terminal reaches the run, which
// cleans up against the server, and not the server, which stops after the run.
const server = spawn(process.execPath, ['bin/gameday.js', 'sim', 'serve', '--port', '0', '--env', 'scenarios/environments/securecart.yaml', '--speed', speed], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
});
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.setEncoding('utf8');
  server.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /gameday sim listening on (\S+)/.exec(out);
    if (match) resolve(match[1]);
  });
  server.once('exit', (code) => reject(new Error(`gameday sim serve exited ${code} before listening`)));
});
process.stderr.write(`rehearse: gameday sim serve at ${url} (speed ${speed}×); the aws target runs against it\n`);

const env = {
  ...process.env,
  AWS_ENDPOINT_URL: url,
  // A key of the sim's account that acts as the game-day runner; nothing of the shell's AWS setup.
  AWS_ACCESS_KEY_ID: 'AKIAGAMEDAYREHEARSAL',
  AWS_SECRET_ACCESS_KEY: 'rehearsal',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
  AWS_REGION: 'us-east-1',
};
const run = spawn(process.execPath, ['bin/gameday.js', 'run', ...runArgs, '--env', 'scenarios/environments/rehearsal.yaml'], { cwd: root, env, stdio: 'inherit' });
// Ctrl-C reaches both through the terminal's process group; the run cleans up before the server stops.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {});
const code = await new Promise((resolve) => run.once('exit', (c, s) => resolve(c ?? (s ? 130 : 1))));
server.kill('SIGINT');
process.exitCode = code;
