import type { ApiClient } from '../../../lib/api-client'
import type { Id } from '../../../lib/ids'

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed'

export interface Job<TResult = unknown> {
  id: Id
  type: string
  status: JobStatus
  createdAt: string
  startedAt?: string | null
  finishedAt?: string | null
  executedBy?: string | null
  attempts: number
  result?: TResult | null
  error?: string | null
}

export const fetchJob = <TResult = unknown>(api: ApiClient, jobId: Id, signal?: AbortSignal) =>
  api.get<Job<TResult>>(`/api/v1/jobs/${encodeURIComponent(jobId)}`, { signal })

export function isFinished(job: Job): boolean {
  return job.status === 'succeeded' || job.status === 'failed'
}

export class JobTimeoutError extends Error {
  constructor(seconds: number) {
    super(`The analysis is taking longer than ${seconds} s. Try again in a moment.`)
    this.name = 'JobTimeoutError'
  }
}

export interface WaitForJobOptions<TResult> {
  signal?: AbortSignal
  /** Called with every state seen, so the page can show queued → running. */
  onUpdate?: (job: Job<TResult>) => void
  /** First pause between polls; it grows by half each time up to `maxIntervalMs`. */
  intervalMs?: number
  maxIntervalMs?: number
  timeoutMs?: number
}

/** Polls the job until it succeeds or fails (both resolve: a failed job is an answer, not an exception). */
export async function waitForJob<TResult = unknown>(
  load: (signal?: AbortSignal) => Promise<Job<TResult>>,
  options: WaitForJobOptions<TResult> = {},
): Promise<Job<TResult>> {
  const { signal, onUpdate, intervalMs = 400, maxIntervalMs = 2_000, timeoutMs = 120_000 } = options
  const deadline = Date.now() + timeoutMs
  let pause = intervalMs
  for (;;) {
    const job = await load(signal)
    onUpdate?.(job)
    if (isFinished(job)) return job
    if (Date.now() + pause > deadline) throw new JobTimeoutError(Math.round(timeoutMs / 1000))
    await delay(pause, signal)
    pause = Math.min(maxIntervalMs, Math.round(pause * 1.5))
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    function onAbort() {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
