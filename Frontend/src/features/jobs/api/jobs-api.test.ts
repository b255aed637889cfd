// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest'
import { createApiClient } from '../../../lib/api-client'
import { sendJson, sendProblem, startTestServer, type TestServer } from '../../../test/http-server'
import { fetchJob, JobTimeoutError, waitForJob, type JobStatus } from './jobs-api'

let server: TestServer | undefined
afterEach(async () => server?.close())

/** A job that moves one state further on every poll. */
async function serveJob(states: JobStatus[], final: { result?: unknown; error?: string } = {}) {
  let polls = 0
  server = await startTestServer((req, res) => {
    if (req.url !== '/api/v1/jobs/9') return sendProblem(res, 404, { title: 'Not Found' })
    const status = states[Math.min(polls++, states.length - 1)]
    const done = status === 'succeeded' || status === 'failed'
    sendJson(res, 200, {
      id: 9,
      type: 'process_speak_audio',
      status,
      createdAt: '2026-11-23T10:00:00Z',
      attempts: 1,
      result: done ? (final.result ?? null) : null,
      error: done ? (final.error ?? null) : null,
    })
  })
  return createApiClient({ baseUrl: server.url })
}

describe('waiting for a job', () => {
  it('polls until the job succeeds and hands back its result', async () => {
    const api = await serveJob(['queued', 'running', 'running', 'succeeded'], { result: { durationSeconds: 1.5 } })
    const seen: JobStatus[] = []

    const job = await waitForJob((signal) => fetchJob(api, 9, signal), { intervalMs: 5, onUpdate: (j) => seen.push(j.status) })

    expect(job.status).toBe('succeeded')
    expect(job.result).toEqual({ durationSeconds: 1.5 })
    expect(seen).toEqual(['queued', 'running', 'running', 'succeeded'])
    expect(server!.requests).toHaveLength(4)
  })

  it('resolves with a failed job and its error instead of throwing', async () => {
    const api = await serveJob(['queued', 'failed'], { error: 'Audio is not 16-bit PCM.' })

    const job = await waitForJob((signal) => fetchJob(api, 9, signal), { intervalMs: 5 })

    expect(job.status).toBe('failed')
    expect(job.error).toBe('Audio is not 16-bit PCM.')
  })

  it('gives up with a timeout error when the job never finishes', async () => {
    const api = await serveJob(['queued'])

    await expect(waitForJob((signal) => fetchJob(api, 9, signal), { intervalMs: 5, maxIntervalMs: 5, timeoutMs: 60 })).rejects.toBeInstanceOf(JobTimeoutError)
  })

  it('stops polling when aborted', async () => {
    const api = await serveJob(['queued'])
    const controller = new AbortController()

    const waiting = waitForJob((signal) => fetchJob(api, 9, signal), {
      intervalMs: 5,
      signal: controller.signal,
      onUpdate: () => controller.abort(),
    })

    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' })
    expect(server!.requests).toHaveLength(1)
  })
})
