import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 180_000,
    // Two cores: the CDK synth tests bundle with esbuild; more workers only contend.
    maxWorkers: 2,
  },
});
