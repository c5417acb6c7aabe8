#!/usr/bin/env node
// Compiles the TypeScript sources (src/, steps/, bench/) to dist/, one file per
// module, as bin/gameday.js runs them. Type checking is tsc's job
// (`npm run typecheck`); this only strips types, which the tsconfig's
// isolatedModules and verbatimModuleSyntax make safe file by file.
import { build } from 'esbuild';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

async function sources(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) found.push(join(entry.parentPath, entry.name));
  }
  return found;
}

const entryPoints = (await Promise.all(['src', 'steps', 'bench'].map((dir) => sources(join(root, dir))))).flat();
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
await writeFile(join(dist, 'BUILT'), `${entryPoints.length} modules from ${entryPoints.map((p) => relative(root, p).split('/')[0]).filter((d, i, all) => all.indexOf(d) === i).join(', ')}\n`);
