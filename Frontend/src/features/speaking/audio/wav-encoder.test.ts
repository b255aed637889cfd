// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { decodeWav } from '../../../test/wav-decoder'
import { encodeWavPcm16, floatToPcm16, wavHeaderBytes } from './wav-encoder'

describe('WAV encoder', () => {
  it('writes a canonical RIFF/WAVE PCM16 mono header', () => {
    const wav = decodeWav(encodeWavPcm16(new Float32Array(1000), 16_000))

    expect(wav.riff).toBe('RIFF')
    expect(wav.wave).toBe('WAVE')
    expect(wav.riffSize).toBe(36 + 2000)
    expect(wav.audioFormat).toBe(1)
    expect(wav.channels).toBe(1)
    expect(wav.sampleRate).toBe(16_000)
    expect(wav.byteRate).toBe(32_000)
    expect(wav.blockAlign).toBe(2)
    expect(wav.bitsPerSample).toBe(16)
    expect(wav.dataSize).toBe(2000)
  })

  it('makes the file exactly header plus two bytes per sample, also for an odd count and for nothing', () => {
    expect(encodeWavPcm16(new Float32Array(3), 8_000).byteLength).toBe(wavHeaderBytes + 6)
    const empty = decodeWav(encodeWavPcm16(new Float32Array(0), 8_000))
    expect(empty.dataSize).toBe(0)
    expect(empty.samples).toHaveLength(0)
  })

  it('decodes back to the samples it was given, within half a step of 16-bit resolution', () => {
    const input = Float32Array.from({ length: 500 }, (_, i) => Math.sin(i / 7) * 0.9)

    const { samples } = decodeWav(encodeWavPcm16(input, 16_000))

    expect(samples).toHaveLength(input.length)
    // Negative samples are scaled by 32768, positive ones by 32767; rounding costs at most half a step.
    const decoded = Array.from(samples, (s) => (s < 0 ? s / 32768 : s / 32767))
    for (let i = 0; i < input.length; i++) expect(Math.abs(decoded[i] - input[i])).toBeLessThanOrEqual(0.5 / 32767 + 1e-7)
  })

  it('clips samples beyond full scale instead of wrapping them around', () => {
    const { samples } = decodeWav(encodeWavPcm16(new Float32Array([1, -1, 1.5, -2, 40, -40, 0.5, -0.5, Number.NaN, 0]), 16_000))

    expect(Array.from(samples)).toEqual([32767, -32768, 32767, -32768, 32767, -32768, 16384, -16384, 0, 0])
  })

  it('maps full scale asymmetrically so both ends of the 16-bit range are reached', () => {
    expect(floatToPcm16(1)).toBe(32767)
    expect(floatToPcm16(-1)).toBe(-32768)
    expect(floatToPcm16(Number.POSITIVE_INFINITY)).toBe(32767)
    expect(floatToPcm16(Number.NEGATIVE_INFINITY)).toBe(-32768)
    expect(floatToPcm16(1 / 32767)).toBe(1)
  })

  it('refuses a sample rate that is not a positive whole number', () => {
    expect(() => encodeWavPcm16(new Float32Array(1), 0)).toThrow(RangeError)
    expect(() => encodeWavPcm16(new Float32Array(1), 44_100.5)).toThrow(RangeError)
  })
})
