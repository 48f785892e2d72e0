import type { BillingBlock } from '../../../shared/usage/usage-report'
import { costLabel, formatCompact, formatMoney, tokenKinds, tokensOf } from './usage-figures'

const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' })
const dayTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const minutes = (ms: number) => {
  const m = Math.max(0, Math.round(ms / 60_000))
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m} min`
}

/** Blocks shown: the newest few; ccusage's `blocks` lists them all, the CLI does too. */
const SHOWN = 8

/**
 * Claude's 5-hour billing windows (ccusage's `blocks`): the current one with its burn rate and where it is
 * heading, and the last few as a table. `now` moves on a timer while a window is open (usage-view.tsx).
 */
export function BillingBlocks({
  blocks,
  now,
}: {
  readonly blocks: readonly BillingBlock[]
  readonly now: number
}) {
  const active = blocks.find((b) => b.active) ?? null
  // Pauses (ccusage's gap blocks) have no responses: the table lists windows that were used.
  const recent = blocks
    .filter((b) => b.figures.responses > 0)
    .sort((a, b) => b.start - a.start)
    .slice(0, SHOWN)
  return (
    <section className="usage-blocks" aria-labelledby="usage-blocks-title" data-testid="usage-blocks">
      <h3 id="usage-blocks-title">Claude 5-hour windows</h3>
      {active ? (
        <div className="usage-active-block" data-testid="usage-active-block">
          <p>
            <strong>Current window</strong> {time.format(active.start)}–{time.format(active.end)} ·{' '}
            {minutes(active.end - now)} left ·{' '}
            {costLabel(active.figures.cost, active.figures.unpricedResponses)} so far ·{' '}
            {formatCompact(tokensOf(active.figures))} tokens
          </p>
          {active.burn && (
            <p>
              Burn rate {formatCompact(active.burn.tokensPerMinute)} tokens/min ·{' '}
              {formatMoney(active.burn.costPerHour)}
              /h · projected <strong>{formatMoney(active.burn.projectedCost)}</strong> by{' '}
              {time.format(active.end)}
            </p>
          )}
          <progress
            max={active.end - active.start}
            value={Math.min(active.end - active.start, Math.max(0, now - active.start))}
            aria-label="Time elapsed in the current window"
          />
        </div>
      ) : (
        <p className="muted">
          {recent.length > 0
            ? 'No open window: the last Claude Code response was more than five hours ago.'
            : 'No Claude Code responses in the last week of these filters.'}
        </p>
      )}
      {recent.length > 0 && (
        <table className="groups">
          <caption className="visually-hidden">Recent 5-hour windows, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Window</th>
              <th scope="col">Models</th>
              <th scope="col">Tokens</th>
              <th scope="col">Cost</th>
            </tr>
          </thead>
          <tbody>
            {recent.map((b) => (
              <tr key={b.start} aria-current={b.active ? 'true' : undefined}>
                <th scope="row">
                  {dayTime.format(b.start)}–{time.format(b.end)}
                  {b.active ? ' (current)' : ''}
                </th>
                <td>{b.models.join(', ') || '—'}</td>
                <td title={tokenKinds(b.figures).exact}>{formatCompact(tokensOf(b.figures))}</td>
                <td>{costLabel(b.figures.cost, b.figures.unpricedResponses)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
