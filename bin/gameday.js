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

// Each AWS SDK client package carries its own copy of @aws-sdk/core, and each
// copy warns once that SDK releases after January 2027 need Node.js 22: up to
// nine copies of the same warning in the middle of a run. Say it once.
if (Number(process.versions.node.split('.')[0]) < 22 && process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.emitWarning(`AWS SDK for JavaScript releases after the first week of January 2027 require Node.js 22 or later; this is Node.js ${process.version}. gameday's pinned SDK clients run on it.`, 'NodeVersionSupportWarning');
}
// Node 22.1+ keeps V8's compiled code of the modules on disk between runs
// (in the OS temp folder): the SDK clients and cucumber start faster the second time.
module.enableCompileCache?.();
const { tuneHeap } = await import('../dist/src/cli/heap.js');
tuneHeap();
const { main } = await import('../dist/src/cli/main.js');
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => controller.abort(signal));
}
process.exitCode = await main({
  argv: process.argv.slice(2),
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  interrupt: controller.signal,
  wallNow: () => Date.now(),
  version: JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version,
});
