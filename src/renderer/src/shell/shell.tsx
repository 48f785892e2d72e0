/**
 * The window's frame: the views, the keys that reach them from anywhere (1–5, Ctrl/Cmd+K for search) and the sync
 * indicator. Each view keeps its own state while another is shown.
 */
import { useEffect, useState } from 'react'
import type { ChronicleApi } from '../../../shared/api/contract'
import { AuditView } from '../audit/audit-view'
import { SearchPanel } from '../components/search-panel'
import { StatsPanel } from '../components/stats-panel'
import { ConversationsView } from '../conversations/conversations-view'
import { DevicesView } from '../devices/devices-view'
import { SyncIndicator, syncState } from '../devices/sync-indicator'
import { useHubStatus } from '../devices/use-hub-status'
import { usePageSync } from '../devices/use-page-sync'

const VIEWS = [
  ['conversations', 'Conversations'],
  ['search', 'Search'],
  ['audit', 'Audit trail'],
  ['devices', 'Devices'],
  ['stats', 'Statistics'],
] as const
export type View = (typeof VIEWS)[number][0]

const typingIn = (target: EventTarget | null) =>
  target instanceof HTMLElement &&
  (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))

export function Shell({ api }: { readonly api: ChronicleApi }) {
  const [view, setView] = useState<View>('conversations')
  const [selectedId, setSelectedId] = useState<string | null>(null)
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
            >
              {label}
            </button>
          ))}
        </nav>
        <SyncIndicator state={syncState(page, hub)} onOpen={() => setView('devices')} />
      </header>
      <main className="app-view">
        {view === 'conversations' && (
          <ConversationsView api={api} selectedId={selectedId} onSelect={setSelectedId} />
        )}
        {view === 'search' && <SearchPanel api={api} />}
        {view === 'audit' && <AuditView api={api} liveHead={page.head} />}
        {view === 'devices' && <DevicesView hub={hub} page={page} />}
        {view === 'stats' && <StatsPanel api={api} />}
      </main>
    </div>
  )
}
