/** A microphone recording in progress. */
export interface Recording {
  /** Stops the recording and gives what was recorded, in the browser's own format (webm/opus, ogg, mp4). */
  stop(): Promise<Blob>
  /** Stops and throws the recording away. */
  cancel(): void
  /** The microphone's current loudness, 0 (silence) … 1 (full scale), for a level meter. */
  level(): number
}

export function canRecord(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia && typeof MediaRecorder !== 'undefined'
}

/** Asks for the microphone and starts recording. Rejects when the learner says no or there is no microphone. */
export async function startRecording(): Promise<Recording> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
  })
  const recorder = new MediaRecorder(stream)
  const chunks: Blob[] = []
  recorder.addEventListener('dataavailable', (event) => {
    if (event.data.size > 0) chunks.push(event.data)
  })
  const stopped = new Promise<Blob>((resolve, reject) => {
    recorder.addEventListener('stop', () => resolve(new Blob(chunks, { type: recorder.mimeType || chunks[0]?.type || 'audio/webm' })))
    recorder.addEventListener('error', (event) => reject((event as ErrorEvent).error ?? new Error('Recording failed.')))
  })
  const meter = createLevelMeter(stream)
  // Release the microphone (and the browser's "recording" indicator) however the recording ends.
  const release = () => {
    stream.getTracks().forEach((track) => track.stop())
    meter.close()
  }
  void stopped.then(release, release)
  recorder.start()

  return {
    stop() {
      if (recorder.state !== 'inactive') recorder.stop()
      return stopped
    },
    cancel() {
      if (recorder.state !== 'inactive') recorder.stop()
      release()
    },
    level: meter.level,
  }
}

/** RMS of the latest few milliseconds of the stream; a meter that cannot start reads 0 rather than failing the recording. */
function createLevelMeter(stream: MediaStream): { level: () => number; close: () => void } {
  try {
    const context = new AudioContext()
    const analyser = context.createAnalyser()
    analyser.fftSize = 1024
    context.createMediaStreamSource(stream).connect(analyser)
    const buffer = new Float32Array(analyser.fftSize)
    return {
      level() {
        analyser.getFloatTimeDomainData(buffer)
        let sum = 0
        for (const sample of buffer) sum += sample * sample
        return Math.min(1, Math.sqrt(sum / buffer.length))
      },
      close: () => void context.close(),
    }
  } catch {
    return { level: () => 0, close: () => {} }
  }
}

/** Turns getUserMedia's rejections into sentences for the learner. */
export function describeMicrophoneError(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : ''
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was denied. Allow it in your browser settings, or upload a recording instead.'
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Connect one, or upload a recording instead.'
    case 'NotReadableError':
      return 'The microphone is busy in another app.'
    default:
      return error instanceof Error ? error.message : 'Recording is not possible here.'
  }
}
