import { defineConfig } from 'vitest/config'

// Browser tests against a running LearnApp (the single topology serves the SPA and the Api on one origin).
// e2e/run-single.sh starts the real AppHost, runs them and stops it (./test.sh does that); against an app that
// already runs: E2E_BASE_URL=http://127.0.0.1:5180 npm run test:e2e
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // One browser at a time: the machine has two cores and the app under test runs on them too.
    fileParallelism: false,
  },
})
