import type { ApiClient } from '../../../lib/api-client'
import type { Id } from '../../../lib/ids'

export interface SpeakingAttemptAccepted {
  jobId: Id
}

/** Uploads a WAV for analysis; the answer names the job to follow. */
export function postSpeakingAttempt(api: ApiClient, cardId: Id, wav: Blob, signal?: AbortSignal) {
  const form = new FormData()
  form.append('cardId', String(cardId))
  form.append('audio', wav, 'attempt.wav')
  return api.postForm<SpeakingAttemptAccepted>('/api/v1/speaking/attempts', form, { signal })
}
