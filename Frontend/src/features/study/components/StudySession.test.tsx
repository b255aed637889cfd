import { act, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { createRoot } from 'react-dom/client'
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../lib/api-client'
import type { DueCard, Grade, ReviewResult } from '../api/study-api'
import { StudySession } from './StudySession'

const cards: DueCard[] = [
  { cardId: 1, front: 'νερό', back: 'water', dueAt: '2026-11-23T00:00:00Z' },
  { cardId: 2, front: 'ψωμί', back: 'bread', dueAt: '2026-11-23T00:00:00Z' },
]
const now = () => new Date('2026-11-23T12:00:00Z')

/** A scheduler stand-in that records the grades it was given and answers like the Api would. */
function recordingReviewer(answer: (grade: Grade) => Partial<ReviewResult> = () => ({})) {
  const calls: { cardId: DueCard['cardId']; grade: Grade }[] = []
  const review = async (card: DueCard, grade: Grade): Promise<ReviewResult> => {
    calls.push({ cardId: card.cardId, grade })
    return { cardId: card.cardId, intervalDays: 6, easeFactor: 2.6, dueAt: '2026-11-29T12:00:00Z', xpAwarded: 10, ...answer(grade) }
  }
  return { calls, review }
}

describe('study session keys', () => {
  it('flips with Space and grades with the number keys, then shows when the card comes back', async () => {
    const user = userEvent.setup()
    const { calls, review } = recordingReviewer()
    render(<StudySession cards={cards} review={review} now={now} />)

    await user.keyboard('4') // not flipped yet: grading is not possible
    expect(calls).toHaveLength(0)
    expect(screen.queryByText('water')).toBeNull()

    await user.keyboard(' ')
    expect(screen.getByText('water')).toBeInTheDocument()

    await user.keyboard('4')
    expect(calls).toEqual([{ cardId: 1, grade: 4 }])
    expect(await screen.findByText('ψωμί')).toBeInTheDocument()
    const feedback = screen.getByRole('status')
    expect(feedback).toHaveTextContent('Next review in 6 days')
    expect(feedback).toHaveTextContent('Interval 6 days · ease 2.60')
    expect(feedback).toHaveTextContent('+10 XP')
  })

  it('ignores keys that are not grades and grades 0 as well as 5', async () => {
    const user = userEvent.setup()
    const { calls, review } = recordingReviewer((grade) => ({ intervalDays: grade < 3 ? 1 : 6, dueAt: grade < 3 ? '2026-11-24T12:00:00Z' : '2026-11-29T12:00:00Z' }))
    render(<StudySession cards={cards} review={review} now={now} />)

    await user.keyboard(' ')
    await user.keyboard('789a')
    expect(calls).toHaveLength(0)

    await user.keyboard('0')
    expect(await screen.findByText('ψωμί')).toBeInTheDocument()
    expect(screen.getByRole('status')).toHaveTextContent('Next review tomorrow')

    await user.keyboard(' 5')
    expect(calls).toEqual([
      { cardId: 1, grade: 0 },
      { cardId: 2, grade: 5 },
    ])
    expect(await screen.findByText('Session complete')).toBeInTheDocument()
    expect(screen.getByText(/You reviewed 2 cards/)).toHaveTextContent('+20 XP')
  })

  it('grades with the buttons too, which are disabled until the card is flipped', async () => {
    const user = userEvent.setup()
    const { calls, review } = recordingReviewer()
    render(<StudySession cards={cards} review={review} now={now} />)

    expect(screen.getByRole('button', { name: /Good/ })).toBeDisabled()
    await user.click(screen.getByRole('button', { name: /νερό/ }))
    await user.click(screen.getByRole('button', { name: /Good/ }))

    expect(calls).toEqual([{ cardId: 1, grade: 4 }])
  })

  it('does not take keys typed into a text field', async () => {
    const user = userEvent.setup()
    const { calls, review } = recordingReviewer()
    render(
      <>
        <input aria-label="note" />
        <StudySession cards={cards} review={review} now={now} />
      </>,
    )

    await user.click(screen.getByLabelText('note'))
    await user.keyboard(' 3')
    expect(screen.queryByText('water')).toBeNull()
    expect(calls).toHaveLength(0)
  })

  it('keeps the card and shows the reason when a grade is not saved', async () => {
    const user = userEvent.setup()
    let fail = true
    const { calls, review } = recordingReviewer()
    const flaky = async (card: DueCard, grade: Grade) => {
      if (fail) throw new ApiError(400, { title: 'Bad request', detail: 'Grade must be between 0 and 5.' }, 'Bad Request')
      return review(card, grade)
    }
    render(<StudySession cards={cards} review={flaky} now={now} />)

    await user.keyboard(' 3')
    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent('That grade was not saved')
    expect(alert).toHaveTextContent('Grade must be between 0 and 5.')
    expect(screen.getByText('νερό')).toBeInTheDocument()

    fail = false
    await act(async () => {
      await user.keyboard('3')
    })
    expect(calls).toEqual([{ cardId: 1, grade: 3 }])
    expect(await screen.findByText('ψωμί')).toBeInTheDocument()
  })
})

/**
 * Renders outside act(), as the browser does, and presses a key the moment `text` appears: in the microtask after
 * React's commit, before its passive effects get a turn. That is what a browser test (or a quick learner) does
 * when it presses Space as soon as the card shows.
 */
function pressKeyTheMomentTextShows(container: HTMLElement, text: string, key: string) {
  const observer = new MutationObserver(() => {
    if (!container.textContent?.includes(text)) return
    observer.disconnect()
    window.dispatchEvent(new KeyboardEvent('keydown', { key, code: key === ' ' ? 'Space' : `Digit${key}`, bubbles: true }))
  })
  observer.observe(container, { childList: true, subtree: true, characterData: true })
}

describe('study session keys, pressed as soon as a card shows', () => {
  it('takes Space on the first card and on the next one', async () => {
    const reactActEnvironment = globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
    const previous = reactActEnvironment.IS_REACT_ACT_ENVIRONMENT
    reactActEnvironment.IS_REACT_ACT_ENVIRONMENT = false
    const container = document.body.appendChild(document.createElement('div'))
    const root = createRoot(container)
    try {
      const { calls, review } = recordingReviewer()
      pressKeyTheMomentTextShows(container, 'Card 1 of 2', ' ')
      root.render(<StudySession cards={cards} review={review} now={now} />)
      await waitFor(() => expect(container).toHaveTextContent('water'))

      pressKeyTheMomentTextShows(container, 'Card 2 of 2', ' ')
      window.dispatchEvent(new KeyboardEvent('keydown', { key: '4', code: 'Digit4' }))
      await waitFor(() => expect(container).toHaveTextContent('bread'))
      expect(calls).toEqual([{ cardId: 1, grade: 4 }])
    } finally {
      root.unmount()
      container.remove()
      reactActEnvironment.IS_REACT_ACT_ENVIRONMENT = previous
    }
  })
})
