import { AsyncView } from '../../../components/AsyncView'
import { useApi } from '../../../lib/session'
import { useAsync } from '../../../lib/use-async'
import { fetchMe } from '../api/profile-api'

export function ProfilePage() {
  const api = useApi()
  const me = useAsync((signal) => fetchMe(api, signal), [api])
  return (
    <section>
      <h1>Profile</h1>
      <AsyncView state={me} onRetry={me.reload} loadingLabel="Loading your profile…">
        {(profile) => (
          <>
            <div className="profile">
              <div className="avatar" aria-hidden="true">
                {profile.displayName.trim().charAt(0).toUpperCase() || '?'}
              </div>
              <div>
                <h2 className="profile__name">{profile.displayName}</h2>
                <p className="muted">{profile.email}</p>
              </div>
            </div>
            <div className="stats">
              <div className="stat">
                <span className="stat__value" data-testid="xp">
                  {profile.xp.toLocaleString('en')}
                </span>
                <span className="stat__label">XP</span>
              </div>
              <div className="stat">
                <span className="stat__value" data-testid="streak">
                  {profile.streakDays}
                </span>
                <span className="stat__label">day streak</span>
              </div>
            </div>
            <button type="button" className="button button--secondary" onClick={me.reload}>
              Refresh
            </button>
          </>
        )}
      </AsyncView>
    </section>
  )
}
