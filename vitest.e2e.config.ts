// `npm run test:e2e`: the real agent clients, one after another (2-core machines; each client is
// heavy), inside the loopback-only namespace scripts/e2e/run.sh creates. `npm test` does not
// pick these up: they are *.e2e.ts, and vitest.config.ts only includes *.test.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
    reporters: ['default'],
  },
});
