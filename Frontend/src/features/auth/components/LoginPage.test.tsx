import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes } from 'react-router'
import { afterEach, describe, expect, it } from 'vitest'
import { SessionProvider } from '../../../lib/session'
import { sendJson, sendProblem, startTestServer, type Handler, type TestServer } from '../../../test/http-server'
import { LoginPage } from './LoginPage'

let server: TestServer | undefined
afterEach(async () => server?.close())

async function renderLogin(handler: Handler) {
  server = await startTestServer(handler)
  render(
    <SessionProvider baseUrl={server.url}>
      <MemoryRouter initialEntries={['/login']}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/" element={<p>Your decks</p>} />
        </Routes>
      </MemoryRouter>
    </SessionProvider>,
  )
  const user = userEvent.setup()
  await user.type(screen.getByLabelText('Email'), 'maria@example.com')
  await user.type(screen.getByLabelText('Password'), 'wrong-password')
  await user.click(screen.getByRole('button', { name: 'Log in' }))
  return server
}

describe('login page', () => {
  it("shows the server's reason when the password is wrong, and stays on the page", async () => {
    await renderLogin((_, res) => sendProblem(res, 401, { title: 'Unauthorized', detail: 'Invalid email or password.' }))

    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid email or password.')
    expect(screen.getByRole('button', { name: 'Log in' })).toBeEnabled()
    expect(screen.queryByText('Your decks')).toBeNull()
    expect(window.localStorage.getItem('learnapp.session')).toBeNull()
    expect(JSON.parse(server!.requests[0].body.toString())).toEqual({ email: 'maria@example.com', password: 'wrong-password' })
  })

  it('says the email or password is wrong when a 401 comes without a reason', async () => {
    await renderLogin((_, res) => {
      res.writeHead(401)
      res.end()
    })

    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.')
  })

  it('lists the validation messages of a 400', async () => {
    await renderLogin((_, res) =>
      sendProblem(res, 400, { title: 'One or more validation errors occurred.', errors: { Email: ['Email is not a valid address.'] } }),
    )

    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('One or more validation errors occurred.')
    expect(alert).toHaveTextContent('Email is not a valid address.')
  })

  it('says the server cannot be reached when nothing answers', async () => {
    await renderLogin((_, res) => {
      res.socket?.destroy()
    })

    expect(await screen.findByRole('alert')).toHaveTextContent(/cannot reach the server/i)
  })

  it('keeps the token and goes to the decks after a successful login', async () => {
    await renderLogin((_, res) => sendJson(res, 200, { accessToken: 'jwt-abc', expiresAt: '2999-01-01T00:00:00Z' }))

    expect(await screen.findByText('Your decks')).toBeInTheDocument()
    expect(JSON.parse(window.localStorage.getItem('learnapp.session')!)).toEqual({ accessToken: 'jwt-abc', expiresAt: '2999-01-01T00:00:00Z' })
  })
})
