import { ApiError, describeError } from '../lib/api-client'

/** An error banner with the server's own message and validation details, and a retry button when one helps. */
export function ErrorMessage({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const details = error instanceof ApiError ? error.validationMessages : []
  return (
    <div className="error" role="alert">
      {title && <strong className="error__title">{title}</strong>}
      <p className="error__message">{describeError(error)}</p>
      {details.length > 0 && (
        <ul className="error__details">
          {details.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="button button--secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  )
}
