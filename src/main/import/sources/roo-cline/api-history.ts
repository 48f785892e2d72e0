/**
 * API history items (Anthropic MessageParam plus the assistant's own fields) as Chronicle messages, one per item
 * and in order. Shared by Roo, classic Cline and the Cline SDK, whose messages have the same shape.
 */
import type { MessageKind, Role } from '../../../../shared/domain'
import { messageIdentity } from '../../source-adapter'
import { toEpochMs } from '../../message-content'
import type { MessageInput } from '../../../repository/writes'
import type { ResponseUsage } from '../../../../shared/usage/response-usage'
import { mapContent, scrubInlineData } from './content-blocks'
import { asString, isRecord, omit, type JsonRecord } from './json-values'
import { itemUsage, modelOfInfo } from './request-usage'

export interface Usage {
  readonly tokensIn: number
  readonly tokensOut: number
  readonly cacheReads: number
  readonly cacheWrites: number
  readonly cost: number
}

export const NO_USAGE: Usage = { tokensIn: 0, tokensOut: 0, cacheReads: 0, cacheWrites: 0, cost: 0 }

/** A response's figures as the conversation row totals them; a response without a logged cost adds none. */
export const totalsOf = (usage: ResponseUsage): Usage => ({
  tokensIn: usage.tokensIn,
  tokensOut: usage.tokensOut,
  cacheReads: usage.cacheReads,
  cacheWrites: usage.cacheWrites,
  cost: usage.loggedCost ?? 0,
})

export const addUsage = (a: Usage, b: Partial<Usage>): Usage => ({
  tokensIn: a.tokensIn + (b.tokensIn ?? 0),
  tokensOut: a.tokensOut + (b.tokensOut ?? 0),
  cacheReads: a.cacheReads + (b.cacheReads ?? 0),
  cacheWrites: a.cacheWrites + (b.cacheWrites ?? 0),
  cost: a.cost + (b.cost ?? 0),
})

const ROLES: readonly Role[] = ['user', 'assistant', 'system', 'tool']

function kindOf(item: JsonRecord, contentKind: MessageKind): MessageKind {
  // Roo marks the message that replaces condensed history with isSummary (plus a condenseId the hidden messages
  // point to through condenseParent); a sliding-window truncation leaves a marker message that is not prose.
  if (item.isSummary === true) return 'summary'
  if (item.isTruncationMarker === true) return 'event'
  return contentKind
}

/** `responseKey` names the response an item's metrics describe; by default the item's own id, else its message's. */
export function apiItemToMessage(
  item: unknown,
  conversationId: string,
  ordinal: number,
  responseKey?: string,
): MessageInput {
  const base = messageIdentity(conversationId, ordinal)
  if (!isRecord(item))
    return {
      ...base,
      role: 'system',
      kind: 'unknown',
      text: asString(item) ?? '',
      content: scrubInlineData(item),
    }
  const mapped = mapContent(item.content)
  const kind = kindOf(item, mapped.kind)
  const declared = ROLES.find((r) => r === item.role)
  const usage = itemUsage(item, responseKey ?? (asString(item.id) || base.id))
  return {
    ...base,
    role: kind === 'tool_result' ? 'tool' : (declared ?? 'system'),
    kind,
    createdAt: toEpochMs(item.ts),
    text: mapped.text,
    content: mapped.content,
    // An unexpected role is kept here since the row's role had to become 'system'.
    metadata: scrubInlineData(
      omit(item, declared ? ['role', 'content', 'ts'] : ['content', 'ts']),
    ) as JsonRecord,
    ...(usage && { usage }),
  }
}

export const apiMessages = (items: readonly unknown[], conversationId: string): MessageInput[] =>
  items.map((item, ordinal) => apiItemToMessage(item, conversationId, ordinal))

/** What lastModel and sumItemMetrics read of an item, so the adapter need not keep the items themselves. */
export const itemFacts = (item: unknown): unknown =>
  isRecord(item) ? { modelInfo: item.modelInfo, metrics: item.metrics } : null

/** The model of the latest item that names one: classic Cline writes modelInfo.modelId, the SDK modelInfo.id. */
export function lastModel(items: readonly unknown[]): string | undefined {
  for (let i = items.length - 1; i >= 0; i--) {
    const model = modelOfInfo((items[i] as JsonRecord | undefined)?.modelInfo)
    if (model) return model
  }
  return undefined
}

/** Usage from per-item metrics (see itemUsage): the sum of the responses the items' messages carry. */
export function sumItemMetrics(items: readonly unknown[]): Usage | undefined {
  let total: Usage | undefined
  for (const item of items) {
    const usage = itemUsage(item, '')
    if (usage) total = addUsage(total ?? NO_USAGE, totalsOf(usage))
  }
  return total
}
