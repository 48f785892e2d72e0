/**
 * This page's own sync: whether its store's leader is connected to the hub, and how many of its events are not
 * yet confirmed by the hub.
 */
import { useEffect, useState } from 'react'
import { Effect, Fiber, Stream } from '@livestore/utils/effect'
import { globalSeq } from '../../../shared/livestore/seen-head'
import { useChronicleStore } from '../livestore/chronicle-store'

export interface PageSync {
  readonly connected: boolean
  /** Events made here that the hub has not confirmed yet. */
  readonly pending: number
  /** The newest hub sequence number this page has. */
  readonly head: number
}

export function usePageSync(): PageSync {
  const store = useChronicleStore()
  const sync = store.useSyncStatus()
  const [connected, setConnected] = useState(false)
  useEffect(() => {
    const watching = store.networkStatus.changes.pipe(
      Stream.tap((status) => Effect.sync(() => setConnected(status.isConnected))),
      Stream.runDrain,
      Effect.runFork,
    )
    return () => {
      Effect.runFork(Fiber.interrupt(watching))
    }
  }, [store])
  return { connected, pending: sync.pendingCount, head: globalSeq(sync.upstreamHead) }
}
