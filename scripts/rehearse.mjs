#!/usr/bin/env node
// `npm run rehearse`: a staging run rehearsed against the simulator. Starts
// `gameday sim serve` with SecureCart on a free port, points the aws target
// at it (AWS_ENDPOINT_URL, a key of the sim's account), runs the SecureCart
// features through scenarios/environments/rehearsal.yaml, stops the server
// and exits with the worst of the runs' codes. Every feature runs, the region
// outage too: its template is made of real FIS actions, the one staging runs.
// A region outage's recovery cannot be undone (a promoted replica stays
// promoted), as on staging, which is rebuilt between such game days: so each
// scenario tagged @region-outage runs on its own, against a server reset to
// SecureCart's steady state (POST /_gameday/reset), after the others.
//
//   npm run rehearse                         # every feature, at real time: a faithful staging run
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
// Ctrl-C reaches both through the terminal's process group; the run cleans up before the server stops.
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (interrupted = true));

/** `gameday <args>` to its end: its exit code, and what it printed when `capture` (else passed through). */
function gameday(gamedayArgs, capture = false) {
  const child = spawn(process.execPath, ['bin/gameday.js', ...gamedayArgs], { cwd: root, env, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
  let out = '';
  if (capture) child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
  return new Promise((resolve) => child.once('exit', (c, s) => resolve({ code: c ?? (s ? 130 : 1), out })));
}

const REHEARSED = { others: 'not @region-outage', regionOutage: '@region-outage' };

const runs = [];
if (namesFeatures) {
  runs.push(args);
} else {
  runs.push(['features', '--tags', REHEARSED.others, ...args]);
  // The region-outage scenarios, each as `file:line`, as a dry run lists them.
  const listed = await gameday(['run', 'features', '--tags', REHEARSED.regionOutage, '--dry-run', '--env', 'scenarios/environments/rehearsal.yaml'], true);
  if (listed.code !== 0) {
    server.kill('SIGINT');
    process.exit(listed.code);
  }
  for (const match of listed.out.matchAll(/^(features\/\S+\.feature:\d+)\s/gm)) runs.push([match[1], ...args]);
}
let code = 0;
for (const [i, runArgs] of runs.entries()) {
  if (interrupted) break;
  if (i > 0) {
    const reset = await fetch(new URL('/_gameday/reset', url), { method: 'POST' });
    if (!reset.ok) throw new Error(`POST /_gameday/reset answered ${reset.status}`);
    process.stderr.write(`rehearse: the server is back in SecureCart's steady state for ${runArgs[0]}\n`);
  }
  const run = await gameday(['run', ...runArgs, '--env', 'scenarios/environments/rehearsal.yaml']);
  // The worst wins: an interrupt (130) or a refusal (2, 3) over a failed scenario (1) over a pass.
  code = Math.max(code, run.code);
  if (run.code !== 0 && run.code !== 1) break;
}
server.kill('SIGINT');
process.exitCode = code;
