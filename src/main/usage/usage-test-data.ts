/**
 * Libraries of responses for the usage tests: each response is one assistant message carrying its usage, written
 * through the real writer, so the rows, the hourly rollup and the conversations' costs are the repository's own.
 */
import type { Source } from '../../shared/domain'
import type { Repository } from '../repository/repository'

export interface TestResponse {
  readonly conversation: string
  readonly at: number
  readonly model?: string | null
  readonly device?: string
  readonly tokensIn?: number
  readonly tokensOut?: number
  readonly cacheWrites?: number
  readonly cacheReads?: number
  /** The logged cost; null: left to the price book (the tests open repositories without one: unpriced). */
  readonly cost?: number | null
}

export interface TestConversation {
  readonly id: string
  readonly source?: Source
  readonly workspace?: string | null
  readonly title?: string
}

export async function writeResponses(
  repo: Repository,
  conversations: readonly TestConversation[],
  responses: readonly TestResponse[],
): Promise<void> {
  await repo.write('cli', async (w) => {
    await w.upsertConversations(
      conversations.map((c) => ({
        id: c.id,
        source: c.source ?? 'claude-code',
        sourceId: c.id,
        title: c.title ?? `Conversation ${c.id}`,
        workspace: c.workspace === undefined ? '/w/api' : c.workspace,
        createdAt: Math.min(...responses.filter((r) => r.conversation === c.id).map((r) => r.at)),
      })),
    )
    const messages = responses.map((r, i) => ({
      id: `${r.conversation}-m${i}`,
      conversationId: r.conversation,
      ordinal: i,
      role: 'assistant' as const,
      createdAt: r.at,
      text: `answer ${i}`,
      deviceId: r.device ?? null,
      usage: {
        responseKey: `resp-${i}`,
        model: r.model === undefined ? 'claude-sonnet-4-5' : r.model,
        tokensIn: r.tokensIn ?? 100,
        tokensOut: r.tokensOut ?? 10,
        cacheWrites: r.cacheWrites ?? 0,
        cacheWrites1h: 0,
        cacheReads: r.cacheReads ?? 0,
        loggedCost: r.cost === undefined ? 1 : r.cost,
      },
    }))
    await w.upsertMessages(messages)
    await w.upsertUsage(messages)
  })
}
