import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react'
import { createApiClient, type ApiClient } from './api-client'

// The signed-in session: the access token, kept in localStorage so a reload keeps the learner signed in.

export interface Session {
  accessToken: string
  /** ISO time the token stops being valid; register does not say, login does. */
  expiresAt?: string
}

export type SignedOutReason = 'expired' | 'signed-out'

interface SessionContextValue {
  session: Session | undefined
  /** Why the last session ended, when it ended on its own (for a note on the login page). */
  signedOutReason: SignedOutReason | undefined
  api: ApiClient
  signIn(session: Session): void
  signOut(reason?: SignedOutReason): void
}

const storageKey = 'learnapp.session'

const SessionContext = createContext<SessionContextValue | undefined>(undefined)

export function loadStoredSession(storage: Storage = window.localStorage, now: Date = new Date()): Session | undefined {
  try {
    const raw = storage.getItem(storageKey)
    if (!raw) return undefined
    const parsed = JSON.parse(raw) as Partial<Session>
    if (typeof parsed.accessToken !== 'string' || parsed.accessToken === '') return undefined
    if (parsed.expiresAt && Date.parse(parsed.expiresAt) <= now.getTime()) return undefined
    return { accessToken: parsed.accessToken, expiresAt: parsed.expiresAt }
  } catch {
    return undefined
  }
}

/** The `exp` claim of a JWT as an ISO time, when the token is a JWT that has one (register's answer has no expiresAt). */
export function tokenExpiry(token: string): string | undefined {
  try {
    const payload = token.split('.')[1]
    if (!payload) return undefined
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='))
    const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))
    const exp = (JSON.parse(json) as { exp?: unknown }).exp
    return typeof exp === 'number' && Number.isFinite(exp) ? new Date(exp * 1000).toISOString() : undefined
  } catch {
    return undefined
  }
}

export function SessionProvider({ children, baseUrl = '' }: { children: ReactNode; baseUrl?: string }) {
  const [session, setSession] = useState<Session | undefined>(() => loadStoredSession())
  const [signedOutReason, setSignedOutReason] = useState<SignedOutReason>()
  // The client reads the token through a ref, so one client serves the whole app and never sees a stale token.
  const tokenRef = useRef(session?.accessToken)

  const signOut = useCallback((reason: SignedOutReason = 'signed-out') => {
    tokenRef.current = undefined
    window.localStorage.removeItem(storageKey)
    setSession(undefined)
    setSignedOutReason(reason)
  }, [])

  const signIn = useCallback((answer: Session) => {
    const next = { ...answer, expiresAt: answer.expiresAt ?? tokenExpiry(answer.accessToken) }
    tokenRef.current = next.accessToken
    window.localStorage.setItem(storageKey, JSON.stringify(next))
    setSession(next)
    setSignedOutReason(undefined)
  }, [])

  const api = useMemo(
    () =>
      createApiClient({
        baseUrl,
        getToken: () => tokenRef.current,
        onUnauthorized: () => signOut('expired'),
      }),
    [baseUrl, signOut],
  )

  const value = useMemo(() => ({ session, signedOutReason, api, signIn, signOut }), [session, signedOutReason, api, signIn, signOut])
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext)
  if (!value) throw new Error('useSession must be used inside <SessionProvider>.')
  return value
}

export function useApi(): ApiClient {
  return useSession().api
}
