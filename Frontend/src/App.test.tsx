import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it } from 'vitest'
import { AppRoutes } from './App'
import { SessionProvider } from './lib/session'
import { sendJson, sendProblem, startTestServer, type Handler, type TestServer } from './test/http-server'

let server: TestServer | undefined
afterEach(async () => server?.close())

async function renderApp(path: string, handler: Handler, token = 'jwt-1') {
  window.localStorage.setItem('learnapp.session', JSON.stringify({ accessToken: token }))
  server = await startTestServer(handler)
  render(
    <SessionProvider baseUrl={server.url}>
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes />
      </MemoryRouter>
    </SessionProvider>,
  )
  return server
}

describe('the app against a live HTTP server', () => {
  it('studies the due cards of a deck and posts each grade', async () => {
    const { requests } = await renderApp('/study/greek', (req, res) => {
      if (req.url === '/api/v1/study/due?deckId=greek&limit=20') {
        return sendJson(res, 200, [{ cardId: 'c1', front: 'καλημέρα', back: 'good morning', dueAt: '2026-11-23T00:00:00Z' }])
      }
      if (req.url === '/api/v1/study/reviews' && req.method === 'POST') {
        const { cardId } = JSON.parse(req.body.toString()) as { cardId: string }
        return sendJson(res, 200, { cardId, intervalDays: 1, easeFactor: 2.5, dueAt: new Date(Date.now() + 86_400_000).toISOString(), xpAwarded: 5 })
      }
      sendProblem(res, 404, { title: 'Not Found' })
    })
    const user = userEvent.setup()

    expect(await screen.findByText('καλημέρα')).toBeInTheDocument()
    await user.keyboard(' 5')

    expect(await screen.findByText('Session complete')).toBeInTheDocument()
    const review = requests.find((r) => r.url === '/api/v1/study/reviews')!
    expect(JSON.parse(review.body.toString())).toEqual({ cardId: 'c1', grade: 5 })
    expect(review.headers.authorization).toBe('Bearer jwt-1')
    expect(screen.getByText(/You reviewed 1 card/)).toHaveTextContent('+5 XP')
  })

  it('shows the decks with their language and card count', async () => {
    await renderApp('/', (_, res) => sendJson(res, 200, [{ id: 1, title: 'Greek basics', language: 'el', cardCount: 210 }]))

    const deck = (await screen.findByText('Greek basics')).closest('li')!
    expect(within(deck).getByText('Greek · 210 cards')).toBeInTheDocument()
    expect(within(deck).getByRole('link', { name: 'Study' })).toHaveAttribute('href', '/study/1')
  })

  it('shows an error with a retry when loading fails, and loads again on retry', async () => {
    let calls = 0
    await renderApp('/profile', (_, res) => {
      if (calls++ === 0) return sendProblem(res, 503, { title: 'Service Unavailable', detail: 'The database is starting.' })
      sendJson(res, 200, { userId: 1, email: 'maria@example.com', displayName: 'Maria', xp: 1250, streakDays: 3 })
    })
    const user = userEvent.setup()

    expect(await screen.findByRole('alert')).toHaveTextContent('The database is starting.')
    await user.click(screen.getByRole('button', { name: 'Try again' }))

    expect(await screen.findByTestId('xp')).toHaveTextContent('1,250')
    expect(screen.getByTestId('streak')).toHaveTextContent('3')
  })

  it('logs out and asks to log in again when the Api rejects the token', async () => {
    await renderApp('/leaderboard', (_, res) => sendProblem(res, 401, { title: 'Unauthorized' }), 'expired-jwt')

    expect(await screen.findByText('Your session ended. Please log in again.')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Log in' })).toBeInTheDocument()
    expect(window.localStorage.getItem('learnapp.session')).toBeNull()
  })

  it('sends a visitor without a session to the login page', async () => {
    window.localStorage.clear()
    server = await startTestServer((_, res) => sendJson(res, 200, []))
    render(
      <SessionProvider baseUrl={server.url}>
        <MemoryRouter initialEntries={['/profile']}>
          <AppRoutes />
        </MemoryRouter>
      </SessionProvider>,
    )

    expect(await screen.findByRole('heading', { name: 'Welcome back' })).toBeInTheDocument()
    expect(server.requests).toHaveLength(0)
  })
})
