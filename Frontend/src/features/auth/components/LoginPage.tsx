import { useState, type FormEvent } from 'react'
import { Link, Navigate, useLocation, useNavigate } from 'react-router'
import { ErrorMessage } from '../../../components/ErrorMessage'
import { UnauthorizedError } from '../../../lib/api-client'
import { useSession } from '../../../lib/session'
import { login } from '../api/auth-api'
import { AuthCard } from './AuthCard'

export function LoginPage() {
  const { api, session, signIn, signedOutReason } = useSession()
  const navigate = useNavigate()
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/'
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)

  if (session && !busy) return <Navigate to={from} replace />

  async function submit(event: FormEvent) {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const answer = await login(api, { email: email.trim(), password })
      signIn({ accessToken: answer.accessToken, expiresAt: answer.expiresAt })
      navigate(from, { replace: true })
    } catch (caught) {
      // A 401 here is a wrong email or password, not an ended session.
      setError(caught instanceof UnauthorizedError && !caught.detail ? new Error('Wrong email or password.') : caught)
      setBusy(false)
    }
  }

  return (
    <AuthCard
      title="Welcome back"
      subtitle="Log in to keep your streak going."
      footer={
        <>
          New here? <Link to="/register">Create an account</Link>
        </>
      }
    >
      {signedOutReason === 'expired' && !error && <p className="notice">Your session ended. Please log in again.</p>}
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span>Email</span>
          <input type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Password</span>
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error !== undefined && <ErrorMessage error={error} />}
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </AuthCard>
  )
}
