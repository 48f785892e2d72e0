import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { generateConversation } from './conversation'
import { corpusBatches, type CorpusSpec } from './corpus'
import { createPrng } from './prng'
import { buildVocabularies } from './vocabulary'

const vocab = buildVocabularies()
const SMALL = { conversations: 60, messagesPerBatch: 500 }

function allText(seed: number, spec: Omit<CorpusSpec, 'seed'> = SMALL): string[] {
  const texts: string[] = []
  for (const batch of corpusBatches({ seed, ...spec }, vocab)) {
    for (const c of batch.conversations) texts.push(c.title)
    for (const m of batch.messages) texts.push(m.text)
  }
  return texts
}

describe('bench corpus', () => {
  it('is the same for the same seed and different for another', () => {
    const first = allText(7)
    expect(allText(7)).toEqual(first)
    expect(allText(8)).not.toEqual(first)
  })

  it('generates a conversation independently of how many come before it', () => {
    const alone = generateConversation(7, 41, vocab)
    const inStream = [...corpusBatches({ seed: 7, ...SMALL }, vocab)]
      .flatMap((b) => b.messages)
      .filter((m) => m.conversationId === alone.conversation.id)
    expect(inStream).toEqual(alone.messages)
  })

  it('mixes languages: accented Latin, Cyrillic and CJK text are all present', () => {
    // Some languages are a few percent of conversations: many short conversations make all of them show up.
    const text = allText(3, { conversations: 400, messagesPerBatch: 500, shape: { meanMessages: 6 } }).join(
      '\n',
    )
    expect(text).toMatch(/[éèêàçôûù]/)
    expect(text).toMatch(/[äöüÄÖÜ]/)
    expect(text).toMatch(/[áíóúñ]/)
    expect(text).toMatch(/\p{Script=Cyrillic}/u)
    expect(text).toMatch(/\p{Script=Han}/u)
    expect(text).toMatch(/[\p{Script=Hiragana}\p{Script=Katakana}]/u)
  })

  it('batches messages, alternates roles and numbers ordinals from 0', () => {
    const batches = [...corpusBatches({ seed: 1, ...SMALL }, vocab)]
    expect(batches.slice(0, -1).every((b) => b.messages.length === SMALL.messagesPerBatch)).toBe(true)
    const first = generateConversation(1, 0, vocab)
    expect(first.messages[0]?.role).toBe('user')
    expect(first.messages.map((m) => m.ordinal)).toEqual(first.messages.map((_, i) => i))
    for (const [i, m] of first.messages.entries()) {
      if (m.role === 'tool') expect(first.messages[i - 1]?.kind).toBe('tool_call')
    }
  })

  it('draws from a seeded PRNG that repeats exactly', () => {
    const a = createPrng(123)
    const b = createPrng(123)
    const draws = Array.from({ length: 5 }, () => a.next())
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(draws)
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true)
  })

  it('carries usage on assistant messages (none for ChatGPT), and usage changed nothing else of the corpus', () => {
    const digest = createHash('sha256')
    const sources = new Map<string, string>()
    let withUsage = 0
    for (const batch of corpusBatches({ seed: 7, ...SMALL }, vocab)) {
      for (const c of batch.conversations) {
        digest.update(JSON.stringify(c))
        sources.set(c.id, c.source)
      }
      for (const { usage, ...message } of batch.messages) {
        digest.update(JSON.stringify(message))
        const expected = message.role === 'assistant' && sources.get(message.conversationId) !== 'chatgpt'
        expect(usage !== undefined, `${message.id} ${message.role}`).toBe(expected)
        if (!usage) continue
        withUsage++
        expect(usage.cacheWrites1h).toBeLessThanOrEqual(usage.cacheWrites)
        expect(Math.min(usage.tokensIn, usage.tokensOut, usage.cacheReads)).toBeGreaterThan(0)
        expect(usage.loggedCost === null).toBe(sources.get(message.conversationId) === 'claude-code')
      }
    }
    expect(withUsage).toBeGreaterThan(1_000)
    // The digest of seed 7 before usage was added: the same texts, titles, times and ids as then.
    expect(digest.digest('hex')).toBe('5faa0740d154afdb3a0a5716f39f3769fd4c53def202066c53b4e8e7b8aa5a46')
  })
})
