/**
 * What this page has seen of the library, for the edits it makes (shared/livestore/seen-head.ts). The leader's
 * confirmed head lives in the leader's worker, and an edit is committed at once, so the page follows it from the
 * moment its store loads (the stream gives the current state first, then each change) and reads the session's
 * head when asked. Until the first state arrives (a moment after loading) it knows nothing and says so: the edit
 * then goes without `seen`, and the audit view judges it by its clock, as it does edits made before `seen` was.
 */
import { StoreInternalsSymbol, type Store } from '@livestore/livestore'
import { Effect, Fiber, Stream } from '@livestore/utils/effect'
import { useCallback, useEffect, useRef } from 'react'
import type { schema } from '../../../shared/livestore/schema'
import { seenHead } from '../../../shared/livestore/seen-head'

/** What the page has seen now, or undefined before the leader's first state. */
export type SeenHead = () => number | undefined

export function useFollowedSeenHead(store: Store<typeof schema>): SeenHead {
  const leaderConfirmed = useRef<number | undefined>(undefined)
  useEffect(() => {
    const leader = store[StoreInternalsSymbol].clientSession.leaderThread
    const following = leader.syncState.changes.pipe(
      Stream.tap((state) => Effect.sync(() => (leaderConfirmed.current = state.upstreamHead.global))),
      Stream.runDrain,
      Effect.runFork,
    )
    return () => {
      leaderConfirmed.current = undefined
      Effect.runFork(Fiber.interrupt(following))
    }
  }, [store])
  return useCallback(() => {
    const confirmed = leaderConfirmed.current
    return confirmed === undefined ? undefined : seenHead(store.syncStatus().upstreamHead, confirmed)
  }, [store])
}
