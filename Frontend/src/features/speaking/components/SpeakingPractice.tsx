import { useEffect, useRef, useState, type ChangeEvent } from 'react'
import { ErrorMessage } from '../../../components/ErrorMessage'
import { Loading } from '../../../components/Loading'
import { useApi } from '../../../lib/session'
import type { Id } from '../../../lib/ids'
import { fetchJob, waitForJob, type Job, type JobStatus } from '../../jobs/api/jobs-api'
import { postSpeakingAttempt } from '../api/speaking-api'
import { canRecord, describeMicrophoneError, startRecording, type Recording } from '../audio/recorder'
import { decodeAudio, maxSpeechSeconds, toSpeechWav } from '../audio/speech-wav'
import { AnalysisView } from './AnalysisView'

type Step =
  | { name: 'idle' }
  | { name: 'recording'; startedAt: number }
  | { name: 'converting' }
  | { name: 'ready'; wav: Blob; url: string }
  | { name: 'uploading'; wav: Blob; url: string }
  | { name: 'analysing'; wav: Blob; url: string; status: JobStatus }
  | { name: 'done'; wav: Blob; url: string; job: Job }
  | { name: 'error'; error: unknown; wav?: Blob; url?: string }

const statusText: Record<JobStatus, string> = {
  queued: 'Waiting for an analyser…',
  running: 'Analysing your speech…',
  succeeded: 'Done',
  failed: 'Failed',
}

/** Record (or pick a file) → 16 kHz mono WAV → upload → follow the job → show the analysis. */
export function SpeakingPractice({ cardId }: { cardId: Id }) {
  const api = useApi()
  const [step, setStep] = useState<Step>({ name: 'idle' })
  const recording = useRef<Recording | undefined>(undefined)
  const work = useRef<AbortController | undefined>(undefined)
  const [elapsed, setElapsed] = useState(0)
  const [level, setLevel] = useState(0)

  const url = 'url' in step ? step.url : undefined
  // Free the preview's object URL when it is replaced or the component goes away.
  useEffect(() => (url ? () => URL.revokeObjectURL(url) : undefined), [url])

  // Stop whatever is going on when the learner leaves.
  useEffect(
    () => () => {
      recording.current?.cancel()
      work.current?.abort()
    },
    [],
  )

  useEffect(() => {
    if (step.name !== 'recording') return
    const timer = window.setInterval(() => {
      const seconds = (Date.now() - step.startedAt) / 1000
      setElapsed(seconds)
      setLevel(recording.current?.level() ?? 0)
      if (seconds >= maxSpeechSeconds - 0.5) void stop()
    }, 100)
    return () => window.clearInterval(timer)
    // Restarted only when the step changes, i.e. when a recording starts or ends.
  }, [step])

  async function record() {
    try {
      recording.current = await startRecording()
      setElapsed(0)
      setStep({ name: 'recording', startedAt: Date.now() })
    } catch (error) {
      setStep({ name: 'error', error: new Error(describeMicrophoneError(error)) })
    }
  }

  async function stop() {
    const current = recording.current
    recording.current = undefined
    if (!current) return
    setStep({ name: 'converting' })
    try {
      await convert(await current.stop())
    } catch {
      // Most often a recording stopped before any sound was captured.
      setStep({ name: 'error', error: new Error('The recording could not be read. Record a little longer and try again.') })
    }
  }

  async function pickFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0]
    event.target.value = ''
    if (!file) return
    setStep({ name: 'converting' })
    try {
      await convert(file)
    } catch {
      setStep({ name: 'error', error: new Error(`"${file.name}" is not audio this browser can read.`) })
    }
  }

  async function convert(audio: Blob) {
    const wav = toSpeechWav(await decodeAudio(audio))
    setStep({ name: 'ready', wav, url: URL.createObjectURL(wav) })
  }

  async function upload(wav: Blob, previewUrl: string) {
    work.current?.abort()
    const controller = new AbortController()
    work.current = controller
    setStep({ name: 'uploading', wav, url: previewUrl })
    try {
      const { jobId } = await postSpeakingAttempt(api, cardId, wav, controller.signal)
      setStep({ name: 'analysing', wav, url: previewUrl, status: 'queued' })
      const job = await waitForJob((signal) => fetchJob(api, jobId, signal), {
        signal: controller.signal,
        onUpdate: (update) => setStep((s) => (s.name === 'analysing' ? { ...s, status: update.status } : s)),
      })
      setStep({ name: 'done', wav, url: previewUrl, job })
    } catch (error) {
      if (!controller.signal.aborted) setStep({ name: 'error', error, wav, url: previewUrl })
    }
  }

  const recordButton = canRecord() && (
    <button type="button" className="button button--record" onClick={() => void record()}>
      <span className="rec-dot" aria-hidden="true" /> {url ? 'Record again' : 'Record'}
    </button>
  )
  const fileButton = (
    <label className="button button--secondary file-button">
      Upload a recording
      <input type="file" accept="audio/*,.wav" onChange={(e) => void pickFile(e)} data-testid="audio-file" />
    </label>
  )

  return (
    <div className="speaking">
      {step.name === 'recording' ? (
        <div className="recorder">
          <p className="recorder__time" aria-live="polite">
            <span className="rec-dot rec-dot--live" aria-hidden="true" /> Recording {elapsed.toFixed(1)} s
          </p>
          <div className="meter" aria-hidden="true">
            {/* Speech sits far below full scale: a square root makes quiet voices visible. */}
            <div className="meter__bar" style={{ width: `${Math.round(Math.min(1, Math.sqrt(level) * 1.6) * 100)}%` }} />
          </div>
          <button type="button" className="button" onClick={() => void stop()}>
            Stop
          </button>
        </div>
      ) : step.name === 'converting' ? (
        <Loading label="Preparing the recording…" />
      ) : step.name === 'uploading' ? (
        <Loading label="Uploading…" />
      ) : step.name === 'analysing' ? (
        <Loading label={statusText[step.status]} />
      ) : (
        <div className="speaking__actions">
          {recordButton}
          {fileButton}
        </div>
      )}

      {!canRecord() && step.name === 'idle' && (
        <p className="muted">Recording needs a microphone and a secure (https or localhost) page; you can upload a recording instead.</p>
      )}

      {url && (
        <div className="preview">
          <audio controls src={url} aria-label="Your recording" />
          {(step.name === 'ready' || (step.name === 'error' && step.wav)) && (
            <button type="button" className="button" onClick={() => 'wav' in step && step.wav && void upload(step.wav, url)}>
              {step.name === 'ready' ? 'Analyse' : 'Try the upload again'}
            </button>
          )}
        </div>
      )}

      {step.name === 'error' && <ErrorMessage error={step.error} />}

      {step.name === 'done' &&
        (step.job.status === 'succeeded' ? (
          <div className="panel">
            <h3>Your analysis</h3>
            <AnalysisView result={step.job.result} />
          </div>
        ) : (
          <ErrorMessage error={new Error(step.job.error || 'The analysis failed.')} title="The analysis failed" />
        ))}
    </div>
  )
}
