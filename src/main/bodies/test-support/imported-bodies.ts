/**
 * One conversation of six messages whose bodies are far longer than a preview, with a phrase only a whole body
 * holds (message 3), structured content (message 1) and the model's metadata on each answer: what the body tests
 * import on a machine.
 */
import type { Repository } from '../../repository/repository'
import type { MessageInput } from '../../repository/writes'

export const CONVERSATION = 'claude-code:bodies-1'
export const PHRASE = 'wombat lighthouse 9c2e'

/** Far longer than a preview (160 characters), with the phrase where no preview reaches. */
const bodyOf = (ordinal: number) =>
  `Message ${ordinal}. ${'The build log scrolls past line after line of compiler output. '.repeat(8)}` +
  (ordinal === 3 ? `Then, at the end: ${PHRASE}.` : 'Nothing else of note.')

export const MESSAGES: readonly MessageInput[] = Array.from({ length: 6 }, (_, ordinal) => ({
  id: `${CONVERSATION}#${ordinal}`,
  conversationId: CONVERSATION,
  ordinal,
  role: ordinal % 2 === 0 ? 'user' : 'assistant',
  createdAt: 1_700_000_000_000 + ordinal,
  text: bodyOf(ordinal),
  content: ordinal === 1 ? [{ type: 'tool_use', name: 'bash', input: { command: 'npm test' } }] : undefined,
  metadata: ordinal % 2 === 1 ? { model: 'claude-opus-4-1', stopReason: 'end_turn' } : undefined,
}))

/** Imports the conversation, with `more` of its messages in the same transaction. */
export async function importOn(repository: Repository, more: readonly MessageInput[] = []): Promise<void> {
  await repository.write('import', async (w) => {
    await w.upsertConversations([
      {
        id: CONVERSATION,
        source: 'claude-code',
        sourceId: 'bodies-1',
        title: 'Bodies',
        createdAt: 1_700_000_000_000,
      },
    ])
    await w.upsertMessages([...MESSAGES, ...more])
  })
}
