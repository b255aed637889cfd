import { useCallback, useLayoutEffect, useState } from 'react'
import { ErrorMessage } from '../../../components/ErrorMessage'
import type { DueCard, Grade, ReviewResult } from '../api/study-api'
import { gradeForKey, gradeOptions } from '../grades'
import { ReviewFeedback } from './ReviewFeedback'

interface StudySessionProps {
  cards: DueCard[]
  review: (card: DueCard, grade: Grade) => Promise<ReviewResult>
  onFinished?: () => void
  /** The clock for the due-date wording; tests fix it. */
  now?: () => Date
}

interface LastReview {
  card: DueCard
  grade: Grade
  result: ReviewResult
}

/** One pass through the due cards: show the front, flip (space), grade 0–5 (keys 0–5), see when it comes back. */
export function StudySession({ cards, review, onFinished, now = () => new Date() }: StudySessionProps) {
  const [index, setIndex] = useState(0)
  const [flipped, setFlipped] = useState(false)
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<unknown>()
  const [last, setLast] = useState<LastReview>()
  const [xpEarned, setXpEarned] = useState(0)

  const card = cards[index] as DueCard | undefined

  const grade = useCallback(
    async (value: Grade) => {
      if (!card || !flipped || pending) return
      setPending(true)
      setError(undefined)
      try {
        const result = await review(card, value)
        setLast({ card, grade: value, result })
        setXpEarned((xp) => xp + (result.xpAwarded ?? 0))
        setFlipped(false)
        setIndex((i) => i + 1)
      } catch (caught) {
        setError(caught)
      } finally {
        setPending(false)
      }
    },
    [card, flipped, pending, review],
  )

  // A layout effect, so the listener for this card is in place by the time the card shows. A passive effect runs
  // after paint, and a key pressed in between went to the previous card's listener (or none) and was lost.
  useLayoutEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return
      if (event.key === ' ' || event.code === 'Space') {
        event.preventDefault()
        if (card && !pending) setFlipped((f) => !f)
        return
      }
      const value = gradeForKey(event.key)
      if (value !== undefined) {
        event.preventDefault()
        void grade(value)
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [card, pending, grade])

  const feedback = last && <ReviewFeedback front={last.card.front} grade={last.grade} result={last.result} now={now()} />

  if (!card) {
    return (
      <div className="session-done">
        {feedback}
        <div className="panel panel--center">
          <h2>Session complete</h2>
          <p>
            You reviewed {cards.length} {cards.length === 1 ? 'card' : 'cards'} and earned <strong className="xp">+{xpEarned} XP</strong>.
          </p>
          {onFinished && (
            <button type="button" className="button" onClick={onFinished}>
              Check for more cards
            </button>
          )}
        </div>
      </div>
    )
  }

  return (
    <div className="session">
      <div className="session__progress">
        <span>
          Card {index + 1} of {cards.length}
        </span>
        <span className="xp">+{xpEarned} XP</span>
      </div>
      <div className="progress" aria-hidden="true">
        <div className="progress__bar" style={{ width: `${(index / cards.length) * 100}%` }} />
      </div>

      <button
        type="button"
        className={`flashcard${flipped ? ' is-flipped' : ''}`}
        onClick={() => !pending && setFlipped((f) => !f)}
        aria-pressed={flipped}
      >
        <span className="flashcard__front" lang="und">
          {card.front}
        </span>
        {flipped ? (
          <span className="flashcard__back" data-testid="card-back">
            {card.back}
          </span>
        ) : (
          <span className="flashcard__hint">Tap or press Space to reveal</span>
        )}
      </button>

      {error !== undefined && <ErrorMessage error={error} title="That grade was not saved" />}

      <div className="grades" role="group" aria-label="How well did you remember it?">
        {gradeOptions.map((option) => (
          <button
            key={option.grade}
            type="button"
            className={`grade grade--${option.grade}`}
            disabled={!flipped || pending}
            onClick={() => void grade(option.grade)}
            title={option.hint}
            aria-keyshortcuts={String(option.grade)}
          >
            <span className="grade__key">{option.grade}</span>
            <span className="grade__label">{option.label}</span>
          </button>
        ))}
      </div>
      <p className="muted keys-help">
        Keys: <kbd>Space</kbd> flip · <kbd>0</kbd>–<kbd>5</kbd> grade
      </p>

      {feedback}
    </div>
  )
}

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
}
