import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    // The HTTP and fuzz suites start real servers; two cores are shared with them.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
