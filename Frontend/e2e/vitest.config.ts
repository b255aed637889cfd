import { defineConfig } from 'vitest/config'

// Browser tests against a running LearnApp (the single topology serves the SPA and the Api on one origin).
// Not part of ./test.sh yet: they need the Api running. Run: E2E_BASE_URL=http://127.0.0.1:5180 npm run test:e2e
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
