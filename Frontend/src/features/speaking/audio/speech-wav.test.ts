// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { estimateFrequency, rms, sine } from '../../../test/signals'
import { decodeWav } from '../../../test/wav-decoder'
import { maxSpeechSeconds, mixToMono, speechSampleRate, toSpeechWav, type DecodedAudio } from './speech-wav'

function audio(sampleRate: number, ...channels: Float32Array[]): DecodedAudio {
  return { sampleRate, numberOfChannels: channels.length, getChannelData: (c) => channels[c] }
}

describe('speech WAV conversion', () => {
  it('turns 44.1 kHz stereo into 16 kHz mono PCM16 with the tone intact', async () => {
    const left = sine(300, 44_100, 2, 0.5)
    const right = sine(300, 44_100, 2, 0.5)

    const wav = decodeWav(await toSpeechWav(audio(44_100, left, right)).arrayBuffer())

    expect(wav.sampleRate).toBe(speechSampleRate)
    expect(wav.channels).toBe(1)
    expect(wav.bitsPerSample).toBe(16)
    expect(wav.samples).toHaveLength(32_000)
    const floats = Array.from(wav.samples, (s) => s / 32768)
    expect(estimateFrequency(floats, speechSampleRate, 3_000, 29_000)).toBeCloseTo(300, 0)
    expect(rms(floats, 3_000, 29_000)).toBeCloseTo(0.5 / Math.SQRT2, 2)
  })

  it('averages the channels, so opposite channels cancel out', () => {
    const mono = mixToMono(audio(16_000, new Float32Array([0.5, 1, -0.2]), new Float32Array([-0.5, 0, 0.2])))

    expect(Array.from(mono)).toEqual([0, 0.5, 0])
  })

  it('cuts a recording longer than the Api accepts to its limit', async () => {
    const long = new Float32Array(48_000 * (maxSpeechSeconds + 2))

    const wav = decodeWav(await toSpeechWav(audio(48_000, long)).arrayBuffer())

    expect(wav.samples).toHaveLength(maxSpeechSeconds * speechSampleRate)
  })
})
