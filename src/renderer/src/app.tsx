import { useState } from 'react'
import type { ChronicleApi } from '../../shared/api/contract'
import { AuditPanel } from './components/audit-panel'
import { SearchPanel } from './components/search-panel'
import { StatsPanel } from './components/stats-panel'

const VIEWS = [
  ['history', 'History'],
  ['audit', 'Audit trail'],
] as const
type View = (typeof VIEWS)[number][0]

/** The shell until the full UI lands: history (search and statistics) and the audit trail. */
export function App({ api }: { readonly api: ChronicleApi }) {
  const [view, setView] = useState<View>('history')
  return (
    <div className="app">
      <header className="app-header">
        <h1>Chronicle</h1>
        <p className="tagline">Every conversation with your coding assistants, in one place.</p>
        <nav className="views" aria-label="Views">
          {VIEWS.map(([id, label]) => (
            <button
              key={id}
              type="button"
              aria-current={view === id ? 'page' : undefined}
              onClick={() => setView(id)}
            >
              {label}
            </button>
          ))}
        </nav>
      </header>
      {view === 'history' ? (
        <main className="app-main">
          <SearchPanel api={api} />
          <StatsPanel api={api} />
        </main>
      ) : (
        <main>
          <AuditPanel api={api} />
        </main>
      )}
    </div>
  )
}
