import { defineConfig } from 'vitest/config';

/**
 * The integration suite `.ci/run` runs. The deploy runbook (the README's commands through the cdktf CLI, dev and
 * prod on the emulator) is its own config, `npm run test:runbook`: it takes ~45 min on this 2-core machine.
 */
const RUNBOOK_TEST = '__tests__/integration/deploy-runbook.test.ts';

export default defineConfig({
  test: {
    include: ['__tests__/integration/**/*.test.ts'],
    exclude: [RUNBOOK_TEST, 'node_modules/**'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    fileParallelism: false,
  },
});
