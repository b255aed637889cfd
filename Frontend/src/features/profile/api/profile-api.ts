import type { ApiClient } from '../../../lib/api-client'
import type { Id } from '../../../lib/ids'

export interface Me {
  userId: Id
  email: string
  displayName: string
  xp: number
  streakDays: number
}

export const fetchMe = (api: ApiClient, signal?: AbortSignal) => api.get<Me>('/api/v1/me', { signal })
