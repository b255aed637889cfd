// How the next review of a card is put into words: "tomorrow (Tue, 24 Nov)", "in 6 days", "in 3 weeks".

const dayMs = 86_400_000

/** The length of an SM-2 interval, as the learner would say it. */
export function formatInterval(intervalDays: number): string {
  if (!Number.isFinite(intervalDays) || intervalDays < 0) return 'unknown'
  if (intervalDays < 1) return 'less than a day'
  const days = Math.round(intervalDays)
  if (days === 1) return '1 day'
  if (days < 14) return `${days} days`
  if (days < 60) return plural(Math.round(days / 7), 'week')
  if (days < 365) return plural(Math.round(days / 30), 'month')
  const years = Math.round((days / 365) * 10) / 10
  return years === 1 ? '1 year' : `${years} years`
}

export interface DueDateText {
  /** "now", "today", "tomorrow", "in 6 days", "in 3 weeks". */
  relative: string
  /** The calendar date, e.g. "Tue, 24 Nov" (with the year when it is not this year's). */
  absolute: string
}

export interface DueDateFormatOptions {
  locale?: string
  /** IANA zone the calendar days are counted in; the browser's own when not given. */
  timeZone?: string
}

/** When a card is due next, in calendar days of the learner's zone (not 24-hour blocks). */
export function formatDueDate(dueAt: string | Date, now: Date, options: DueDateFormatOptions = {}): DueDateText {
  const due = typeof dueAt === 'string' ? new Date(dueAt) : dueAt
  if (Number.isNaN(due.getTime())) return { relative: 'unknown', absolute: '' }
  const { locale = 'en-GB', timeZone } = options

  const days = calendarDay(due, timeZone) - calendarDay(now, timeZone)
  let relative: string
  if (due.getTime() <= now.getTime()) relative = 'now'
  else if (days <= 0) relative = 'later today'
  else if (days === 1) relative = 'tomorrow'
  else relative = `in ${formatInterval(days)}`

  const sameYear = yearOf(due, timeZone) === yearOf(now, timeZone)
  const absolute = new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: sameYear ? undefined : 'numeric',
    timeZone,
  }).format(due)
  return { relative, absolute }
}

/** Days since 1970-01-01 of the date's calendar day in the given zone. */
function calendarDay(date: Date, timeZone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(date)
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value)
  return Math.round(Date.UTC(get('year'), get('month') - 1, get('day')) / dayMs)
}

function yearOf(date: Date, timeZone: string | undefined): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(date))
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`
}
