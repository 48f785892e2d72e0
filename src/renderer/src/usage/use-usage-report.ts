/**
 * Asks the main side for the dashboard's figures whenever the arguments change (at once: a filter change should
 * redraw within a frame or two) or the library changes (after a short pause, so an import that lands a hundred
 * conversations in a second asks once or twice, not a hundred times). An answer that arrives after newer
 * arguments or a newer change replaced it is dropped; the previous figures stay drawn while the next ones load.
 */
import { useEffect, useRef, useState } from 'react'
import type { ApiArgs, ChronicleApi, UsageReport } from '../../../shared/api/contract'
import type { Failure } from '../../../shared/result'

/** How long the library must be still before the dashboard asks again. */
export const CHANGE_DEBOUNCE_MS = 250

export type UsageArgs = ApiArgs<'usage'>

export type UsageState =
  | { readonly status: 'loading' }
  /** `key`: the arguments these figures answer (newer ones may be on their way). */
  | { readonly status: 'done'; readonly report: UsageReport; readonly key: string; readonly fresh: boolean }
  | { readonly status: 'failed'; readonly error: Failure }

export function useUsageReport(api: ChronicleApi, args: UsageArgs, changeSignal: string): UsageState {
  const key = JSON.stringify(args)
  const [answer, setAnswer] = useState<{
    readonly key: string
    readonly signal: string
    readonly state: UsageState
  } | null>(null)
  const lastKey = useRef<string | null>(null)
  useEffect(() => {
    let current = true
    const argsChanged = lastKey.current !== key
    lastKey.current = key
    const ask = () => {
      void api.call('usage', JSON.parse(key) as UsageArgs).then((result) => {
        if (!current) return
        setAnswer({
          key,
          signal: changeSignal,
          state: result.ok
            ? { status: 'done', report: result.value, key, fresh: true }
            : { status: 'failed', error: result.error },
        })
      })
    }
    // New arguments ask at once; a change of the library waits for it to settle.
    const timer = argsChanged ? (ask(), undefined) : setTimeout(ask, CHANGE_DEBOUNCE_MS)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [api, key, changeSignal])
  if (answer === null) return { status: 'loading' }
  if (answer.key === key && answer.signal === changeSignal) return answer.state
  return answer.state.status === 'done' ? { ...answer.state, fresh: false } : { status: 'loading' }
}
