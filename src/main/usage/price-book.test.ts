/**
 * Price files as a user may hand them over: LiteLLM's format read field by field, bad files refused with a message
 * naming what is wrong (never a crash, never a silent $0), model names resolved as logs spell them, and the
 * bundled table loaded fast with the prices LiteLLM lists.
 */
import { describe, expect, it } from 'vitest'
import { costOf } from '../../shared/usage/pricing'
import { loadBundledPriceBook, parsePriceFile, type LoadedPriceBook } from './price-book'

const origin = { source: 'test file', date: '2026-12-03' }

const parsed = (table: unknown): LoadedPriceBook => {
  const book = parsePriceFile(JSON.stringify(table), origin)
  if (!book.ok) throw new Error(book.error.message)
  return book.value
}

const refusal = (text: string) => {
  const book = parsePriceFile(text, origin)
  if (book.ok) throw new Error('the file was accepted')
  return book.error
}

const SONNET_45 = {
  input_cost_per_token: 3e-6,
  output_cost_per_token: 1.5e-5,
  cache_creation_input_token_cost: 3.75e-6,
  cache_creation_input_token_cost_above_1hr: 6e-6,
  cache_read_input_token_cost: 3e-7,
  input_cost_per_token_above_200k_tokens: 6e-6,
  output_cost_per_token_above_200k_tokens: 2.25e-5,
  cache_creation_input_token_cost_above_200k_tokens: 7.5e-6,
  cache_creation_input_token_cost_above_1hr_above_200k_tokens: 1.2e-5,
  cache_read_input_token_cost_above_200k_tokens: 6e-7,
  litellm_provider: 'anthropic',
  mode: 'chat',
}

describe('parsePriceFile', () => {
  it('reads the five prices and the long-context tier under their LiteLLM names', () => {
    const book = parsed({ 'claude-sonnet-4-5': SONNET_45 })
    expect(book.priceFor('claude-sonnet-4-5')).toEqual({
      input: 3e-6,
      output: 1.5e-5,
      cacheWrite5m: 3.75e-6,
      cacheWrite1h: 6e-6,
      cacheRead: 3e-7,
      longContext: {
        input: 6e-6,
        output: 2.25e-5,
        cacheWrite5m: 7.5e-6,
        cacheWrite1h: 1.2e-5,
        cacheRead: 6e-7,
      },
    })
    expect(book).toMatchObject({ models: 1, date: '2026-12-03', source: 'test file', bundled: false })
    expect(book.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it("prices an Anthropic model's one-hour writes at twice its input when the file has no such field", () => {
    const book = parsed({
      'claude-4-opus-20250514': { input_cost_per_token: 1.5e-5, output_cost_per_token: 7.5e-5 },
      'gpt-x': {
        input_cost_per_token: 1e-6,
        output_cost_per_token: 2e-6,
        cache_creation_input_token_cost: 3e-6,
      },
    })
    expect(book.priceFor('claude-4-opus-20250514')).toMatchObject({
      cacheWrite5m: 1.5e-5,
      cacheWrite1h: 3e-5,
    })
    // Not Anthropic: a one-hour write costs what any write costs; a read the file does not price costs input.
    expect(book.priceFor('gpt-x')).toMatchObject({ cacheWrite5m: 3e-6, cacheWrite1h: 3e-6, cacheRead: 1e-6 })
  })

  it('passes over entries without token prices and LiteLLM’s sample_spec', () => {
    const book = parsed({
      sample_spec: { input_cost_per_token: 0, output_cost_per_token: 0, max_tokens: 'LEGACY parameter' },
      'dall-e-3': { output_cost_per_image: 0.04, mode: 'image_generation' },
      'gpt-5': { input_cost_per_token: 1.25e-6, output_cost_per_token: 1e-5 },
    })
    expect(book.models).toBe(1)
    expect(book.priceFor('dall-e-3')).toBeNull()
    expect(book.priceFor('sample_spec')).toBeNull()
  })

  it('refuses a file that is not JSON (bad input: an HTML error page saved as the file)', () => {
    expect(refusal('<html><body>404</body></html>')).toMatchObject({ code: 'PRICE_FILE_NOT_JSON' })
    expect(refusal('').message).toMatch(/not a JSON file/)
  })

  it('refuses JSON of the wrong shape (bad input: a list, a number, an object without any priced model)', () => {
    expect(refusal('[1, 2]')).toMatchObject({ code: 'PRICE_FILE_BAD_SHAPE' })
    expect(refusal('42').message).toMatch(/not an object of models/)
    expect(refusal('{"data": [{"id": "gpt-4o", "pricing": {"prompt": "0.0000025"}}]}').message).toMatch(
      /no model in the file has input_cost_per_token/,
    )
  })

  it.each([
    ['a negative price', -3e-6],
    ['a price given as text', '3e-6'],
    ['a price given as an object', { usd: 3 }],
    ['an infinite price (1e999 reads as Infinity)', '1e999'],
  ])('refuses %s, naming the model and the field', (_label, value) => {
    const text =
      value === '1e999'
        ? '{"claude-x": {"input_cost_per_token": 1e999, "output_cost_per_token": 1e-5}}'
        : JSON.stringify({ 'claude-x': { input_cost_per_token: value, output_cost_per_token: 1e-5 } })
    const error = refusal(text)
    expect(error.code).toBe('PRICE_FILE_BAD_PRICE')
    expect(error.message).toContain('model "claude-x": input_cost_per_token')
  })

  it("reads DeepSeek's cache-hit price as its cache-read price, and refuses a bad one (bad input: -1)", () => {
    const entry = {
      input_cost_per_token: 2.8e-7,
      input_cost_per_token_cache_hit: 2.8e-8,
      output_cost_per_token: 4e-7,
      litellm_provider: 'deepseek',
    }
    expect(parsed({ 'deepseek/deepseek-v3.2': entry }).priceFor('deepseek-v3.2')?.cacheRead).toBe(2.8e-8)
    const bad = JSON.stringify({ 'deepseek/deepseek-v3.2': { ...entry, input_cost_per_token_cache_hit: -1 } })
    expect(refusal(bad).message).toContain('input_cost_per_token_cache_hit')
  })

  it('refuses a bad long-context price too (bad input: NaN spelled as a string)', () => {
    const table = { 'claude-x': { ...SONNET_45, cache_read_input_token_cost_above_200k_tokens: 'NaN' } }
    expect(refusal(JSON.stringify(table)).message).toContain('cache_read_input_token_cost_above_200k_tokens')
  })
})

describe('model names', () => {
  const book = parsed({
    'claude-sonnet-4-5': SONNET_45,
    'claude-sonnet-4-20250514': { ...SONNET_45, input_cost_per_token: 3.1e-6 },
    'claude-opus-4-20250514': { input_cost_per_token: 1.5e-5, output_cost_per_token: 7.5e-5 },
    'claude-opus-4-1-20250805': { input_cost_per_token: 1.6e-5, output_cost_per_token: 7.5e-5 },
    'gpt-5.1': { input_cost_per_token: 1.25e-6, output_cost_per_token: 1e-5 },
  })
  const inputOf = (model: string) => book.priceFor(model)?.input ?? null

  it.each([
    ['claude-sonnet-4-5', 3e-6],
    ['Claude-Sonnet-4-5', 3e-6],
    ['claude-sonnet-4-5-20250929', 3e-6],
    ['anthropic/claude-sonnet-4-5', 3e-6],
    ['openrouter/anthropic/claude-sonnet-4.5', 3e-6],
    ['bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0', 3e-6],
    ['vertex_ai/claude-sonnet-4-5@20250929', 3e-6],
    ['claude-sonnet-4', 3.1e-6],
    ['anthropic/claude-sonnet-4', 3.1e-6],
    ['claude-opus-4-1', 1.6e-5],
    ['gpt-5.1', 1.25e-6],
    ['openai/gpt-5.1-2025-11-13', 1.25e-6],
  ])('finds %s', (model, input) => expect(inputOf(model)).toBe(input))

  it("finds a provider's own prefixed entry by its bare name, and never a reseller's", () => {
    const table = parsed({
      'deepseek/deepseek-chat': {
        input_cost_per_token: 2.8e-7,
        output_cost_per_token: 4.2e-7,
        litellm_provider: 'deepseek',
      },
      'deepinfra/google/gemini-2.5-pro': {
        input_cost_per_token: 9,
        output_cost_per_token: 9,
        litellm_provider: 'deepinfra',
      },
      'fireworks_ai/glm-5': {
        input_cost_per_token: 9,
        output_cost_per_token: 9,
        litellm_provider: 'fireworks_ai',
      },
    })
    expect(table.priceFor('deepseek-chat')?.input).toBe(2.8e-7)
    expect(table.priceFor('gemini-2.5-pro')).toBeNull()
    expect(table.priceFor('glm-5')).toBeNull()
  })

  it.each(['claude-unknown-9', 'gpt-4o', '', 'sonnet'])('leaves %j unpriced', (model) =>
    expect(book.priceFor(model)).toBeNull(),
  )

  it('leaves a response without a model unpriced', () => expect(book.priceFor(null)).toBeNull())

  it('answers a name it resolved before from its memory, with the same object', () => {
    const first = book.priceFor('openrouter/anthropic/claude-sonnet-4.5')
    expect(book.priceFor('openrouter/anthropic/claude-sonnet-4.5')).toBe(first)
  })
})

describe('the bundled table', () => {
  it('loads in a few milliseconds and prices the models Claude Code logs', () => {
    const started = performance.now()
    const book = loadBundledPriceBook()
    const ms = performance.now() - started
    expect(ms).toBeLessThan(50)
    expect(book).toMatchObject({ bundled: true, date: '2026-12-03' })
    expect(book.source).toMatch(/LiteLLM/)
    expect(book.models).toBeGreaterThan(30)
    for (const model of [
      'claude-opus-4-6',
      'claude-sonnet-4-5-20250929',
      'claude-haiku-4-5-20251001',
      'gpt-5',
    ])
      expect(book.priceFor(model), model).not.toBeNull()
  })

  it('costs a claude-opus-4-6 response with 5-minute and 1-hour writes and reads as computed by hand', () => {
    const price = loadBundledPriceBook().priceFor('claude-opus-4-6')
    if (!price) throw new Error('claude-opus-4-6 is not in the bundled table')
    // LiteLLM's opus 4.6 per Mtok: $5 in, $25 out, $6.25 5-minute writes, $10 1-hour writes, $0.50 reads.
    // 1,000 in = $0.005; 2,000 out = $0.05; 3,000 5-minute writes = $0.01875; 1,000 1-hour writes = $0.01;
    // 50,000 reads = $0.025; total $0.10875. Uncached: 55,000 prompt tokens at $5 = $0.275, + $0.05 = $0.325.
    const usage = {
      tokensIn: 1_000,
      tokensOut: 2_000,
      cacheWrites: 4_000,
      cacheWrites1h: 1_000,
      cacheReads: 50_000,
    }
    const { cost, uncached } = costOf(usage, price)
    expect(cost).toBeCloseTo(0.10875, 12)
    expect(uncached).toBeCloseTo(0.325, 12)
  })

  it('bills every token of a claude-sonnet-4-5 response over 200k prompt tokens at the long-context prices', () => {
    const price = loadBundledPriceBook().priceFor('claude-sonnet-4-5-20250929')
    if (!price) throw new Error('claude-sonnet-4-5-20250929 is not in the bundled table')
    // Prompt 1,000 + 10,000 writes (4,000 of them 1-hour) + 190,000 reads = 201,000 > 200,000: long context.
    // $6 in: 0.006; $22.50 out on 1,000: 0.0225; $7.50 on 6,000: 0.045; $12 on 4,000: 0.048; $0.60 on 190,000:
    // 0.114; total 0.2355.
    const usage = {
      tokensIn: 1_000,
      tokensOut: 1_000,
      cacheWrites: 10_000,
      cacheWrites1h: 4_000,
      cacheReads: 190_000,
    }
    expect(costOf(usage, price).cost).toBeCloseTo(0.2355, 12)
    // One read fewer than the threshold: the standard prices ($3, $15, $3.75, $6, $0.30).
    const under = { ...usage, cacheReads: 189_000 }
    expect(costOf(under, price).cost).toBeCloseTo(0.003 + 0.015 + 0.0225 + 0.024 + 0.0567, 12)
  })
})
