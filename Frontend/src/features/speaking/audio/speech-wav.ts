import { resample } from './resample'
import { encodeWavPcm16 } from './wav-encoder'

/** What the Api's speaking analysis is given: 16 kHz, mono, PCM16. */
export const speechSampleRate = 16_000
/** The Api refuses longer clips. */
export const maxSpeechSeconds = 30

/** The parts of a Web Audio AudioBuffer the conversion needs (so tests can hand in plain arrays). */
export interface DecodedAudio {
  sampleRate: number
  numberOfChannels: number
  getChannelData(channel: number): Float32Array
}

/** Averages all channels into one. */
export function mixToMono(audio: DecodedAudio): Float32Array {
  if (audio.numberOfChannels === 1) return audio.getChannelData(0)
  const length = audio.getChannelData(0).length
  const mono = new Float32Array(length)
  for (let channel = 0; channel < audio.numberOfChannels; channel++) {
    const data = audio.getChannelData(channel)
    for (let i = 0; i < length; i++) mono[i] += data[i]
  }
  for (let i = 0; i < length; i++) mono[i] /= audio.numberOfChannels
  return mono
}

/** Decoded audio of any rate and channel count → a 16 kHz mono PCM16 WAV, cut to the Api's length limit. */
export function toSpeechWav(audio: DecodedAudio): Blob {
  const mono = resample(mixToMono(audio), audio.sampleRate, speechSampleRate)
  const limited = mono.length > maxSpeechSeconds * speechSampleRate ? mono.subarray(0, maxSpeechSeconds * speechSampleRate) : mono
  return new Blob([encodeWavPcm16(limited, speechSampleRate)], { type: 'audio/wav' })
}

/** Decodes a recording or an audio file with the browser's codecs (webm/opus, ogg, mp4, wav, …). */
export async function decodeAudio(blob: Blob): Promise<AudioBuffer> {
  const bytes = await blob.arrayBuffer()
  const context = new AudioContext()
  try {
    return await context.decodeAudioData(bytes)
  } finally {
    void context.close()
  }
}
