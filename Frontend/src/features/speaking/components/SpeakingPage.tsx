import { useState } from 'react'
import { Link, useParams } from 'react-router'
import { AsyncView } from '../../../components/AsyncView'
import { useApi } from '../../../lib/session'
import { useAsync } from '../../../lib/use-async'
import { fetchDecks } from '../../decks/api/decks-api'
import { fetchDueCards } from '../../study/api/study-api'
import { SpeakingPractice } from './SpeakingPractice'

export function SpeakingPage() {
  const deckId = useParams().deckId
  return deckId ? <SpeakingDeck deckId={deckId} /> : <SpeakingDeckPicker />
}

function SpeakingDeckPicker() {
  const api = useApi()
  const decks = useAsync((signal) => fetchDecks(api, signal), [api])
  return (
    <section>
      <h1>Speaking practice</h1>
      <p className="muted">Say the words of a deck out loud and get feedback on your pace, pitch and loudness.</p>
      <AsyncView state={decks} onRetry={decks.reload} loadingLabel="Loading decks…">
        {(list) =>
          list.length === 0 ? (
            <p className="empty">No decks yet.</p>
          ) : (
            <ul className="pick-list">
              {list.map((deck) => (
                <li key={deck.id}>
                  <Link to={`/speaking/${encodeURIComponent(deck.id)}`}>{deck.title}</Link>
                </li>
              ))}
            </ul>
          )
        }
      </AsyncView>
    </section>
  )
}

function SpeakingDeck({ deckId }: { deckId: string }) {
  const api = useApi()
  const cards = useAsync((signal) => fetchDueCards(api, deckId, 50, signal), [api, deckId])
  const [position, setPosition] = useState(0)

  return (
    <section>
      <p className="breadcrumb">
        <Link to="/speaking">← Speaking</Link>
      </p>
      <h1>Say it out loud</h1>
      <AsyncView state={cards} onRetry={cards.reload} loadingLabel="Loading words…">
        {(list) => {
          if (list.length === 0) {
            return <p className="empty">No words are due in this deck right now. Study some cards first, or come back later.</p>
          }
          const card = list[position % list.length]
          return (
            <>
              <div className="word">
                <p className="word__front">{card.front}</p>
                <p className="word__back muted">{card.back}</p>
                <button type="button" className="link-button" onClick={() => setPosition((p) => p + 1)} disabled={list.length < 2}>
                  Another word →
                </button>
              </div>
              {/* A new word starts a new attempt. */}
              <SpeakingPractice key={String(card.cardId)} cardId={card.cardId} />
            </>
          )
        }}
      </AsyncView>
    </section>
  )
}
