import { mkdirSync, writeFileSync } from 'node:fs'
import { encodeWavPcm16 } from '../src/features/speaking/audio/wav-encoder'
import { artifactsDir } from './browser'

/**
 * A speech-like WAV made in code: a 140 Hz voice with harmonics, pitch gliding up, loudness pulsing four times a
 * second like syllables, with short pauses. 44.1 kHz, so the browser has to resample it to 16 kHz before upload.
 */
export function writeGeneratedSpeechWav(name = 'generated-speech.wav', seconds = 2, sampleRate = 44_100): string {
  const samples = new Float32Array(Math.round(seconds * sampleRate))
  let phase = 0
  for (let i = 0; i < samples.length; i++) {
    const t = i / sampleRate
    const pitch = 140 + 30 * (t / seconds)
    phase += (2 * Math.PI * pitch) / sampleRate
    const voice = Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase)
    const syllable = Math.max(0, Math.sin(2 * Math.PI * 4 * t)) // silent half of every 250 ms
    samples[i] = 0.35 * voice * syllable
  }
  mkdirSync(artifactsDir, { recursive: true })
  const path = `${artifactsDir}${name}`
  writeFileSync(path, new Uint8Array(encodeWavPcm16(samples, sampleRate)))
  return path
}
