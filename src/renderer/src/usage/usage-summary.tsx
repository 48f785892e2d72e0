import type { UsageFigures } from '../../../shared/usage/usage-report'
import {
  cacheSaving,
  costLabel,
  formatCompact,
  formatExactMoney,
  formatExactCount,
  formatMoney,
  formatPercent,
  tokenKinds,
  tokensOf,
} from './usage-figures'

/**
 * The filtered totals: cost (with what had no price said so), the four token kinds, what caching saved at the
 * table's prices, and the library's size.
 */
export function UsageSummary({
  totals,
  conversations,
  messages,
}: {
  readonly totals: UsageFigures
  readonly conversations: number
  readonly messages: number
}) {
  const kinds = tokenKinds(totals)
  const { saved, share } = cacheSaving(totals)
  const promptTokens = totals.tokensIn + totals.cacheWrites + totals.cacheReads
  return (
    <dl className="totals usage-totals">
      <div className="total">
        <dt>Cost</dt>
        <dd
          data-testid="usage-total-cost"
          title={`${formatExactMoney(totals.cost)} over ${formatExactCount(totals.responses)} responses; ${formatExactCount(totals.unpricedResponses)} without a price`}
        >
          {costLabel(totals.cost, totals.unpricedResponses)}
        </dd>
      </div>
      <div className="total">
        <dt>Tokens</dt>
        <dd data-testid="usage-total-tokens" title={kinds.exact}>
          {formatCompact(tokensOf(totals))}
          <span className="usage-kinds muted">{kinds.short}</span>
        </dd>
      </div>
      <div className="total">
        <dt>Saved by caching</dt>
        <dd
          data-testid="usage-cache-saved"
          title={`Without caching these responses would have cost ${formatExactMoney(totals.uncachedCost)}; ${formatPercent(promptTokens > 0 ? totals.cacheReads / promptTokens : 0)} of prompt tokens were cache reads`}
        >
          {formatMoney(saved)}
          <span className="usage-kinds muted">{formatPercent(share)} of the uncached cost</span>
          <meter className="usage-meter" min={0} max={1} value={share} aria-label="Share saved by caching" />
        </dd>
      </div>
      <div className="total">
        <dt>Library</dt>
        <dd>
          <span data-testid="total-conversations">{formatExactCount(conversations)}</span>
          <span className="usage-kinds muted">
            conversations · <span data-testid="total-messages">{formatExactCount(messages)}</span> messages
          </span>
        </dd>
      </div>
    </dl>
  )
}
