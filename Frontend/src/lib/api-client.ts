// The one HTTP client of the app: JSON in and out, the bearer token on every call, and every failure turned into
// a typed error the pages can show (the server's own words when it sent RFC 7807 problem details).

/** RFC 7807 problem details as the Api sends them; `errors` is ASP.NET Core's validation map. */
export interface ProblemDetails {
  type?: string
  title?: string
  status?: number
  detail?: string
  instance?: string
  errors?: Record<string, string[]>
}

/** The server answered with an error status. */
export class ApiError extends Error {
  readonly status: number
  readonly title: string
  readonly detail?: string
  readonly problem?: ProblemDetails
  /** Validation messages by field name (empty when the server sent none). */
  readonly fieldErrors: Record<string, string[]>

  constructor(status: number, problem: ProblemDetails | undefined, statusText: string) {
    const title = problem?.title?.trim() || statusText || `HTTP ${status}`
    const detail = problem?.detail?.trim() || undefined
    super(detail ?? title)
    this.name = 'ApiError'
    this.status = status
    this.title = title
    this.detail = detail
    this.problem = problem
    this.fieldErrors = problem?.errors ?? {}
  }

  /** Every validation message, one per line, prefixed with its field when there is one. */
  get validationMessages(): string[] {
    return Object.entries(this.fieldErrors).flatMap(([field, messages]) =>
      messages.map((message) => (field && !message.toLowerCase().includes(field.toLowerCase()) ? `${field}: ${message}` : message)),
    )
  }
}

/** The session is missing, expired or rejected: the user must log in again. */
export class UnauthorizedError extends ApiError {
  constructor(problem: ProblemDetails | undefined, statusText: string) {
    super(401, problem, statusText)
    this.name = 'UnauthorizedError'
  }
}

/** The request never got an answer: offline, server down, DNS, CORS. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('Cannot reach the server. Check your connection and try again.', { cause })
    this.name = 'NetworkError'
  }
}

/** The server answered 2xx but not with the JSON we expected. */
export class InvalidResponseError extends Error {
  readonly status: number
  constructor(status: number, cause?: unknown) {
    super('The server sent an answer the app cannot read.', { cause })
    this.name = 'InvalidResponseError'
    this.status = status
  }
}

export interface ApiClientOptions {
  /** Prefix for every path; '' in the browser (same origin), an absolute URL in tests. */
  baseUrl?: string
  /** The current access token, if any. */
  getToken?: () => string | undefined
  /** Called when a call that carried a token was answered 401: the session is over. */
  onUnauthorized?: () => void
  fetch?: typeof fetch
}

export type QueryValue = string | number | boolean | undefined

export interface RequestOptions {
  query?: Record<string, QueryValue>
  signal?: AbortSignal
}

export interface ApiClient {
  get<T>(path: string, options?: RequestOptions): Promise<T>
  post<T>(path: string, body: unknown, options?: RequestOptions): Promise<T>
  postForm<T>(path: string, form: FormData, options?: RequestOptions): Promise<T>
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '')
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init))

  async function send<T>(method: string, path: string, body: BodyInit | undefined, contentType: string | undefined, request: RequestOptions = {}): Promise<T> {
    const headers = new Headers({ Accept: 'application/json, application/problem+json' })
    if (contentType) headers.set('Content-Type', contentType)
    const token = options.getToken?.()
    if (token) headers.set('Authorization', `Bearer ${token}`)

    let response: Response
    try {
      response = await doFetch(baseUrl + path + toQueryString(request.query), { method, headers, body, signal: request.signal })
    } catch (error) {
      // An abort is the caller's own decision, not a network problem: let it through unchanged.
      if (request.signal?.aborted) throw error
      throw new NetworkError(error)
    }

    if (!response.ok) {
      const problem = await readProblem(response)
      if (response.status === 401) {
        if (token) options.onUnauthorized?.()
        throw new UnauthorizedError(problem, response.statusText)
      }
      throw new ApiError(response.status, problem, response.statusText)
    }
    return readJson<T>(response)
  }

  return {
    get: (path, request) => send('GET', path, undefined, undefined, request),
    post: (path, body, request) => send('POST', path, JSON.stringify(body), 'application/json', request),
    // The browser sets the multipart boundary itself, so no Content-Type here.
    postForm: (path, form, request) => send('POST', path, form, undefined, request),
  }
}

function toQueryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value))
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

async function readJson<T>(response: Response): Promise<T> {
  const text = await response.text().catch((error: unknown) => {
    throw new InvalidResponseError(response.status, error)
  })
  if (text.length === 0) return undefined as T
  try {
    return JSON.parse(text) as T
  } catch (error) {
    throw new InvalidResponseError(response.status, error)
  }
}

async function readProblem(response: Response): Promise<ProblemDetails | undefined> {
  let text: string
  try {
    text = await response.text()
  } catch {
    return undefined
  }
  if (!text) return undefined
  try {
    const parsed: unknown = JSON.parse(text)
    return isObject(parsed) ? toProblem(parsed) : undefined
  } catch {
    // A proxy's HTML error page, say: nothing of it is fit to show.
    return undefined
  }
}

function toProblem(value: Record<string, unknown>): ProblemDetails {
  const problem: ProblemDetails = {}
  if (typeof value.type === 'string') problem.type = value.type
  if (typeof value.title === 'string') problem.title = value.title
  if (typeof value.status === 'number') problem.status = value.status
  if (typeof value.detail === 'string') problem.detail = value.detail
  if (typeof value.instance === 'string') problem.instance = value.instance
  if (isObject(value.errors)) {
    const errors: Record<string, string[]> = {}
    for (const [field, messages] of Object.entries(value.errors)) {
      const list = (Array.isArray(messages) ? messages : [messages]).filter((m): m is string => typeof m === 'string')
      if (list.length > 0) errors[field] = list
    }
    problem.errors = errors
  }
  return problem
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A sentence fit for an error banner, whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof UnauthorizedError) return error.detail ?? 'Your session has ended. Please log in again.'
  if (error instanceof ApiError) {
    if (error.detail) return error.detail
    // Bare status titles ("Too Many Requests", "Bad Gateway") say little to a learner.
    if (error.status === 429) return 'Too many attempts. Wait a minute, then try again.'
    if (error.status >= 500 && !error.problem?.title) return `The server had a problem (${error.title}). Try again in a moment.`
    return error.title
  }
  if (error instanceof Error) return error.message
  return 'Something went wrong.'
}
