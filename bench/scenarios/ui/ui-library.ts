/**
 * The ui scenario's library: the corpus written through the repository as an import would, plus one conversation
 * of 5,000 messages for the reader, the newest of all so that its row is at the top of the list.
 */
import { openRepository } from '../../../src/main/repository/repository'
import { corpusBatches } from '../../corpus/corpus'
import type { Vocabularies } from '../../corpus/vocabulary'
import { ENGLISH_CONTENT_WORDS } from '../../corpus/words/english'
import { MESSAGES_PER_BATCH } from '../scenario'

const MEAN_MESSAGES = 10
export const LONG_CONVERSATION = 'bench:long-conversation'
export const LONG_MESSAGES = 5_000

export interface LibrarySpec {
  readonly seed: number
  readonly conversations: number
  readonly vocab: Vocabularies
}

/** One conversation of 5,000 messages with markdown, code and tool calls. */
async function writeLongConversation(
  repository: ReturnType<typeof openRepository>,
  words: readonly string[],
) {
  const now = Date.now()
  const text = (i: number) => {
    const w = (k: number) => words[(i * 7 + k) % words.length]
    return i % 5 === 0
      ? `Here is the change for **${w(1)}**:\n\n\`\`\`ts\nexport function ${w(2)}(value: number): number {\n  return value * ${i}\n}\n\`\`\`\n\nIt keeps ${w(3)} and ${w(4)} apart.`
      : `${w(1)} ${w(2)} ${w(3)}, then ${w(4)} ${w(5)} (${i}). A list:\n\n- ${w(6)}\n- ${w(7)}\n- \`${w(8)}\``
  }
  await repository.write('import', async (w) => {
    await w.upsertConversations([
      {
        id: LONG_CONVERSATION,
        source: 'claude-code',
        sourceId: 'long',
        title: 'Bench: a 5,000-message conversation',
        createdAt: now - LONG_MESSAGES * 1_000,
        updatedAt: now,
        lastActivityAt: now,
      },
    ])
    await w.upsertMessages(
      Array.from({ length: LONG_MESSAGES }, (_, ordinal) => ({
        id: `${LONG_CONVERSATION}#${ordinal}`,
        conversationId: LONG_CONVERSATION,
        ordinal,
        role: ordinal % 2 === 0 ? ('user' as const) : ('assistant' as const),
        kind: ordinal % 10 === 3 ? ('tool_call' as const) : ('text' as const),
        createdAt: now - (LONG_MESSAGES - ordinal) * 1_000,
        text:
          ordinal % 10 === 3
            ? `Read {"file_path":"/src/${words[ordinal % words.length]}.ts"}`
            : text(ordinal),
      })),
    )
  })
}

/** Writes the library into the data directory; returns what it holds. */
export async function writeLibrary(
  dataDir: string,
  spec: LibrarySpec,
): Promise<{ conversations: number; messages: number }> {
  const repository = openRepository({ dataDir })
  let conversations = 0
  let messages = 0
  for (const batch of corpusBatches(
    {
      seed: spec.seed,
      conversations: spec.conversations,
      messagesPerBatch: MESSAGES_PER_BATCH,
      shape: { meanMessages: MEAN_MESSAGES },
    },
    spec.vocab,
  )) {
    await repository.write('import', async (w) => {
      await w.upsertConversations(batch.conversations)
      await w.upsertMessages(batch.messages)
    })
    conversations += batch.conversations.length
    messages += batch.messages.length
  }
  await writeLongConversation(repository, ENGLISH_CONTENT_WORDS)
  await repository.close()
  return { conversations: conversations + 1, messages: messages + LONG_MESSAGES }
}
