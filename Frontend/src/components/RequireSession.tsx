import { Navigate, Outlet, useLocation } from 'react-router'
import { useSession } from '../lib/session'

/** Pages behind it need a session; without one the learner goes to the login page and comes back after. */
export function RequireSession() {
  const { session } = useSession()
  const location = useLocation()
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />
  return <Outlet />
}
