import { useEffect, useState } from 'react'
import type { ApiArgs, ApiMethod, ApiResults, ChronicleApi } from '../../../shared/api/contract'
import type { Failure } from '../../../shared/result'

export type CallState<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'loading' }
  /** `key`: the arguments (as JSON) this value answers, which may be older ones while newer load. */
  | { readonly status: 'done'; readonly value: T; readonly key: string }
  | { readonly status: 'failed'; readonly error: Failure }

/**
 * Calls one API method whenever its arguments change (after `delayMs`, so typing does not send a request per
 * key) and ignores answers that arrive after newer arguments replaced them.
 */
export function useApiCall<M extends ApiMethod>(
  api: ChronicleApi,
  method: M,
  args: ApiArgs<M> | null,
  delayMs = 0,
): CallState<ApiResults[M]> {
  // Answers are stored with the arguments they answer; the state for the current arguments is derived from that.
  const [answer, setAnswer] = useState<{ key: string; state: CallState<ApiResults[M]> } | null>(null)
  const key = args === null ? null : JSON.stringify(args)
  useEffect(() => {
    if (key === null) return
    let current = true
    const timer = setTimeout(() => {
      void api.call(method, JSON.parse(key) as ApiArgs<M>).then((result) => {
        if (!current) return
        // The contract types the answer per method; the transport hands back the generic Result.
        const state: CallState<ApiResults[M]> = result.ok
          ? { status: 'done', value: result.value as ApiResults[M], key }
          : { status: 'failed', error: result.error }
        setAnswer({ key, state })
      })
    }, delayMs)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [api, method, key, delayMs])
  if (key === null) return { status: 'idle' }
  if (answer?.key === key) return answer.state
  // Keep showing the previous results while the next ones load, so the list does not flicker as you type.
  return answer?.state.status === 'done' ? answer.state : { status: 'loading' }
}
