/**
 * The one way the page asks the main side again and again (a job's progress, the hub's status): once at once,
 * then `everyMs` after each answer, so a slow main side never has two questions from one poller waiting. A hidden
 * page asks nothing (the next tick after it is shown does), and answers that arrive after the component is gone
 * or `active` went false are dropped, so a stale answer never overwrites a newer state.
 */
import { useEffect, useEffectEvent } from 'react'

/** The loop itself, outside React; returns what stops it. */
export function startPolling<T>(
  ask: () => Promise<T>,
  onAnswer: (answer: T) => void,
  everyMs: number,
  visible: () => boolean = () => document.visibilityState === 'visible',
): () => void {
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const tick = async () => {
    if (visible()) {
      const answer = await ask()
      if (stopped) return
      onAnswer(answer)
    }
    if (!stopped) timer = setTimeout(() => void tick(), everyMs)
  }
  void tick()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}

export function usePolling<T>(
  ask: () => Promise<T>,
  onAnswer: (answer: T) => void,
  everyMs: number,
  active = true,
): void {
  const asking = useEffectEvent(ask)
  const answered = useEffectEvent(onAnswer)
  useEffect(() => {
    if (active) return startPolling(asking, answered, everyMs)
  }, [active, everyMs])
}
