import type { ReactNode } from 'react'
import type { AsyncState } from '../lib/use-async'
import { ErrorMessage } from './ErrorMessage'
import { Loading } from './Loading'

/** Loading, error (with retry) or the content: the three states every page that loads data shows. */
export function AsyncView<T>({
  state,
  onRetry,
  loadingLabel,
  children,
}: {
  state: AsyncState<T>
  onRetry?: () => void
  loadingLabel?: string
  children: (data: T) => ReactNode
}) {
  if (state.status === 'loading') return <Loading label={loadingLabel} />
  if (state.status === 'error') return <ErrorMessage error={state.error} onRetry={onRetry} />
  return <>{children(state.data)}</>
}
