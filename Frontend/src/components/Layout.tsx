import { NavLink, Outlet } from 'react-router'
import { useSession } from '../lib/session'

const links = [
  { to: '/', label: 'Decks', end: true },
  { to: '/speaking', label: 'Speak', end: false },
  { to: '/leaderboard', label: 'Ranks', end: false },
  { to: '/profile', label: 'Profile', end: false },
]

export function Layout() {
  const { signOut } = useSession()
  return (
    <div className="app">
      <header className="topbar">
        <NavLink to="/" className="brand">
          <span className="brand__mark" aria-hidden="true">λ</span> LearnApp
        </NavLink>
        <button type="button" className="link-button" onClick={() => signOut()}>
          Log out
        </button>
      </header>
      {/* A tab bar fixed to the bottom on phones, a strip under the top bar on wide screens. */}
      <nav className="tabbar" aria-label="Main">
        {links.map((link) => (
          <NavLink key={link.to} to={link.to} end={link.end} className={({ isActive }) => `tabbar__link${isActive ? ' is-active' : ''}`}>
            {link.label}
          </NavLink>
        ))}
      </nav>
      <main className="page">
        <Outlet />
      </main>
    </div>
  )
}
