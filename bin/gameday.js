#!/usr/bin/env node
// The edge: the only place that reads process.argv, process.env and the real
// streams, and turns signals into an interrupt for the library.
import { register } from 'tsx/esm/api';

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
