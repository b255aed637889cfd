// An independent WAV reader for the tests: it walks the chunks instead of assuming the encoder's layout.

export interface DecodedWav {
  riff: string
  riffSize: number
  wave: string
  audioFormat: number
  channels: number
  sampleRate: number
  byteRate: number
  blockAlign: number
  bitsPerSample: number
  dataSize: number
  samples: Int16Array
}

export function decodeWav(buffer: ArrayBuffer): DecodedWav {
  const view = new DataView(buffer)
  const ascii = (offset: number, length: number) => String.fromCharCode(...new Uint8Array(buffer, offset, length))
  const result: Partial<DecodedWav> = { riff: ascii(0, 4), riffSize: view.getUint32(4, true), wave: ascii(8, 4) }
  let offset = 12
  while (offset + 8 <= buffer.byteLength) {
    const id = ascii(offset, 4)
    const size = view.getUint32(offset + 4, true)
    const body = offset + 8
    if (id === 'fmt ') {
      result.audioFormat = view.getUint16(body, true)
      result.channels = view.getUint16(body + 2, true)
      result.sampleRate = view.getUint32(body + 4, true)
      result.byteRate = view.getUint32(body + 8, true)
      result.blockAlign = view.getUint16(body + 12, true)
      result.bitsPerSample = view.getUint16(body + 14, true)
    } else if (id === 'data') {
      result.dataSize = size
      const samples = new Int16Array(size / 2)
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + i * 2, true)
      result.samples = samples
    }
    offset = body + size + (size % 2)
  }
  if (result.samples === undefined || result.sampleRate === undefined) throw new Error('No fmt or data chunk.')
  return result as DecodedWav
}
