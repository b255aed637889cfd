import { describe, expect, it } from 'vitest'
import { analysisRows, humanize } from './analysis-format'

describe('analysis display', () => {
  it('formats the fields whose names carry a unit and flattens nested objects', () => {
    const rows = analysisRows({
      durationSeconds: 2.3456,
      rmsDbfs: -18.04,
      voicedFrameRatio: 0.625,
      pitch: { meanHz: 181.6, contourHz: [170, 180, 195.5, 176] },
      speakingRatePerSecond: 3.24,
      xpAwarded: 15,
      verdict: 'clear',
      clipped: false,
      note: null,
    })

    expect(rows).toEqual([
      { kind: 'value', label: 'Duration', value: '2.35 s' },
      { kind: 'value', label: 'RMS', value: '-18 dB' },
      { kind: 'value', label: 'Voiced frame ratio', value: '63 %' },
      { kind: 'value', label: 'Pitch · Mean', value: '182 Hz' },
      { kind: 'series', label: 'Pitch · Contour hz', values: [170, 180, 195.5, 176] },
      { kind: 'value', label: 'Speaking rate', value: '3.2 /s' },
      { kind: 'value', label: 'XP awarded', value: '+15 XP' },
      { kind: 'value', label: 'Verdict', value: 'clear' },
      { kind: 'value', label: 'Clipped', value: 'no' },
    ])
  })

  it('turns camelCase and snake_case keys into words', () => {
    expect(humanize('voicedFrameRatio')).toBe('Voiced frame ratio')
    expect(humanize('rms_level')).toBe('RMS level')
  })

  it('shows nothing for an empty or missing result', () => {
    expect(analysisRows(null)).toEqual([])
    expect(analysisRows({})).toEqual([])
  })
})
