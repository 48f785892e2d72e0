import type { ChronicleApi } from '../../../shared/api/contract'
import type { StatsGroup } from '../../../shared/domain'
import { useApiCall } from '../api/use-api-call'
import { formatCost, formatCount } from '../format'

const NO_ARGS = {}

export function StatsPanel({ api }: { readonly api: ChronicleApi }) {
  const stats = useApiCall(api, 'stats', NO_ARGS)
  if (stats.status === 'failed') return <p role="alert">Could not load statistics: {stats.error.message}</p>
  if (stats.status !== 'done') return <p className="muted">Loading statistics…</p>
  const { totals } = stats.value
  return (
    <section className="stats" aria-label="Repository statistics" data-testid="stats" data-state="ready">
      <dl className="totals">
        <Total label="Conversations" value={formatCount(totals.conversations)} testId="total-conversations" />
        <Total label="Messages" value={formatCount(totals.messages)} testId="total-messages" />
        <Total label="Tokens" value={formatCount(totals.tokensIn + totals.tokensOut)} testId="total-tokens" />
        <Total label="Cost" value={formatCost(totals.cost)} testId="total-cost" />
      </dl>
      {totals.conversations === 0 ? (
        <p className="muted">Nothing imported yet.</p>
      ) : (
        <>
          <GroupTable title="By source" groups={stats.value.bySource} />
          <GroupTable title="By workspace" groups={stats.value.byWorkspace.slice(0, 10)} />
          <GroupTable title="By model" groups={stats.value.byModel} />
        </>
      )}
    </section>
  )
}

function Total({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="total">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  )
}

function GroupTable({ title, groups }: { title: string; groups: readonly StatsGroup[] }) {
  return (
    <table className="groups">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Conversations</th>
          <th scope="col">Messages</th>
          <th scope="col">Cost</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={g.key}>
            <th scope="row">{g.key}</th>
            <td>{formatCount(g.conversations)}</td>
            <td>{formatCount(g.messages)}</td>
            <td>{formatCost(g.cost)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
