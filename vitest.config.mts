import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['__tests__/**/*.test.ts'],
    exclude: ['__tests__/integration/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // @actions/workflow-parser imports its schema JSON without an import attribute, which Node's ESM loader
    // refuses: have Vite pre-bundle it (esbuild) instead of letting Node load it.
    deps: { optimizer: { ssr: { enabled: true, include: ['@actions/workflow-parser'] } } },
  },
});
