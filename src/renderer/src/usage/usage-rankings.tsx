import type { UsageFigures, UsageRankings } from '../../../shared/usage/usage-report'
import { formatSource } from '../format'
import { costLabel, formatCompact, tokenKinds, tokensOf } from './usage-figures'

const Figures = ({ figures }: { readonly figures: UsageFigures }) => (
  <span className="usage-rank-figures" title={tokenKinds(figures).exact}>
    <strong>{costLabel(figures.cost, figures.unpricedResponses)}</strong>
    <span className="muted"> · {formatCompact(tokensOf(figures))} tokens</span>
  </span>
)

/** The costliest conversations (each opens in the reader) and workspaces (each opens the list filtered to it). */
export function UsageRankingsPanel({
  rankings,
  onOpenConversation,
  onOpenWorkspace,
}: {
  readonly rankings: UsageRankings
  readonly onOpenConversation: (id: string) => void
  readonly onOpenWorkspace: (workspace: string) => void
}) {
  return (
    <div className="usage-rankings">
      <section aria-labelledby="usage-top-conversations">
        <h3 id="usage-top-conversations">Most expensive conversations</h3>
        <ol data-testid="usage-top-conversations">
          {rankings.conversations.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                className="usage-rank"
                data-conversation-id={c.id}
                onClick={() => onOpenConversation(c.id)}
              >
                <span className="usage-rank-title">{c.title || 'Untitled conversation'}</span>
                <span className="muted usage-rank-where">
                  {formatSource(c.source)}
                  {c.workspace ? ` · ${c.workspace}` : ''}
                </span>
                <Figures figures={c.figures} />
              </button>
            </li>
          ))}
        </ol>
        {rankings.conversations.length === 0 && <p className="muted">No usage in these filters.</p>}
      </section>
      <section aria-labelledby="usage-top-workspaces">
        <h3 id="usage-top-workspaces">Most expensive workspaces</h3>
        <ol data-testid="usage-top-workspaces">
          {rankings.workspaces.map((w) => (
            <li key={w.key}>
              <button
                type="button"
                className="usage-rank"
                disabled={w.key === ''}
                title={
                  w.key === '' ? 'Conversations without a workspace' : `Show ${w.key}'s conversations by cost`
                }
                onClick={() => onOpenWorkspace(w.key)}
              >
                <span className="usage-rank-title">{w.key || '(no workspace)'}</span>
                <Figures figures={w.figures} />
              </button>
            </li>
          ))}
        </ol>
      </section>
    </div>
  )
}
