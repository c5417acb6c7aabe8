#!/usr/bin/env node
// The edge: the only place that reads process.argv, process.env and the real
// streams, and turns signals into an interrupt for the library.
// It runs the compiled modules in dist/ (`npm run build`, which `npm ci`,
// `npm start` and `npm test` run first).
import { readFileSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { staleBuild } from './stale-build.js';

const stale = staleBuild(fileURLToPath(new URL('..', import.meta.url)));
if (stale) {
  process.stderr.write(`gameday: ${stale}: run \`npm run build\` first\n`);
  process.exit(2);
}

// Each AWS SDK client package carries its own copy of @aws-sdk/core, and on
// Node 20 each copy warns that SDK releases after January 2027 need Node.js
// 22: up to nine copies of a notice about the SDK's future, in the middle of a
// game day's output. gameday pins its clients; the notice is for whoever
// upgrades them (the README says which Node versions run gameday), not for
// the people watching the run. The variable reaches --parallel workers too.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : warning?.message ?? '';
  if (/^NodeVersionSupportWarning\b/.test(text) || rest[0] === 'NodeVersionSupportWarning' || rest[0]?.type === 'NodeVersionSupportWarning') return;
  emitWarning(warning, ...rest);
};
// React (the live view, the HTML report) picks its development build unless
// NODE_ENV says production: several times slower to render, with checks meant
// for whoever develops components, not for a game day's terminal. A
// NODE_ENV the shell sets is left as it is.
process.env.NODE_ENV ??= 'production';
// Node 22.1+ keeps V8's compiled code of the modules on disk between runs
// (in the OS temp folder): the SDK clients and cucumber start faster the second time.
module.enableCompileCache?.();
const { tuneHeap } = await import('../dist/src/cli/heap.js');
tuneHeap();
const { main } = await import('../dist/src/cli/main.js');
const controller = new AbortController();
// The first Ctrl-C or SIGTERM aborts; later ones go to whoever asks (gameday
// run: what is left to clean up, then abandon). Listening for good, so that
// none of them kills the process by default in the middle of a cleanup.
const again = new Set();
let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (++interrupts === 1) return controller.abort(signal);
    if (again.size === 0) process.exit(130);
    for (const listener of again) listener();
  });
}
process.exitCode = await main({
  onInterruptAgain: (listener) => {
    again.add(listener);
    return () => again.delete(listener);
  },
  exit: (code) => process.exit(code),
  terminal: { stdout: process.stdout, stdin: () => process.stdin, isTTY: process.stdout.isTTY === true },
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  interrupt: controller.signal,
  wallNow: () => Date.now(),
  version: JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version,
  pid: process.pid,
  isAlive: (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: it is alive, only not ours to signal.
      return error.code === 'EPERM';
    }
  },
});
