import type { ChronicleApi } from '../../shared/api/contract'
import { SearchPanel } from './components/search-panel'
import { StatsPanel } from './components/stats-panel'

/** The shell until the full UI lands: what the repository holds, and search over all of it. */
export function App({ api }: { readonly api: ChronicleApi }) {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Chronicle</h1>
        <p className="tagline">Every conversation with your coding assistants, in one place.</p>
      </header>
      <main className="app-main">
        <SearchPanel api={api} />
        <StatsPanel api={api} />
      </main>
    </div>
  )
}
