// @vitest-environment node
import { afterEach, expect, it } from 'vitest'
import { createApiClient } from '../../../lib/api-client'
import { sendJson, startTestServer, type TestServer } from '../../../test/http-server'
import { encodeWavPcm16 } from '../audio/wav-encoder'
import { postSpeakingAttempt } from './speaking-api'

let server: TestServer | undefined
afterEach(async () => server?.close())

it('uploads the card id and the WAV as multipart form data and returns the job id', async () => {
  server = await startTestServer((_, res) => sendJson(res, 202, { jobId: 'job-1' }))
  const api = createApiClient({ baseUrl: server.url, getToken: () => 'tok' })
  const wav = new Blob([encodeWavPcm16(new Float32Array([0, 0.5, -0.5]), 16_000)], { type: 'audio/wav' })

  const accepted = await postSpeakingAttempt(api, 12, wav)

  expect(accepted.jobId).toBe('job-1')
  const request = server.requests[0]
  expect(request.url).toBe('/api/v1/speaking/attempts')
  expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
  expect(request.headers.authorization).toBe('Bearer tok')
  const body = request.body.toString('latin1')
  expect(body).toMatch(/name="cardId"\r\n\r\n12\r\n/)
  expect(body).toMatch(/name="audio"; filename="attempt.wav"\r\nContent-Type: audio\/wav/)
  // The file part carries the WAV bytes unchanged.
  const start = body.indexOf('RIFF')
  expect(request.body.subarray(start, start + 50).equals(Buffer.from(await wav.arrayBuffer()))).toBe(true)
})
