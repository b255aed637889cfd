// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { estimateFrequency, rms, sine } from '../../../test/signals'
import { resample } from './resample'

/** The middle of a signal, away from the filter's edge effects. */
const middle = (samples: Float32Array) => [Math.floor(samples.length * 0.1), Math.floor(samples.length * 0.9)] as const

describe('resampling', () => {
  it.each([
    [48_000, 16_000],
    [44_100, 16_000],
    [22_050, 16_000],
    [8_000, 16_000],
  ])('keeps a 440 Hz tone at 440 Hz and at the same loudness from %i Hz to %i Hz', (from, to) => {
    const input = sine(440, from, 1, 0.8)

    const output = resample(input, from, to)

    expect(output.length).toBe(Math.floor((input.length * to) / from))
    const [start, end] = middle(output)
    expect(estimateFrequency(output, to, start, end)).toBeCloseTo(440, 0)
    expect(rms(output, start, end)).toBeCloseTo(0.8 / Math.SQRT2, 2)
  })

  it('filters out a tone above the new Nyquist frequency instead of folding it into the speech band', () => {
    // 12 kHz at 48 kHz would alias to 4 kHz at 16 kHz if the samples were just picked.
    const input = sine(12_000, 48_000, 1, 0.8)

    const output = resample(input, 48_000, 16_000)

    const [start, end] = middle(output)
    expect(rms(output, start, end)).toBeLessThan(0.002)
  })

  it('keeps a constant level exactly constant away from the edges', () => {
    const output = resample(new Float32Array(4_800).fill(0.25), 48_000, 16_000)

    const [start, end] = middle(output)
    for (let i = start; i < end; i++) expect(output[i]).toBeCloseTo(0.25, 5)
  })

  it('returns a copy when the rates already match', () => {
    const input = new Float32Array([0.1, 0.2, 0.3])
    const output = resample(input, 16_000, 16_000)

    expect(Array.from(output)).toEqual(Array.from(input))
    expect(output).not.toBe(input)
  })

  it('refuses a rate that is not positive', () => {
    expect(() => resample(new Float32Array(4), 0, 16_000)).toThrow(RangeError)
    expect(() => resample(new Float32Array(4), 48_000, -1)).toThrow(RangeError)
  })
})
