import { useCallback } from 'react'
import { Link, useParams } from 'react-router'
import { AsyncView } from '../../../components/AsyncView'
import { useApi } from '../../../lib/session'
import { useAsync } from '../../../lib/use-async'
import { fetchDueCards, postReview, type DueCard, type Grade } from '../api/study-api'
import { StudySession } from './StudySession'

export function StudyPage() {
  const api = useApi()
  const deckId = useParams().deckId ?? ''
  const due = useAsync((signal) => fetchDueCards(api, deckId, 20, signal), [api, deckId])
  const review = useCallback((card: DueCard, grade: Grade) => postReview(api, card.cardId, grade), [api])

  return (
    <section>
      <p className="breadcrumb">
        <Link to="/">← Decks</Link>
      </p>
      <h1>Study</h1>
      <AsyncView state={due} onRetry={due.reload} loadingLabel="Finding your due cards…">
        {(cards) =>
          cards.length === 0 ? (
            <div className="panel panel--center">
              <h2>All caught up</h2>
              <p className="muted">No cards are due in this deck right now. Come back later.</p>
              <Link className="button" to="/">
                Back to decks
              </Link>
            </div>
          ) : (
            // A reload unmounts the session (loading state), so each batch starts fresh.
            <StudySession cards={cards} review={review} onFinished={due.reload} />
          )
        }
      </AsyncView>
    </section>
  )
}
