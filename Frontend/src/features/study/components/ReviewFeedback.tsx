import type { Grade, ReviewResult } from '../api/study-api'
import { gradeOptions } from '../grades'
import { formatDueDate, formatInterval } from '../schedule-format'

/** What the last grade did: when the card comes back, the new interval and ease, and the XP it earned. */
export function ReviewFeedback({ front, grade, result, now }: { front: string; grade: Grade; result: ReviewResult; now: Date }) {
  const due = formatDueDate(result.dueAt, now)
  return (
    <div className="feedback" role="status" aria-live="polite">
      <p>
        <strong>{front}</strong> — {gradeOptions[grade].label.toLowerCase()}. Next review <strong>{due.relative}</strong>
        {due.absolute && <span className="muted"> ({due.absolute})</span>}.
      </p>
      <p className="muted">
        Interval {formatInterval(result.intervalDays)} · ease {result.easeFactor.toFixed(2)}
        {result.xpAwarded > 0 && (
          <>
            {' · '}
            <strong className="xp">+{result.xpAwarded} XP</strong>
          </>
        )}
      </p>
    </div>
  )
}
