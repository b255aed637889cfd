import { Link } from 'react-router'
import { AsyncView } from '../../../components/AsyncView'
import { useApi } from '../../../lib/session'
import { useAsync } from '../../../lib/use-async'
import { fetchDecks } from '../api/decks-api'
import { languageName } from '../language-name'

export function DeckListPage() {
  const api = useApi()
  const decks = useAsync((signal) => fetchDecks(api, signal), [api])

  return (
    <section>
      <h1>Your decks</h1>
      <AsyncView state={decks} onRetry={decks.reload} loadingLabel="Loading decks…">
        {(list) =>
          list.length === 0 ? (
            <p className="empty">No decks yet. Check back soon.</p>
          ) : (
            <ul className="deck-list">
              {list.map((deck) => (
                <li key={deck.id} className="deck">
                  <div className="deck__info">
                    <h2 className="deck__title">{deck.title}</h2>
                    <p className="muted">
                      {languageName(deck.language)} · {deck.cardCount} {deck.cardCount === 1 ? 'card' : 'cards'}
                    </p>
                  </div>
                  <div className="deck__actions">
                    <Link className="button" to={`/study/${encodeURIComponent(deck.id)}`}>
                      Study
                    </Link>
                    <Link className="button button--secondary" to={`/speaking/${encodeURIComponent(deck.id)}`}>
                      Speak
                    </Link>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </AsyncView>
    </section>
  )
}
