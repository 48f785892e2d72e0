import { useCallback, useEffect, useState } from 'react'
import type { ChronicleApi, SessionInfo } from '../../../shared/api/contract'
import type { Failure } from '../../../shared/result'

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly session: SessionInfo }
  | { readonly status: 'failed'; readonly error: Failure; readonly retry: () => void }

/** Asks the main side once for what the page needs to open its store; a failure can be retried. */
export function useSession(api: ChronicleApi): SessionState {
  const [attempt, setAttempt] = useState(0)
  const [state, setState] = useState<SessionState>({ status: 'loading' })
  const retry = useCallback(() => setAttempt((n) => n + 1), [])
  useEffect(() => {
    let current = true
    void api.call('session', {}).then((result) => {
      if (!current) return
      setState(
        result.ok
          ? { status: 'ready', session: result.value }
          : { status: 'failed', error: result.error, retry },
      )
    })
    return () => {
      current = false
    }
  }, [api, attempt, retry])
  return state
}
