import type { ApiClient } from '../../../lib/api-client'
import type { Id } from '../../../lib/ids'

export interface DueCard {
  cardId: Id
  front: string
  back: string
  dueAt: string
}

/** SM-2 quality of recall: 0 = total blackout … 5 = perfect. */
export type Grade = 0 | 1 | 2 | 3 | 4 | 5

export interface ReviewResult {
  cardId: Id
  intervalDays: number
  easeFactor: number
  dueAt: string
  xpAwarded: number
}

export const fetchDueCards = (api: ApiClient, deckId: Id, limit = 20, signal?: AbortSignal) =>
  api.get<DueCard[]>('/api/v1/study/due', { query: { deckId, limit }, signal })

export const postReview = (api: ApiClient, cardId: Id, grade: Grade) => api.post<ReviewResult>('/api/v1/study/reviews', { cardId, grade })
