// RIFF/WAVE writer for what the Api's speaking analysis accepts: PCM, 16-bit, little-endian.

export const wavHeaderBytes = 44

/** A float sample in [-1, 1] as a signed 16-bit integer; out-of-range values clip, NaN becomes silence. */
export function floatToPcm16(sample: number): number {
  if (Number.isNaN(sample)) return 0
  const clipped = Math.max(-1, Math.min(1, sample))
  // Asymmetric scale, so -1 reaches -32768 and +1 reaches +32767 exactly.
  return clipped < 0 ? Math.round(clipped * 0x8000) : Math.round(clipped * 0x7fff)
}

/** Mono float samples → a complete WAV file (canonical 44-byte header, then the PCM16 data). */
export function encodeWavPcm16(samples: Float32Array, sampleRate: number): ArrayBuffer {
  if (!Number.isInteger(sampleRate) || sampleRate <= 0) throw new RangeError(`Invalid sample rate: ${sampleRate}`)
  const channels = 1
  const bytesPerSample = 2
  const dataBytes = samples.length * bytesPerSample * channels
  const buffer = new ArrayBuffer(wavHeaderBytes + dataBytes)
  const view = new DataView(buffer)

  writeAscii(view, 0, 'RIFF')
  view.setUint32(4, 36 + dataBytes, true) // size of everything after this field
  writeAscii(view, 8, 'WAVE')
  writeAscii(view, 12, 'fmt ')
  view.setUint32(16, 16, true) // fmt chunk size for PCM
  view.setUint16(20, 1, true) // audio format 1 = integer PCM
  view.setUint16(22, channels, true)
  view.setUint32(24, sampleRate, true)
  view.setUint32(28, sampleRate * channels * bytesPerSample, true) // byte rate
  view.setUint16(32, channels * bytesPerSample, true) // block align
  view.setUint16(34, bytesPerSample * 8, true) // bits per sample
  writeAscii(view, 36, 'data')
  view.setUint32(40, dataBytes, true)

  for (let i = 0, offset = wavHeaderBytes; i < samples.length; i++, offset += bytesPerSample) {
    view.setInt16(offset, floatToPcm16(samples[i]), true)
  }
  return buffer
}

function writeAscii(view: DataView, offset: number, text: string) {
  for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i))
}
