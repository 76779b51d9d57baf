import { defineConfig } from 'vitest/config';
const RUNBOOK_TEST = '__tests__/integration/deploy-runbook.test.ts';

/** `npm run test:runbook`: the README's deploy commands, as written, against moto + the gap filler. */
export default defineConfig({
  test: {
    include: [RUNBOOK_TEST],
    testTimeout: 3_600_000,
    hookTimeout: 3_600_000,
  },
});
