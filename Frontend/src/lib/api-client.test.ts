// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startTestServer, sendJson, sendProblem, type Handler, type TestServer } from '../test/http-server'
import { ApiError, createApiClient, describeError, InvalidResponseError, NetworkError, UnauthorizedError } from './api-client'

let server: TestServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

async function serve(handler: Handler) {
  server = await startTestServer(handler)
  return server
}

describe('api client', () => {
  it('sends the bearer token and the query, and reads the JSON answer', async () => {
    const { url, requests } = await serve((_, res) => sendJson(res, 200, [{ cardId: 7, front: 'νερό', back: 'water', dueAt: '2026-11-23T10:00:00Z' }]))
    const api = createApiClient({ baseUrl: url, getToken: () => 'token-123' })

    const cards = await api.get<{ front: string }[]>('/api/v1/study/due', { query: { deckId: 'a b', limit: 20, skip: undefined } })

    expect(cards[0].front).toBe('νερό')
    expect(requests[0].url).toBe('/api/v1/study/due?deckId=a+b&limit=20')
    expect(requests[0].headers.authorization).toBe('Bearer token-123')
  })

  it('posts JSON with a JSON content type and sends no token when there is none', async () => {
    const { url, requests } = await serve((_, res) => sendJson(res, 201, { userId: 1, accessToken: 'abc' }))
    const api = createApiClient({ baseUrl: url, getToken: () => undefined })

    const answer = await api.post<{ accessToken: string }>('/api/v1/auth/register', { email: 'a@b.c', password: 'pw', displayName: 'A' })

    expect(answer.accessToken).toBe('abc')
    expect(requests[0].method).toBe('POST')
    expect(requests[0].headers['content-type']).toBe('application/json')
    expect(requests[0].headers.authorization).toBeUndefined()
    expect(JSON.parse(requests[0].body.toString())).toEqual({ email: 'a@b.c', password: 'pw', displayName: 'A' })
  })

  it('turns validation problem details into an ApiError with the field messages', async () => {
    const { url } = await serve((_, res) =>
      sendProblem(res, 400, {
        type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
        title: 'One or more validation errors occurred.',
        errors: { grade: ['The grade must be between 0 and 5.'], cardId: ['Unknown card.'] },
      }),
    )
    const api = createApiClient({ baseUrl: url })

    const error = await api.post('/api/v1/study/reviews', { cardId: 1, grade: 9 }).catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ApiError)
    const apiError = error as ApiError
    expect(apiError.status).toBe(400)
    expect(apiError.title).toBe('One or more validation errors occurred.')
    expect(apiError.detail).toBeUndefined()
    expect(apiError.fieldErrors.grade).toEqual(['The grade must be between 0 and 5.'])
    expect(apiError.validationMessages).toEqual(['The grade must be between 0 and 5.', 'cardId: Unknown card.'])
    expect(describeError(apiError)).toBe('One or more validation errors occurred.')
  })

  it("prefers the problem's detail over its title for the message", async () => {
    const { url } = await serve((_, res) => sendProblem(res, 404, { title: 'Not Found', detail: 'Job 42 does not exist.' }))
    const api = createApiClient({ baseUrl: url })

    const error = (await api.get('/api/v1/jobs/42').catch((e: unknown) => e)) as ApiError

    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(404)
    expect(error.message).toBe('Job 42 does not exist.')
    expect(describeError(error)).toBe('Job 42 does not exist.')
  })

  it('falls back to the status text when the error body is not problem details', async () => {
    const { url } = await serve((_, res) => {
      res.writeHead(502, 'Bad Gateway', { 'Content-Type': 'text/html' })
      res.end('<html><body>nginx</body></html>')
    })
    const api = createApiClient({ baseUrl: url })

    const error = (await api.get('/api/v1/decks').catch((e: unknown) => e)) as ApiError

    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(502)
    expect(error.title).toBe('Bad Gateway')
    expect(error.problem).toBeUndefined()
    expect(describeError(error)).toBe('The server had a problem (Bad Gateway). Try again in a moment.')
  })

  it('explains a rate limit without details in plain words', async () => {
    const { url } = await serve((_, res) => {
      res.writeHead(429, 'Too Many Requests', { 'Retry-After': '60' })
      res.end()
    })
    const api = createApiClient({ baseUrl: url })

    const error = (await api.post('/api/v1/auth/login', {}).catch((e: unknown) => e)) as ApiError

    expect(error.status).toBe(429)
    expect(describeError(error)).toBe('Too many attempts. Wait a minute, then try again.')
  })

  it('reports a 401 on an authenticated call as the end of the session', async () => {
    const { url } = await serve((_, res) => sendProblem(res, 401, { title: 'Unauthorized' }))
    const onUnauthorized = vi.fn()
    const api = createApiClient({ baseUrl: url, getToken: () => 'expired-token', onUnauthorized })

    const error = await api.get('/api/v1/me').catch((e: unknown) => e)

    expect(error).toBeInstanceOf(UnauthorizedError)
    expect((error as UnauthorizedError).status).toBe(401)
    expect(onUnauthorized).toHaveBeenCalledTimes(1)
  })

  it('does not end a session on a 401 from a call made without a token (a wrong password)', async () => {
    const { url } = await serve((_, res) => sendProblem(res, 401, { title: 'Unauthorized', detail: 'Invalid email or password.' }))
    const onUnauthorized = vi.fn()
    const api = createApiClient({ baseUrl: url, getToken: () => undefined, onUnauthorized })

    const error = (await api.post('/api/v1/auth/login', { email: 'a@b.c', password: 'nope' }).catch((e: unknown) => e)) as UnauthorizedError

    expect(error).toBeInstanceOf(UnauthorizedError)
    expect(error.detail).toBe('Invalid email or password.')
    expect(onUnauthorized).not.toHaveBeenCalled()
  })

  it('reports a server that is not listening as a network error', async () => {
    const { url } = await serve((_, res) => sendJson(res, 200, {}))
    await server!.close()
    server = undefined
    const api = createApiClient({ baseUrl: url })

    const error = await api.get('/api/v1/decks').catch((e: unknown) => e)

    expect(error).toBeInstanceOf(NetworkError)
    expect(describeError(error)).toMatch(/cannot reach the server/i)
  })

  it('reports a connection dropped before the answer as a network error', async () => {
    const { url } = await serve((_, res) => {
      res.socket?.destroy()
    })
    const api = createApiClient({ baseUrl: url })

    await expect(api.get('/api/v1/decks')).rejects.toBeInstanceOf(NetworkError)
  })

  it('lets an abort through as an abort, not as a network error', async () => {
    const { url } = await serve(() => {
      // Never answers: the caller gives up first.
    })
    const api = createApiClient({ baseUrl: url })
    const controller = new AbortController()

    const pending = api.get('/api/v1/decks', { signal: controller.signal })
    controller.abort()

    const error = await pending.catch((e: unknown) => e)
    expect(error).not.toBeInstanceOf(NetworkError)
    expect((error as Error).name).toBe('AbortError')
  })

  it('rejects a success answer that is not JSON', async () => {
    const { url } = await serve((_, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' })
      res.end('<!doctype html><title>index</title>')
    })
    const api = createApiClient({ baseUrl: url })

    await expect(api.get('/api/v1/decks')).rejects.toBeInstanceOf(InvalidResponseError)
  })

  it('reads an empty success answer as undefined', async () => {
    const { url } = await serve((_, res) => {
      res.writeHead(204)
      res.end()
    })
    const api = createApiClient({ baseUrl: url })

    await expect(api.post('/api/v1/anything', {})).resolves.toBeUndefined()
  })
})
