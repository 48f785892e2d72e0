/**
 * Setting up, joining or leaving a library from Settings re-opens the app's sync and may give its hub another
 * eventlog: the tab that made the change reloads once the user has read its outcome (sync-section.tsx), and every
 * other tab of this page reloads at once, since its store may hold a copy of an eventlog that is gone (LiveStore
 * stops such a store; a reload rebuilds it, replaced-library.ts). A BroadcastChannel message reaches every other
 * channel object of that name, this tab's own listener included, so each message says which tab sent it.
 */
import { useEffect } from 'react'
import { reloadPage } from './page-reload'

const CHANNEL = 'chronicle:library-changed'
// Only this page's tabs compare it: unique enough, and available outside a secure context too.
const THIS_TAB = `${Date.now()}-${Math.random()}`

export function announceLibraryChanged(): void {
  const channel = new BroadcastChannel(CHANNEL)
  channel.postMessage({ from: THIS_TAB })
  channel.close()
}

export function useReloadWhenLibraryChanges(): void {
  useEffect(() => {
    const channel = new BroadcastChannel(CHANNEL)
    channel.onmessage = (event: MessageEvent<{ from?: unknown } | null>) => {
      if (event.data?.from !== THIS_TAB) void reloadPage()
    }
    return () => channel.close()
  }, [])
}
