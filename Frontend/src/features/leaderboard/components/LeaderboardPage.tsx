import { AsyncView } from '../../../components/AsyncView'
import { useApi } from '../../../lib/session'
import { useAsync } from '../../../lib/use-async'
import { fetchMe } from '../../profile/api/profile-api'
import { fetchLeaderboard } from '../api/leaderboard-api'

export function LeaderboardPage() {
  const api = useApi()
  const board = useAsync(async (signal) => {
    // The learner's own name marks their row; the board itself does not depend on it.
    const [entries, me] = await Promise.all([fetchLeaderboard(api, signal), fetchMe(api, signal).catch(() => undefined)])
    return { entries, myName: me?.displayName }
  }, [api])

  return (
    <section>
      <h1>Leaderboard</h1>
      <AsyncView state={board} onRetry={board.reload} loadingLabel="Loading the leaderboard…">
        {({ entries, myName }) =>
          entries.length === 0 ? (
            <p className="empty">No ratings yet: they are calculated every few minutes.</p>
          ) : (
            <ol className="leaderboard">
              {entries.map((entry, index) => (
                <li key={`${index}-${entry.displayName}`} className={`leaderboard__row${entry.displayName === myName ? ' is-me' : ''}`}>
                  <span className="leaderboard__rank">{index + 1}</span>
                  <span className="leaderboard__name">{entry.displayName}</span>
                  <span className="leaderboard__rating" title="Rating">
                    {Math.round(entry.rating)}
                  </span>
                  <span className="leaderboard__xp muted">{entry.xp.toLocaleString('en')} XP</span>
                </li>
              ))}
            </ol>
          )
        }
      </AsyncView>
    </section>
  )
}
