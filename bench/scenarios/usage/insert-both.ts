/**
 * Insert throughput with usage and without: the same corpus written into two repositories batch by batch, one
 * through the import's path with usage (upsertMessages, then upsertUsage: response rows, costs priced at write,
 * the hourly rollup's triggers, conversation costs) and one with the usage stripped. The two alternate which goes
 * first on every batch, so a slow moment of this shared machine falls on both alike.
 */
import { corpusBatches } from '../../corpus/corpus'
import type { MessageInput } from '../../../src/main/repository/writes'
import type { Repository } from '../../../src/main/repository/repository'
import { collectGarbage } from '../../lib/timing'
import { MESSAGES_PER_BATCH, type ScenarioContext } from '../scenario'

/** Each conversation's messages were made on one of these (the device filter and dimension need some). */
export const DEVICES = ['laptop', 'desktop', 'work-vm'] as const
export const deviceOf = (conversationId: string) =>
  DEVICES[Number.parseInt(conversationId.slice(-6), 10) % DEVICES.length] ?? 'laptop'

export interface InsertRun {
  readonly writeSeconds: number
  readonly messagesPerSecond: number
  readonly slowestBatchMs: number
}

export interface InsertBothFigures {
  readonly conversations: number
  readonly messages: number
  readonly responses: number
  readonly batches: number
  readonly withUsage: InsertRun
  readonly withoutUsage: InsertRun
  /** (without − with) / without, in percent: how much slower writing usage makes an insert. */
  readonly slowdownPercent: number
}

export async function insertBoth(
  withUsage: Repository,
  withoutUsage: Repository,
  context: ScenarioContext,
): Promise<InsertBothFigures> {
  const ms = { with: 0, without: 0 }
  const slowest = { with: 0, without: 0 }
  let conversations = 0
  let messages = 0
  let responses = 0
  let batches = 0
  const spec = {
    seed: context.seed,
    conversations: context.conversations,
    messagesPerBatch: MESSAGES_PER_BATCH,
  }
  for (const batch of corpusBatches(spec, context.vocab)) {
    const full: MessageInput[] = batch.messages.map((m) => ({ ...m, deviceId: deviceOf(m.conversationId) }))
    const stripped: MessageInput[] = full.map(({ usage: _usage, ...m }) => m)
    const writeWith = async () => {
      const started = performance.now()
      await withUsage.write('import', async (w) => {
        await w.upsertConversations(batch.conversations)
        await w.upsertMessages(full)
        await w.upsertUsage(full)
      })
      const took = performance.now() - started
      ms.with += took
      slowest.with = Math.max(slowest.with, took)
    }
    const writeWithout = async () => {
      const started = performance.now()
      await withoutUsage.write('import', async (w) => {
        await w.upsertConversations(batch.conversations)
        await w.upsertMessages(stripped)
      })
      const took = performance.now() - started
      ms.without += took
      slowest.without = Math.max(slowest.without, took)
    }
    if (batches % 2 === 0) {
      await writeWith()
      await writeWithout()
    } else {
      await writeWithout()
      await writeWith()
    }
    // Starring is the user's act, not the import's: untimed, on both.
    if (batch.starredIds.length > 0)
      for (const repo of [withUsage, withoutUsage])
        await repo.db
          .updateTable('conversations')
          .set({ starred: 1 })
          .where('id', 'in', batch.starredIds)
          .execute()
    conversations += batch.conversations.length
    messages += batch.messages.length
    responses += full.filter((m) => m.usage).length
    batches++
    if (batches % 20 === 0) {
      collectGarbage()
      context.log(
        `  ${conversations} conversations, ${messages} messages: ` +
          `${Math.round(messages / (ms.with / 1000))}/s with usage, ${Math.round(messages / (ms.without / 1000))}/s without`,
      )
    }
  }
  const run = (key: 'with' | 'without'): InsertRun => ({
    writeSeconds: Math.round(ms[key] / 10) / 100,
    messagesPerSecond: Math.round(messages / (ms[key] / 1000)),
    slowestBatchMs: Math.round(slowest[key]),
  })
  return {
    conversations,
    messages,
    responses,
    batches,
    withUsage: run('with'),
    withoutUsage: run('without'),
    slowdownPercent: Math.round(((ms.with - ms.without) / ms.without) * 1000) / 10,
  }
}
