#!/usr/bin/env node
// Compiles the TypeScript sources (src/, steps/, bench/) to dist/, one file per
// module, as bin/gameday.js runs them. Type checking is tsc's job
// (`npm run typecheck`); this only strips types, which the tsconfig's
// isolatedModules and verbatimModuleSyntax make safe file by file.
import { build } from 'esbuild';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceModules } from '../bin/stale-build.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

const entryPoints = sourceModules(root, ['src', 'steps', 'bench']);
// No file of a module since deleted may linger.
await rm(dist, { recursive: true, force: true });
await build({
  entryPoints,
  outdir: dist,
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
});
// bin/gameday.js compares this stamp with the sources to refuse a stale build.
await writeFile(join(dist, 'BUILT'), `${entryPoints.length} modules\n`);
