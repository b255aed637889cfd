import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes } from 'react-router'
import { afterEach, describe, expect, it } from 'vitest'
import { SessionProvider } from '../../../lib/session'
import { sendJson, sendProblem, startTestServer, type Handler, type TestServer } from '../../../test/http-server'
import { RegisterPage } from './RegisterPage'

let server: TestServer | undefined
afterEach(async () => server?.close())

async function register(handler: Handler) {
  server = await startTestServer(handler)
  render(
    <SessionProvider baseUrl={server.url}>
      <MemoryRouter initialEntries={['/register']}>
        <Routes>
          <Route path="/register" element={<RegisterPage />} />
          <Route path="/" element={<p>Your decks</p>} />
        </Routes>
      </MemoryRouter>
    </SessionProvider>,
  )
  const user = userEvent.setup()
  await user.type(screen.getByLabelText('Display name'), '  Maria ')
  await user.type(screen.getByLabelText('Email'), 'maria@example.com')
  await user.type(screen.getByLabelText('Password'), 'short')
  await user.click(screen.getByRole('button', { name: 'Create account' }))
}

describe('register page', () => {
  it("shows every validation message the Api sends back", async () => {
    await register((_, res) =>
      sendProblem(res, 400, {
        title: 'One or more validation errors occurred.',
        errors: { password: ['Passwords must be at least 8 characters.'], email: ['This email is already registered.'] },
      }),
    )

    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('Passwords must be at least 8 characters.')
    expect(alert).toHaveTextContent('This email is already registered.')
    expect(screen.queryByText('Your decks')).toBeNull()
  })

  it('signs the new learner in and sends a trimmed display name', async () => {
    await register((_, res) => sendJson(res, 201, { userId: 'u-1', accessToken: 'jwt-new' }))

    expect(await screen.findByText('Your decks')).toBeInTheDocument()
    expect(JSON.parse(server!.requests[0].body.toString())).toEqual({ email: 'maria@example.com', password: 'short', displayName: 'Maria' })
    expect(JSON.parse(window.localStorage.getItem('learnapp.session')!)).toEqual({ accessToken: 'jwt-new' })
  })
})
