/**
 * Insert throughput through the real write path: Repository.write with every trigger live (change feed and both
 * full-text indexes). Generating the corpus is timed apart, so the figure is the database's, not the generator's.
 */
import { corpusBatches } from '../../corpus/corpus'
import type { Repository } from '../../../src/main/repository/repository'
import { collectGarbage } from '../../lib/timing'
import { MESSAGES_PER_BATCH, type ScenarioContext } from '../scenario'

export interface InsertFigures {
  readonly conversations: number
  readonly messages: number
  readonly textMiB: number
  readonly batches: number
  readonly messagesPerBatch: number
  readonly writeSeconds: number
  readonly generateSeconds: number
  readonly messagesPerSecond: number
  readonly slowestBatchMs: number
}

export async function insertCorpus(repo: Repository, context: ScenarioContext): Promise<InsertFigures> {
  let conversations = 0
  let messages = 0
  let textChars = 0
  let batches = 0
  let writeMs = 0
  let generateMs = 0
  let slowestBatchMs = 0
  let nextReport = 0.1
  const spec = {
    seed: context.seed,
    conversations: context.conversations,
    messagesPerBatch: MESSAGES_PER_BATCH,
  }
  const stream = corpusBatches(spec, context.vocab)
  for (;;) {
    const generating = performance.now()
    const next = stream.next()
    generateMs += performance.now() - generating
    if (next.done) break
    const batch = next.value
    const writing = performance.now()
    await repo.write('bench', async (w) => {
      await w.upsertConversations(batch.conversations)
      await w.upsertMessages(batch.messages)
    })
    const batchMs = performance.now() - writing
    writeMs += batchMs
    slowestBatchMs = Math.max(slowestBatchMs, batchMs)
    // Starring is the user's act, not the import's, so it is a separate, untimed update.
    if (batch.starredIds.length > 0) {
      await repo.db
        .updateTable('conversations')
        .set({ starred: 1 })
        .where('id', 'in', batch.starredIds)
        .execute()
    }
    conversations += batch.conversations.length
    messages += batch.messages.length
    for (const m of batch.messages) textChars += m.text.length
    batches++
    if (conversations / context.conversations >= nextReport) {
      context.log(
        `  inserted ${conversations} conversations, ${messages} messages (${Math.round(messages / (writeMs / 1000))}/s)`,
      )
      nextReport += 0.1
    }
    if (batches % 20 === 0) collectGarbage()
  }
  return {
    conversations,
    messages,
    textMiB: Math.round((textChars / 2 ** 20) * 10) / 10,
    batches,
    messagesPerBatch: Math.round(messages / Math.max(1, batches)),
    writeSeconds: Math.round(writeMs / 10) / 100,
    generateSeconds: Math.round(generateMs / 10) / 100,
    messagesPerSecond: Math.round(messages / (writeMs / 1000)),
    slowestBatchMs: Math.round(slowestBatchMs),
  }
}
