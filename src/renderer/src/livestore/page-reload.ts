/**
 * Every way the page loads itself again (another library joined, a repaired or rebuilt store, Reload after an
 * error) goes through reloadPage: the views make way for a plain "Loading again…" (they read the store, which is
 * about to stop), the store shuts down, and the page waits for its leader worker to have closed the store's files
 * (leader-lifetime.ts) before it loads. A page closed by the person is LiveStore's to handle; this is for the loads
 * the app asks for itself, which used to cut the leader mid-write.
 */
import { useSyncExternalStore } from 'react'
import { flushSync } from 'react-dom'
import { leadersEnded } from './leader-lifetime'

/** Long enough for a leader to finish a large pull's write; a stuck one must not keep the page from loading. */
const LEADER_END_LIMIT_MS = 10_000

type ClosableStore = { shutdownPromise(): Promise<void> }

let openStore: ClosableStore | null = null
let reloading = false
const listeners = new Set<() => void>()

/** Notes the page's loaded store, to be shut down before a reload; returns the note's undoing. */
export function noteOpenStore(store: ClosableStore): () => void {
  openStore = store
  return () => {
    if (openStore === store) openStore = null
  }
}

/** Shuts the store down, waits for its leader to end, and loads the page again. Safe to call more than once. */
export async function reloadPage(): Promise<void> {
  if (reloading) return
  const store = openStore
  // The views go first, at once: after the shutdown, a store that is read throws.
  flushSync(() => {
    reloading = true
    for (const listener of listeners) listener()
  })
  if (store) await shutDown(store)
  location.reload()
}

/**
 * Shuts the store down and waits for its leader to end. Only a shut-down store ends its leader: while the store
 * is still opening (a repair announced, an error shown) nothing would, so the page loads at once then, as before.
 */
async function shutDown(store: ClosableStore): Promise<void> {
  try {
    await store.shutdownPromise()
  } catch (error) {
    console.warn('Chronicle: the store did not shut down cleanly before loading again:', error)
  }
  const stillRunning = await leadersEnded(LEADER_END_LIMIT_MS)
  if (stillRunning.length > 0)
    console.warn(
      `Chronicle: loading again with the store's worker still running after ${LEADER_END_LIMIT_MS} ms.`,
    )
}

/** Whether the page is on its way to loading again (the views then show nothing of the store). */
export const usePageReloading = (): boolean =>
  useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => reloading,
  )
