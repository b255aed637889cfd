import { BrowserRouter, Link, Route, Routes } from 'react-router'
import { Layout } from './components/Layout'
import { RequireSession } from './components/RequireSession'
import { LoginPage } from './features/auth/components/LoginPage'
import { RegisterPage } from './features/auth/components/RegisterPage'
import { DeckListPage } from './features/decks/components/DeckListPage'
import { LeaderboardPage } from './features/leaderboard/components/LeaderboardPage'
import { ProfilePage } from './features/profile/components/ProfilePage'
import { SpeakingPage } from './features/speaking/components/SpeakingPage'
import { StudyPage } from './features/study/components/StudyPage'
import { SessionProvider } from './lib/session'

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/register" element={<RegisterPage />} />
      <Route element={<RequireSession />}>
        <Route element={<Layout />}>
          <Route index element={<DeckListPage />} />
          <Route path="study/:deckId" element={<StudyPage />} />
          <Route path="speaking" element={<SpeakingPage />} />
          <Route path="speaking/:deckId" element={<SpeakingPage />} />
          <Route path="profile" element={<ProfilePage />} />
          <Route path="leaderboard" element={<LeaderboardPage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Route>
    </Routes>
  )
}

function NotFound() {
  return (
    <section className="panel panel--center">
      <h1>Page not found</h1>
      <Link className="button" to="/">
        Back to decks
      </Link>
    </section>
  )
}

export default function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </SessionProvider>
  )
}
