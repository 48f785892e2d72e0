/**
 * A conversation's cost and its four token kinds, compact, with the exact figures in a tooltip: the list's rows
 * and the reader's header show the same. A cost that leaves out responses without a price says so ("unpriced",
 * "$x + unpriced"); a conversation whose source logs no tokens (ChatGPT) says "no token data", never $0.
 */
import type { ConversationSummary } from '../../../shared/domain'
import { costLabel, formatExactMoney, formatMoney, tokenKinds, tokensOf } from './usage-figures'

type ConversationUsage = Pick<
  ConversationSummary,
  'tokensIn' | 'tokensOut' | 'cacheWrites' | 'cacheReads' | 'cost' | 'unpriced'
>

export function CostFigure({
  usage,
  testId,
}: {
  readonly usage: ConversationUsage
  readonly testId?: string
}) {
  if (tokensOf(usage) === 0 && usage.cost === 0 && usage.unpriced === 0)
    return (
      <span className="no-token-data" data-testid={testId} title="The source's logs carry no token counts">
        no token data
      </span>
    )
  const title =
    usage.unpriced > 0
      ? `${formatExactMoney(usage.cost)}, and ${usage.unpriced} responses whose model the price table lacks`
      : formatExactMoney(usage.cost)
  return (
    <span data-testid={testId} title={title}>
      {costLabel(usage.cost, usage.unpriced, formatMoney)}
    </span>
  )
}

/** The four kinds: in, out, cache write, cache read. Nothing when there are none (the cost says why). */
export function TokenFigures({
  usage,
  testId,
}: {
  readonly usage: ConversationUsage
  readonly testId?: string
}) {
  if (tokensOf(usage) === 0) return null
  const kinds = tokenKinds(usage)
  return (
    <span data-testid={testId} title={kinds.exact}>
      {kinds.short}
    </span>
  )
}
