/**
 * The dashboard's library: the large corpus's conversations and every response's usage, with the bodies of only
 * the first messages of each conversation. The dashboard reads the usage rollup and the conversations, never the
 * messages, so its figures are those of the whole corpus; the page's store (built from message events) is then
 * made in a bench's time instead of the quarter of an hour a million message events would take.
 */
import type { MessageInput } from '../../../src/main/repository/writes'
import { openRepository } from '../../../src/main/repository/repository'
import { loadBundledPriceBook } from '../../../src/main/usage/price-book'
import { corpusBatches } from '../../corpus/corpus'
import { MESSAGES_PER_BATCH, type ScenarioContext } from '../scenario'
import { deviceOf } from './insert-both'

/** Messages kept per conversation (the usage of all of them is written). */
const BODIES_PER_CONVERSATION = 10

export interface DashboardLibrary {
  readonly conversations: number
  readonly messages: number
  readonly responses: number
}

export async function writeDashboardLibrary(
  dataDir: string,
  context: ScenarioContext,
): Promise<DashboardLibrary> {
  const repository = openRepository({ dataDir, prices: loadBundledPriceBook() })
  const figures = { conversations: 0, messages: 0, responses: 0 }
  try {
    const spec = {
      seed: context.seed,
      conversations: context.conversations,
      messagesPerBatch: MESSAGES_PER_BATCH,
    }
    for (const batch of corpusBatches(spec, context.vocab)) {
      const full: MessageInput[] = batch.messages.map((m) => ({ ...m, deviceId: deviceOf(m.conversationId) }))
      const kept = full.filter((m) => m.ordinal < BODIES_PER_CONVERSATION)
      await repository.write('import', async (w) => {
        await w.upsertConversations(batch.conversations)
        await w.upsertMessages(kept)
        await w.upsertUsage(full)
      })
      figures.conversations += batch.conversations.length
      figures.messages += kept.length
      figures.responses += full.filter((m) => m.usage).length
    }
    return figures
  } finally {
    await repository.close()
  }
}
