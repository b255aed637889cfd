/** A sine tone, for the audio tests. */
export function sine(frequency: number, sampleRate: number, seconds: number, amplitude = 0.8): Float32Array {
  const samples = new Float32Array(Math.round(sampleRate * seconds))
  for (let i = 0; i < samples.length; i++) samples[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate)
  return samples
}

export function rms(samples: ArrayLike<number>, from = 0, to = samples.length): number {
  let sum = 0
  for (let i = from; i < to; i++) sum += samples[i] * samples[i]
  return Math.sqrt(sum / (to - from))
}

/** Frequency estimated from upward zero crossings, between `from` and `to`. */
export function estimateFrequency(samples: ArrayLike<number>, sampleRate: number, from = 0, to = samples.length): number {
  let first = -1
  let last = -1
  let crossings = 0
  for (let i = from + 1; i < to; i++) {
    if (samples[i - 1] < 0 && samples[i] >= 0) {
      // Interpolate where the crossing happened between the two samples.
      const at = i - 1 + samples[i - 1] / (samples[i - 1] - samples[i])
      if (first < 0) first = at
      else crossings++
      last = at
    }
  }
  return crossings === 0 ? 0 : (crossings * sampleRate) / (last - first)
}
