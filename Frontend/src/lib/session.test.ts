import { describe, expect, it } from 'vitest'
import { loadStoredSession } from './session'

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
