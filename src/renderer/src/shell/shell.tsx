/**
 * The window's frame: the views, the keys that reach them from anywhere (1–6, Ctrl/Cmd+K for search) and the sync
 * indicator. Each view keeps its own state while another is shown.
 */
import { useCallback, useEffect, useState } from 'react'
import type { ChronicleApi } from '../../../shared/api/contract'
import { AuditView } from '../audit/audit-view'
import { SearchPanel } from '../components/search-panel'
import { SettingsView } from '../settings/settings-view'
import { LazyUsageView, loadUsageView, usePreloadUsageView } from '../usage/lazy-usage-view'
import { ConversationsView } from '../conversations/conversations-view'
import { DevicesView } from '../devices/devices-view'
import { SyncIndicator, syncState } from '../devices/sync-indicator'
import { useHubStatus } from '../devices/use-hub-status'
import { usePageSync } from '../devices/use-page-sync'
import { useChronicleStore } from '../livestore/chronicle-store'
import { libraryView } from '../../../shared/livestore/schema'

const VIEWS = [
  ['conversations', 'Conversations'],
  ['search', 'Search'],
  ['audit', 'Audit trail'],
  ['devices', 'Devices'],
  ['usage', 'Usage'],
  ['settings', 'Settings'],
] as const
export type View = (typeof VIEWS)[number][0]

const preloadUsage = () => void loadUsageView()

const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))

/** Views once shown stay mounted (hidden), so going back finds the results, filters and scroll as they were. */
function useVisited(view: View): ReadonlySet<View> {
  const [visited, setVisited] = useState<ReadonlySet<View>>(() => new Set([view]))
  if (!visited.has(view)) setVisited(new Set([...visited, view]))
  return visited
}

export function Shell({ api }: { readonly api: ChronicleApi }) {
  const [view, setView] = useState<View>('conversations')
  const visited = useVisited(view)
  const [{ selectedId: keptSelection, filters }, setLibraryView] =
    useChronicleStore().useClientDocument(libraryView)
  // The open conversation is kept in this window's library view, so a reload opens it again (library-view.ts), but
  // the window shows its own copy: a set of the client document made just after the store's first render was seen
  // lost (a search hit that opened nothing; the cause in LiveStore is not confirmed).
  const [selectedId, setSelection] = useState(keptSelection)
  const setSelectedId = useCallback(
    (id: string | null) => {
      setSelection(id)
      setLibraryView({ selectedId: id })
    },
    [setLibraryView],
  )
  /** The message to show when a search hit opened the conversation (and the way back to the results). */
  const [fromSearch, setFromSearch] = useState<{ readonly messageId: string | null } | null>(null)
  // Stable callbacks: the views are memoised, so the header's sync status (new when the hub's answer changes,
  // and with every event) re-renders the header alone, not a 10,000-row list and the reader beside it.
  const openHit = useCallback(
    (conversationId: string, messageId: string | null) => {
      setSelectedId(conversationId)
      setFromSearch({ messageId })
      setView('conversations')
    },
    [setSelectedId],
  )
  const select = useCallback(
    (id: string | null) => {
      setSelectedId(id)
      setFromSearch(null)
    },
    [setSelectedId],
  )
  const backToResults = useCallback(() => setView('search'), [])
  const openFromUsage = useCallback(
    (id: string) => {
      select(id)
      setView('conversations')
    },
    [select],
  )
  // A workspace opens as the list of its conversations, costliest first.
  const openWorkspace = useCallback(
    (workspace: string) => {
      setLibraryView({ filters: { ...filters, workspace, sort: 'cost' } })
      setView('conversations')
    },
    [filters, setLibraryView],
  )
  usePreloadUsageView()
  const hub = useHubStatus(api)
  const page = usePageSync()
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'k') {
        event.preventDefault()
        setView('search')
        return
      }
      if (event.ctrlKey || event.metaKey || event.altKey || typingIn(event.target)) return
      const index = Number(event.key) - 1
      const chosen = VIEWS[index]
      if (chosen) setView(chosen[0])
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return (
    <div className="app">
      <header className="app-header">
        <h1>Chronicle</h1>
        <nav className="views" aria-label="Views">
          {VIEWS.map(([id, label], index) => (
            <button
              key={id}
              type="button"
              aria-current={view === id ? 'page' : undefined}
              title={`${label} (${index + 1})`}
              onClick={() => setView(id)}
              // The dashboard's code is fetched as the pointer or the focus reaches its tab.
              {...(id === 'usage' && { onPointerEnter: preloadUsage, onFocus: preloadUsage })}
            >
              {label}
            </button>
          ))}
        </nav>
        <SyncIndicator state={syncState(page, hub)} onOpen={() => setView('devices')} />
      </header>
      <main className="app-view">
        {visited.has('conversations') && (
          <div className="view-slot" hidden={view !== 'conversations'}>
            <ConversationsView
              api={api}
              selectedId={selectedId}
              onSelect={select}
              focusMessageId={fromSearch?.messageId ?? null}
              onBackToResults={fromSearch ? backToResults : null}
            />
          </div>
        )}
        {visited.has('search') && (
          <div className="view-slot" hidden={view !== 'search'}>
            <SearchPanel api={api} onOpen={openHit} />
          </div>
        )}
        {visited.has('audit') && (
          <div className="view-slot" hidden={view !== 'audit'}>
            <AuditView api={api} liveHead={page.head} />
          </div>
        )}
        {view === 'devices' && <DevicesView api={api} hub={hub} page={page} />}
        {view === 'usage' && (
          <LazyUsageView api={api} onOpenConversation={openFromUsage} onOpenWorkspace={openWorkspace} />
        )}
        {view === 'settings' && <SettingsView api={api} />}
      </main>
    </div>
  )
}
