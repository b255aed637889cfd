// @vitest-environment node
import { createServer as createNetServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterEach, expect, it } from 'vitest'
import { createServer, type ViteDevServer } from 'vite'
import { sendJson, startTestServer, type TestServer } from './test/http-server'

// The dev server as the AppHost starts it: PORT and services__api__http__0 in the environment.

let api: TestServer | undefined
let vite: ViteDevServer | undefined
const savedEnv = { PORT: process.env.PORT, api: process.env.services__api__http__0 }

afterEach(async () => {
  await vite?.close()
  await api?.close()
  restore('PORT', savedEnv.PORT)
  restore('services__api__http__0', savedEnv.api)
})

function restore(name: string, value: string | undefined) {
  if (value === undefined) delete process.env[name]
  else process.env[name] = value
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

it('listens on PORT and proxies /api to the Api named by services__api__http__0', async () => {
  api = await startTestServer((req, res) => sendJson(res, 200, { path: req.url, auth: req.headers.authorization ?? null }))
  const port = await freePort()
  process.env.PORT = String(port)
  process.env.services__api__http__0 = api.url

  vite = await createServer({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'silent' })
  await vite.listen()

  const proxied = await fetch(`http://127.0.0.1:${port}/api/v1/decks?x=1`, { headers: { Authorization: 'Bearer t' } })
  expect(await proxied.json()).toEqual({ path: '/api/v1/decks?x=1', auth: 'Bearer t' })

  // A client-side route gets the app's page, not a 404.
  const route = await fetch(`http://127.0.0.1:${port}/study/1`, { headers: { Accept: 'text/html' } })
  expect(route.status).toBe(200)
  expect(await route.text()).toContain('<div id="root"></div>')
})
