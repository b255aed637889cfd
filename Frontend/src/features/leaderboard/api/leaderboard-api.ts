import type { ApiClient } from '../../../lib/api-client'

export interface LeaderboardEntry {
  displayName: string
  rating: number
  xp: number
}

export const fetchLeaderboard = (api: ApiClient, signal?: AbortSignal) => api.get<LeaderboardEntry[]>('/api/v1/leaderboard', { signal })
