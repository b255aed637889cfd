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

  it("shows the speaking task's result as the analysis: no ids, no wrapper prefix, RMS not read as milliseconds", () => {
    const rows = analysisRows({
      attemptId: '01a209da-c9bd-7ff0-8839-85b02804b510',
      cardId: 6,
      analysis: {
        durationSeconds: 2,
        rms: 0.0812,
        rmsDbfs: -17.2,
        voicedFrameRatio: 0.5,
        pitch: { minHz: 141.2, maxHz: 169.4, meanHz: 155.1, medianHz: 156 },
        estimatedSyllablesPerSecond: 4,
        sampleRate: 16000,
      },
      xpAwarded: 15,
    })

    expect(rows).toEqual([
      { kind: 'value', label: 'Duration', value: '2 s' },
      { kind: 'value', label: 'RMS', value: '-17.2 dB' },
      { kind: 'value', label: 'Voiced frame ratio', value: '50 %' },
      { kind: 'value', label: 'Pitch · Min', value: '141 Hz' },
      { kind: 'value', label: 'Pitch · Max', value: '169 Hz' },
      { kind: 'value', label: 'Pitch · Mean', value: '155 Hz' },
      { kind: 'value', label: 'Pitch · Median', value: '156 Hz' },
      { kind: 'value', label: 'Estimated syllables', value: '4 /s' },
      { kind: 'value', label: 'Sample rate', value: '16000' },
      { kind: 'value', label: 'XP awarded', value: '+15 XP' },
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
