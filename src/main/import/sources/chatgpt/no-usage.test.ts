/**
 * ChatGPT exports carry no token counts (message metadata holds model_slug, finish_details with stop_tokens, and
 * the like; FORMATS.md): the adapter attaches no usage to any message, so no response is counted or priced, and
 * the model is still known for each conversation.
 */
import { describe, expect, it } from 'vitest'
import { FIXTURE, readOne } from './test-exports'

describe('chatgpt usage', () => {
  it('attaches no usage to any message of the fixture export, and keeps the models', async () => {
    const { conversations } = await readOne(FIXTURE)
    expect(conversations.flatMap((c) => c.messages).filter((m) => m.usage !== undefined)).toEqual([])
    expect(conversations.map((c) => c.conversation.model)).toEqual(['gpt-4o', 'gpt-4o', 'o3'])
    for (const { conversation } of conversations) expect(conversation.tokensIn ?? 0).toBe(0)
  })
})
