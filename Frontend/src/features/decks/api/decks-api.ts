import type { ApiClient } from '../../../lib/api-client'
import type { Id } from '../../../lib/ids'

export interface Deck {
  id: Id
  title: string
  /** BCP 47 language tag of the cards' fronts, e.g. `el`. */
  language: string
  cardCount: number
}

export const fetchDecks = (api: ApiClient, signal?: AbortSignal) => api.get<Deck[]>('/api/v1/decks', { signal })
