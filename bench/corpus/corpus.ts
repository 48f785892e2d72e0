/**
 * The corpus as a stream of write batches: a million messages are about 600 MB of text, so they are generated a
 * batch at a time and never held together. A conversation goes into the batch that holds its first message.
 */
import type { ConversationInput, MessageInput } from '../../src/main/repository/writes'
import {
  DEFAULT_SHAPE,
  generateConversation,
  type CorpusShape,
  type GeneratedConversation,
} from './conversation'
import type { Vocabularies } from './vocabulary'

export interface CorpusSpec {
  readonly seed: number
  readonly conversations: number
  readonly messagesPerBatch: number
  readonly shape?: CorpusShape
}

export interface CorpusBatch {
  readonly conversations: readonly ConversationInput[]
  readonly starredIds: readonly string[]
  readonly messages: readonly MessageInput[]
}

export function* corpusBatches(spec: CorpusSpec, vocab: Vocabularies): Generator<CorpusBatch> {
  let generated: GeneratedConversation[] = []
  let messages: MessageInput[] = []
  const flush = (): CorpusBatch => {
    const batch: CorpusBatch = {
      conversations: generated.map((g) => g.conversation),
      starredIds: generated.filter((g) => g.starred).map((g) => g.conversation.id),
      messages,
    }
    generated = []
    messages = []
    return batch
  }
  for (let index = 0; index < spec.conversations; index++) {
    const conversation = generateConversation(spec.seed, index, vocab, spec.shape ?? DEFAULT_SHAPE)
    generated.push(conversation)
    for (const message of conversation.messages) {
      messages.push(message)
      if (messages.length >= spec.messagesPerBatch) yield flush()
    }
  }
  if (messages.length > 0 || generated.length > 0) yield flush()
}
