// Band-limited sample-rate conversion (windowed sinc). Going down from 44.1/48 kHz to 16 kHz needs the low-pass,
// otherwise everything above 8 kHz folds back into the speech band as noise.

/** Zero crossings of the sinc on each side: more is a sharper filter and more work. */
const zeroCrossings = 16
/** Kernel table steps per input sample; linear interpolation between steps keeps the error far below PCM16's LSB. */
const tableResolution = 512
/** Cut a little below the target Nyquist, so the filter's transition band ends before aliases begin. */
const cutoffMargin = 0.92

export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (!(fromRate > 0) || !(toRate > 0)) throw new RangeError(`Invalid sample rates: ${fromRate} → ${toRate}`)
  if (fromRate === toRate) return input.slice()

  const ratio = toRate / fromRate
  const outputLength = Math.floor((input.length * toRate) / fromRate)
  const output = new Float32Array(outputLength)
  // Cutoff as a fraction of the input Nyquist: the lower of the two rates decides.
  const cutoff = Math.min(1, ratio) * cutoffMargin
  const support = zeroCrossings / cutoff // kernel half-width in input samples
  const kernel = buildKernel(cutoff, support)

  for (let n = 0; n < outputLength; n++) {
    const center = n / ratio // position of this output sample on the input's time axis
    const first = Math.ceil(center - support)
    const last = Math.floor(center + support)
    let sum = 0
    let weightSum = 0
    for (let k = first; k <= last; k++) {
      const weight = kernelAt(kernel, Math.abs(center - k))
      weightSum += weight
      // Samples beyond either end count as silence; the weight still counts, so edges fade rather than jump.
      if (k >= 0 && k < input.length) sum += input[k] * weight
    }
    output[n] = weightSum !== 0 ? sum / weightSum : 0
  }
  return output
}

/** The windowed-sinc kernel sampled at |x| = i / tableResolution input samples, for i up to the support. */
function buildKernel(cutoff: number, support: number): Float32Array {
  const size = Math.ceil(support * tableResolution) + 2
  const table = new Float32Array(size)
  for (let i = 0; i < size; i++) {
    const x = i / tableResolution
    if (x >= support) break
    table[i] = cutoff * sinc(cutoff * x) * blackman(x / support)
  }
  return table
}

function kernelAt(table: Float32Array, distance: number): number {
  const position = distance * tableResolution
  const index = Math.floor(position)
  if (index + 1 >= table.length) return 0
  const fraction = position - index
  return table[index] + (table[index + 1] - table[index]) * fraction
}

function sinc(x: number): number {
  if (x === 0) return 1
  const px = Math.PI * x
  return Math.sin(px) / px
}

/** Blackman window on u in [0, 1] (the kernel is symmetric, so only |u| is needed). */
function blackman(u: number): number {
  return 0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u)
}
