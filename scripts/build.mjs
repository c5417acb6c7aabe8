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
// What both builds below share: the modules and the bundled live view run on the same Node.
const common = {
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  jsx: 'automatic',
  logLevel: 'warning',
};
// No file of a module since deleted may linger.
await rm(dist, { recursive: true, force: true });
await build({ ...common, entryPoints, outdir: dist, outbase: root });
// The live view as one file, over the module of the same name: loading Ink, React and Yoga
// module by module cost ~0.7 s of CPU (resolution, the CJS lexer, stat calls), a tenth of the
// SecureCart suite at --speed max; bundled it is ~0.2 s (npm run bench: bench/ui.ts). Only
// src/cli/live-view.ts imports it, so the view's React is the only one in it.
await build({
  ...common,
  entryPoints: [join(root, 'src/ui/ink/index.ts')],
  outfile: join(dist, 'src/ui/ink/index.js'),
  allowOverwrite: true,
  bundle: true,
  // CommonJS packages in the bundle (React, signal-exit) still call require for Node's own modules.
  banner: { js: "import { createRequire as __gamedayRequire } from 'node:module'; const require = __gamedayRequire(import.meta.url);" },
  plugins: [
    {
      // Whether a person watches is the CLI's decision (src/cli/ui-mode.ts), not Ink's: under CI,
      // Ink would draw no frame but the last, even where `--ui ink` asked for the live view.
      name: 'not-in-ci',
      setup(build) {
        build.onResolve({ filter: /^is-in-ci$/ }, () => ({ path: join(root, 'src/ui/ink/not-in-ci.ts') }));
      },
    },
    {
      // Ink connects to React DevTools only when DEV=true; the package is not a dependency of ours.
      name: 'no-react-devtools',
      setup(build) {
        build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'no-react-devtools' }));
        build.onLoad({ filter: /.*/, namespace: 'no-react-devtools' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };' }));
      },
    },
  ],
});
// bin/gameday.js compares this stamp with the sources to refuse a stale build.
await writeFile(join(dist, 'BUILT'), `${entryPoints.length} modules\n`);
