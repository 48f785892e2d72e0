/** The smallest valid conversation input, for tests that need a conversation's row and not what it holds. */
import type { ConversationInput } from '../writes'

export const conversationInput = (id: string, more: Partial<ConversationInput> = {}): ConversationInput => ({
  id,
  source: 'roo',
  sourceId: id,
  title: id,
  createdAt: 1_000,
  ...more,
})
