/** A microphone recording in progress. */
export interface Recording {
  /** Stops the recording and gives what was recorded, in the browser's own format (webm/opus, ogg, mp4). */
  stop(): Promise<Blob>
  /** Stops and throws the recording away. */
  cancel(): void
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
  // Release the microphone (and the browser's "recording" indicator) however the recording ends.
  const release = () => stream.getTracks().forEach((track) => track.stop())
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
