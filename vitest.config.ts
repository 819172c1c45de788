/**
 * Test settings. The suite runs real onnxruntime, real Chromium and whole-model training on CI's 2 busy cores,
 * so the defaults (5 s per test, 10 s per hook) are too tight for the heavy tests: they get explicit, generous
 * limits here, and the heaviest files set their own per test. The suite's wall time is printed at the end.
 */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // a test that needs more than this names its own limit (whole-model gradient checks, training, browser e2e)
    testTimeout: 60_000,
    // beforeAll hooks build the plugin, launch Chromium and train small models
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
    globalSetup: ['tests/helpers/suite-timer.ts'],
  },
})
