#!/usr/bin/env node
// The edge: the only place that reads process.argv, process.env and the real
// streams, and turns signals into an interrupt for the library.
import { register } from 'tsx/esm/api';

// Each AWS SDK client package carries its own copy of @aws-sdk/core, and each
// copy warns once that SDK releases after January 2027 need Node.js 22: up to
// nine copies of the same warning in the middle of a run. Say it once.
if (Number(process.versions.node.split('.')[0]) < 22 && process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  process.emitWarning(`AWS SDK for JavaScript releases after the first week of January 2027 require Node.js 22 or later; this is Node.js ${process.version}. gameday's pinned SDK clients run on it.`, 'NodeVersionSupportWarning');
}
register();
const { main } = await import('../src/cli/main.ts');
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
});
