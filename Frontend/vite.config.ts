/// <reference types="vitest/config" />
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The AppHost injects the Api's address the Aspire way (services__<name>__<scheme>__<index>) and the port to
// listen on (PORT). Outside the AppHost both fall back to the defaults the README names.
const apiUrl =
  process.env.services__api__https__0 ?? process.env.services__api__http__0 ?? 'http://127.0.0.1:5180'
const port = Number.parseInt(process.env.PORT ?? '', 10)

const apiProxy = {
  '/api': { target: apiUrl, changeOrigin: true, secure: false },
}

export default defineConfig({
  plugins: [react()],
  server: {
    // Loopback by default (Node may resolve "localhost" to ::1 only); `npm run dev -- --host 0.0.0.0` for a phone.
    host: '127.0.0.1',
    port: Number.isFinite(port) ? port : 5173,
    // The host told us which port is ours: taking another one would leave it proxying to nothing.
    strictPort: Number.isFinite(port),
    proxy: apiProxy,
  },
  preview: {
    host: '127.0.0.1',
    port: Number.isFinite(port) ? port : 4173,
    strictPort: Number.isFinite(port),
    proxy: apiProxy,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    // Component tests drive real sockets and a simulated user; leave room for a busy two-core machine.
    testTimeout: 20_000,
  },
})
