/**
 * One whole conversation: the user asks, the assistant answers or calls a tool, the tool's result comes back, and
 * so on. The number of messages is log-normal (median about 60, mean about 100, a few in the thousands).
 */
import type { ConversationInput, MessageInput } from '../../src/main/repository/writes'
import { conversationMeta } from './conversation-meta'
import { assistantText, toolExchange, userText } from './message-text'
import { createPrng, streamSeed, type Prng } from './prng'
import { withResponseUsage } from './response-usage'
import type { Language, Vocabularies } from './vocabulary'

export interface CorpusShape {
  /** Arithmetic mean of messages per conversation. */
  readonly meanMessages: number
}

export const DEFAULT_SHAPE: CorpusShape = { meanMessages: 100 }
const MAX_MESSAGES = 3_000

export interface GeneratedConversation {
  readonly conversation: ConversationInput
  /** Starring is the user's, not the import's: the repository sets it apart from the upsert. */
  readonly starred: boolean
  readonly language: Language
  readonly messages: readonly MessageInput[]
}

/** The title a history view shows: the start of the first request, cut at a word. */
function titleOf(text: string): string {
  const firstLine = text.split('\n')[0] ?? ''
  if (firstLine.length <= 80) return firstLine
  const cut = firstLine.slice(0, 80)
  const space = cut.lastIndexOf(' ')
  return space > 40 ? cut.slice(0, space) : cut
}

export function conversationId(seed: number, index: number): string {
  return `bench-${seed}-${String(index).padStart(6, '0')}`
}

export function generateConversation(
  seed: number,
  index: number,
  vocab: Vocabularies,
  shape: CorpusShape = DEFAULT_SHAPE,
): GeneratedConversation {
  const rng: Prng = createPrng(streamSeed(seed, index))
  const meta = conversationMeta(rng)
  const id = conversationId(seed, index)
  const count = Math.min(MAX_MESSAGES, Math.max(2, Math.round(rng.logNormal(shape.meanMessages, 1.0))))
  const toolChance = meta.source === 'chatgpt' ? 0.05 : 0.5
  const messages: MessageInput[] = []
  let at = meta.startedAt
  const push = (role: MessageInput['role'], kind: MessageInput['kind'], text: string): void => {
    // People take minutes to reply, tools and models seconds.
    at += Math.round(rng.logNormal(role === 'user' ? 120_000 : 15_000, 1.0))
    messages.push({
      id: `${id}-${messages.length}`,
      conversationId: id,
      ordinal: messages.length,
      role,
      kind,
      createdAt: at,
      text,
    })
  }
  push('user', 'text', userText(rng, vocab, meta.language))
  while (messages.length < count) {
    if (rng.chance(toolChance)) {
      const exchange = toolExchange(rng, vocab, meta.language, meta.toolStyle)
      push('assistant', 'tool_call', exchange.call)
      if (messages.length < count) push('tool', 'tool_result', exchange.result)
    } else {
      push('assistant', 'text', assistantText(rng, vocab, meta.language))
      if (messages.length < count) push('user', 'text', userText(rng, vocab, meta.language))
    }
  }
  const tokensIn = messages.reduce((sum, m) => sum + Math.ceil(m.text.length / 4), 0)
  return {
    conversation: {
      id,
      source: meta.source,
      sourceId: `task-${seed}-${index}`,
      title: titleOf(messages[0]?.text ?? ''),
      workspace: meta.workspace,
      model: meta.model,
      createdAt: meta.startedAt,
      updatedAt: at,
      lastActivityAt: at,
      tokensIn,
      tokensOut: Math.round(tokensIn / 5),
      cost: Math.round(tokensIn * 0.003) / 1000,
    },
    starred: meta.starred,
    language: meta.language,
    messages: withResponseUsage(seed, index, meta.source, meta.model, messages),
  }
}
