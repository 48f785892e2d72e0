/**
 * Asks the main side for the dashboard's figures whenever the arguments change (at once: a filter change should
 * redraw within a frame or two) or the library changes (after a short pause, so an import that lands a hundred
 * conversations in a second asks once or twice, not a hundred times). An answer that arrives after newer
 * arguments or a newer change replaced it is dropped; the previous figures stay drawn while the next ones load.
 * A change of period or grouping asks for the series alone and keeps the rankings and windows it has.
 */
import { useEffect, useRef, useState } from 'react'
import type { ApiArgs, ChronicleApi, UsageReport } from '../../../shared/api/contract'
import type { Failure } from '../../../shared/result'

/** A performance measure per answer, from the question to its answer parsed (the bench splits a paint with it). */
export const ANSWER_MEASURE = 'usage answer'

/** How long the library must be still before the dashboard asks again. */
export const CHANGE_DEBOUNCE_MS = 250

export type UsageArgs = ApiArgs<'usage'>

export type UsageState =
  | { readonly status: 'loading' }
  /** `key`: the arguments these figures answer (newer ones may be on their way). */
  | { readonly status: 'done'; readonly report: UsageReport; readonly key: string; readonly fresh: boolean }
  | { readonly status: 'failed'; readonly error: Failure }

interface Answer {
  /** The arguments and library change it answers, and the filter alone (what its rankings and windows answer). */
  readonly key: string
  readonly signal: string
  readonly filterKey: string
  readonly state: UsageState
}

export function useUsageReport(api: ChronicleApi, args: UsageArgs, changeSignal: string): UsageState {
  const key = JSON.stringify(args)
  const [answer, setAnswer] = useState<Answer | null>(null)
  const lastKey = useRef<string | null>(null)
  // The newest answer set, read when asking: the next question may build on it.
  const lastAnswer = useRef<Answer | null>(null)
  useEffect(() => {
    let current = true
    const argsChanged = lastKey.current !== key
    lastKey.current = key
    const asked = JSON.parse(key) as UsageArgs
    const filterKey = JSON.stringify(asked.filter)
    const settle = (state: UsageState) => {
      if (!current) return
      lastAnswer.current = { key, signal: changeSignal, filterKey, state }
      setAnswer(lastAnswer.current)
    }
    const ask = () => {
      const started = performance.now()
      const answered = () =>
        // How long the main side took to answer, transfer included: the part of a paint that is not the page's.
        performance.measure(ANSWER_MEASURE, { start: started, end: performance.now() })
      const base = lastAnswer.current
      // A new period or grouping over the same filters and library: only the series is asked for.
      if (base?.state.status === 'done' && base.signal === changeSignal && base.filterKey === filterKey) {
        const { report } = base.state
        void api.call('usageSeries', asked).then((result) => {
          answered()
          settle(
            result.ok
              ? { status: 'done', report: { ...report, series: result.value }, key, fresh: true }
              : { status: 'failed', error: result.error },
          )
        })
        return
      }
      void api.call('usage', asked).then((result) => {
        answered()
        settle(
          result.ok
            ? { status: 'done', report: result.value, key, fresh: true }
            : { status: 'failed', error: result.error },
        )
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
