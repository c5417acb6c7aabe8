import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const ALL = ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'];

/**
 * Files that need a process of their own: the Ink tests (chalk decides once,
 * as it is first imported, whether it may write colour, and no-color.test.tsx
 * sets FORCE_COLOR before it does), and the SDK clients' test, which points
 * the process's AWS configuration variables at a hostile config file.
 */
const ISOLATED = ['src/ui/ink/**/*.test.ts', 'src/ui/ink/**/*.test.tsx', 'test/sim-clients-isolated.test.ts'];

export default defineConfig({
  // Ink's own CI check answered as the build answers it (src/ui/ink/not-in-ci.ts); Ink is inlined so the alias reaches it.
  resolve: { alias: { 'is-in-ci': fileURLToPath(new URL('src/ui/ink/not-in-ci.ts', import.meta.url)) } },
  test: {
    server: { deps: { inline: ['ink'] } },
    // No include here: a project that extends this config adds its own to it, so each project says which files are its.
    // The HTTP and fuzz suites start real servers; two cores are shared with them.
    pool: 'forks',
    // Vitest's default leaves a core free, which on a 2-core CI machine is one
    // worker, running the long files (the staging rehearsal, Aurora over HTTP,
    // the run contract) one after another while they mostly wait on child
    // processes and servers. Two workers there took the suite from ~13 to ~7.5
    // minutes, every file passing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'isolated', include: ISOLATED } },
      {
        extends: true,
        // The rest share their worker's module cache: importing the AWS SDK
        // and the sim for each of ~90 files, in a fresh process each, was
        // most of the suite's time. Each file still cleans up after itself
        // (servers closed, environment variables unstubbed, temporary
        // folders removed), which is what sharing needs.
        test: { name: 'shared', include: ALL, exclude: ISOLATED, isolate: false },
      },
    ],
  },
});
