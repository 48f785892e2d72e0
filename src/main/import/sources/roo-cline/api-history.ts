/**
 * API history items (Anthropic MessageParam plus the assistant's own fields) as Chronicle messages, one per item
 * and in order. Shared by Roo, classic Cline and the Cline SDK, whose messages have the same shape.
 */
import type { MessageKind, Role } from '../../../../shared/domain'
import { messageIdentity } from '../../source-adapter'
import { toEpochMs } from '../../message-content'
import type { MessageInput } from '../../../repository/writes'
import { mapContent, scrubInlineData } from './content-blocks'
import { asNumber, asString, isRecord, omit, type JsonRecord } from './json-values'

export interface Usage {
  readonly tokensIn: number
  readonly tokensOut: number
  readonly cacheReads: number
  readonly cacheWrites: number
  readonly cost: number
}

export const NO_USAGE: Usage = { tokensIn: 0, tokensOut: 0, cacheReads: 0, cacheWrites: 0, cost: 0 }

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

export function apiItemToMessage(item: unknown, conversationId: string, ordinal: number): MessageInput {
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
    const info = (items[i] as JsonRecord | undefined)?.modelInfo
    if (!isRecord(info)) continue
    const model = asString(info.modelId) ?? asString(info.id) ?? asString(info.model)
    if (model) return model
  }
  return undefined
}

/** Usage from per-item metrics: the SDK's {inputTokens, ...} or classic Cline's {tokens{prompt, ...}, cost}. */
export function sumItemMetrics(items: readonly unknown[]): Usage | undefined {
  let total: Usage | undefined
  for (const item of items) {
    const metrics = isRecord(item) ? item.metrics : undefined
    if (!isRecord(metrics)) continue
    const tokens = isRecord(metrics.tokens) ? metrics.tokens : {}
    total = addUsage(total ?? NO_USAGE, {
      tokensIn: asNumber(metrics.inputTokens) ?? asNumber(tokens.prompt),
      tokensOut: asNumber(metrics.outputTokens) ?? asNumber(tokens.completion),
      cacheReads: asNumber(metrics.cacheReadTokens) ?? asNumber(tokens.cached),
      cacheWrites: asNumber(metrics.cacheWriteTokens),
      cost: asNumber(metrics.cost),
    })
  }
  return total
}
