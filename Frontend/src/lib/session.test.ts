import { describe, expect, it } from 'vitest'
import { loadStoredSession, tokenExpiry } from './session'

describe('stored session', () => {
  const now = new Date('2026-11-23T12:00:00Z')
  const store = (value: string | null) => {
    window.localStorage.clear()
    if (value !== null) window.localStorage.setItem('learnapp.session', value)
    return window.localStorage
  }

  it('restores a token that has not expired', () => {
    expect(loadStoredSession(store(JSON.stringify({ accessToken: 't', expiresAt: '2026-11-23T13:00:00Z' })), now)).toEqual({
      accessToken: 't',
      expiresAt: '2026-11-23T13:00:00Z',
    })
  })

  it('drops an expired token, a damaged entry and a missing one', () => {
    expect(loadStoredSession(store(JSON.stringify({ accessToken: 't', expiresAt: '2026-11-23T11:59:59Z' })), now)).toBeUndefined()
    expect(loadStoredSession(store('{not json'), now)).toBeUndefined()
    expect(loadStoredSession(store(JSON.stringify({ accessToken: '' })), now)).toBeUndefined()
    expect(loadStoredSession(store(null), now)).toBeUndefined()
  })
})

describe('token expiry', () => {
  const jwt = (payload: object) => `eyJhbGciOiJIUzI1NiJ9.${btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(payload)))).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.c2lnbmF0dXJl`

  it('reads the exp claim of a JWT', () => {
    expect(tokenExpiry(jwt({ sub: 'u1', exp: 1_795_000_000, name: 'Μαρία?>' }))).toBe(new Date(1_795_000_000_000).toISOString())
  })

  it('has no expiry for a token that is not a JWT or has no exp', () => {
    expect(tokenExpiry('opaque-token')).toBeUndefined()
    expect(tokenExpiry(jwt({ sub: 'u1' }))).toBeUndefined()
    expect(tokenExpiry('a.%%%.c')).toBeUndefined()
  })
})
