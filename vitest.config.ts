import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Ink's own CI check answered as the build answers it (src/ui/ink/not-in-ci.ts); Ink is inlined so the alias reaches it.
  resolve: { alias: { 'is-in-ci': fileURLToPath(new URL('src/ui/ink/not-in-ci.ts', import.meta.url)) } },
  test: {
    server: { deps: { inline: ['ink'] } },
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The HTTP and fuzz suites start real servers; two cores are shared with them.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
