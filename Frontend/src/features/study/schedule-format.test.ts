import { describe, expect, it } from 'vitest'
import { formatDueDate, formatInterval } from './schedule-format'

describe('interval wording', () => {
  it.each([
    [0.5, 'less than a day'],
    [1, '1 day'],
    [6, '6 days'],
    [13, '13 days'],
    [14, '2 weeks'],
    [24, '3 weeks'],
    [60, '2 months'],
    [250, '8 months'],
    [365, '1 year'],
    [548, '1.5 years'],
    [-1, 'unknown'],
    [Number.NaN, 'unknown'],
  ])('%d days reads "%s"', (days, text) => {
    expect(formatInterval(days)).toBe(text)
  })
})

describe('due date wording', () => {
  const now = new Date('2026-11-23T18:30:00Z') // a Monday
  const utc = { timeZone: 'UTC', locale: 'en-GB' }

  it('names tomorrow and the weekday for a one-day interval', () => {
    expect(formatDueDate('2026-11-24T18:30:00Z', now, utc)).toEqual({ relative: 'tomorrow', absolute: 'Tue 24 Nov' })
  })

  it('counts calendar days, not 24-hour blocks', () => {
    // Only 6 hours away, but after midnight: that is tomorrow.
    expect(formatDueDate('2026-11-24T00:30:00Z', now, utc).relative).toBe('tomorrow')
    expect(formatDueDate('2026-11-23T23:00:00Z', now, utc).relative).toBe('later today')
    expect(formatDueDate('2026-11-29T09:00:00Z', now, utc).relative).toBe('in 6 days')
  })

  it("counts the days in the learner's time zone", () => {
    // 18:30 UTC is already 07:30 on Tuesday in Auckland, so a card due Tuesday 20:00 UTC (Wednesday there) is tomorrow.
    const auckland = formatDueDate('2026-11-24T20:00:00Z', now, { timeZone: 'Pacific/Auckland', locale: 'en-GB' })
    expect(auckland).toEqual({ relative: 'tomorrow', absolute: 'Wed 25 Nov' })
  })

  it('says "now" for a card already due', () => {
    expect(formatDueDate('2026-11-20T00:00:00Z', now, utc).relative).toBe('now')
  })

  it('uses weeks and months for long intervals and shows the year when it changes', () => {
    expect(formatDueDate('2026-12-14T12:00:00Z', now, utc)).toEqual({ relative: 'in 3 weeks', absolute: 'Mon 14 Dec' })
    const nextYear = formatDueDate('2027-02-21T12:00:00Z', now, utc)
    expect(nextYear.relative).toBe('in 3 months')
    expect(nextYear.absolute).toMatch(/^Sun,? 21 Feb 2027$/) // ICU puts a comma before a year
  })

  it('does not invent a date from a value it cannot read', () => {
    expect(formatDueDate('not a date', now, utc)).toEqual({ relative: 'unknown', absolute: '' })
  })
})
