/**
 * Choosing a price file and going back, in real data directories: the file checked before anything changes, kept
 * as a private copy that outlives the original, read back at start, costs recomputed, the change recorded; bad
 * files (named in each test) change nothing, and a copy spoiled by hand falls back to the bundled table.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import type { Repository } from '../repository/repository'
import { useScratch } from '../repository/test-support/scratch'
import { loadBundledPriceBook } from './price-book'
import { useBundledPrices, usePriceFile, type PricesChanged } from './price-change'
import { loadPriceChoice, PRICES_DIR } from './price-choice'

const scratch = useScratch()

const TABLE = JSON.stringify({
  'claude-opus-4-6': {
    input_cost_per_token: 1e-5,
    output_cost_per_token: 5e-5,
    litellm_provider: 'anthropic',
  },
})

function setUp() {
  const dataDir = scratch.dir()
  const repository = scratch.open({ dataDir, prices: loadBundledPriceBook() })
  const recorded: PricesChanged[] = []
  const context = {
    dataDir,
    repository,
    origin: 'cli' as const,
    record: async (change: PricesChanged) => void recorded.push(change),
  }
  return { dataDir, repository, recorded, context }
}

async function addResponse(repository: Repository) {
  const message = {
    id: 'c#1',
    conversationId: 'c',
    ordinal: 1,
    role: 'assistant' as const,
    createdAt: Date.UTC(2026, 10, 1),
    text: 'answer',
    usage: {
      responseKey: 'r1',
      model: 'claude-opus-4-6',
      tokensIn: 1_000,
      tokensOut: 1_000,
      cacheWrites: 0,
      cacheWrites1h: 0,
      cacheReads: 0,
      loggedCost: null,
    },
  }
  await repository.write('import', async (w) => {
    await w.upsertConversations([
      { id: 'c', source: 'claude-code', sourceId: 'c', title: 'c', createdAt: 0, cost: 0 },
    ])
    await w.upsertMessages([message])
    await w.upsertUsage([message])
  })
}

const conversationCost = async (repository: Repository) =>
  (await repository.db.selectFrom('conversations').select('cost').executeTakeFirstOrThrow()).cost

describe('usePriceFile', () => {
  it('keeps a private copy of the file, prices everything with it, and records what it was', async () => {
    const { dataDir, repository, recorded, context } = setUp()
    await addResponse(repository)
    // Bundled opus 4.6: 1,000 × $5 + 1,000 × $25 per Mtok.
    expect(await conversationCost(repository)).toBe(0.03)
    const file = join(scratch.dir(), 'prices.json')
    writeFileSync(file, TABLE)
    utimesSync(file, new Date('2026-11-20T12:00:00Z'), new Date('2026-11-20T12:00:00Z'))

    const result = await usePriceFile(context, file)

    if (!result.ok) throw new Error(result.error.message)
    expect(result.value).toMatchObject({
      before: { bundled: true, date: '2026-12-03' },
      after: { bundled: false, source: file, date: '2026-11-20', models: 1 },
      responses: 1,
      conversations: 1,
    })
    expect(await conversationCost(repository)).toBe(0.06)
    const sha256 = createHash('sha256').update(TABLE).digest('hex')
    expect(recorded).toEqual([{ source: file, date: '2026-11-20', sha256, models: 1 }])
    const copy = join(dataDir, PRICES_DIR, 'model_prices_and_context_window.json')
    expect(readFileSync(copy, 'utf8')).toBe(TABLE)
    if (process.platform !== 'win32') expect(statSync(copy).mode & 0o777).toBe(0o600)

    // The original goes away; the next start still uses the chosen table, dated and named as chosen.
    rmSync(file)
    const { book, problem } = loadPriceChoice(dataDir)
    expect(problem).toBeNull()
    expect(book).toMatchObject({ bundled: false, source: file, date: '2026-11-20', sha256 })
    expect(book.priceFor('claude-sonnet-4-5')).toBeNull()
  })

  it.each([
    [
      'a file that is not JSON (an HTML page saved by a browser)',
      '<!doctype html><p>Not found</p>',
      'PRICE_FILE_NOT_JSON',
    ],
    ['a JSON list', '[]', 'PRICE_FILE_BAD_SHAPE'],
    [
      'a negative price',
      '{"m": {"input_cost_per_token": -1, "output_cost_per_token": 1}}',
      'PRICE_FILE_BAD_PRICE',
    ],
  ])('changes nothing for %s', async (_label, text, code) => {
    const { dataDir, repository, recorded, context } = setUp()
    await addResponse(repository)
    const file = join(scratch.dir(), 'bad.json')
    writeFileSync(file, text)
    const result = await usePriceFile(context, file)
    expect(result).toMatchObject({ ok: false, error: { code } })
    if (!result.ok) expect(result.error.message).toContain(file)
    expect(recorded).toEqual([])
    expect(loadPriceChoice(dataDir).book.bundled).toBe(true)
    expect(await conversationCost(repository)).toBe(0.03)
  })

  it('refuses a path that is missing or a folder, naming it (bad input: a typo, a folder)', async () => {
    const { context } = setUp()
    const folder = scratch.dir()
    expect(await usePriceFile(context, join(folder, 'nope.json'))).toMatchObject({
      ok: false,
      error: { code: 'PRICE_FILE_UNREADABLE', message: expect.stringContaining('ENOENT') },
    })
    expect(await usePriceFile(context, folder)).toMatchObject({
      ok: false,
      error: { code: 'PRICE_FILE_UNREADABLE', message: expect.stringContaining('is not a file') },
    })
  })

  it('puts the previous choice back when the recompute fails (bad input: a usage table renamed by hand)', async () => {
    const { dataDir, repository, recorded, context } = setUp()
    const file = join(scratch.dir(), 'prices.json')
    writeFileSync(file, TABLE)
    await sql`ALTER TABLE usage RENAME TO usage_gone`.execute(repository.db)
    expect(await usePriceFile(context, file)).toMatchObject({
      ok: false,
      error: { code: 'PRICE_CHANGE_FAILED' },
    })
    expect(loadPriceChoice(dataDir).book.bundled).toBe(true)
    expect(recorded).toEqual([])
  })
})

describe('useBundledPrices', () => {
  it('goes back to the bundled table and its costs', async () => {
    const { dataDir, repository, recorded, context } = setUp()
    await addResponse(repository)
    const file = join(scratch.dir(), 'prices.json')
    writeFileSync(file, TABLE)
    await usePriceFile(context, file)
    const result = await useBundledPrices(context)
    if (!result.ok) throw new Error(result.error.message)
    expect(result.value).toMatchObject({
      before: { bundled: false },
      after: { bundled: true },
      conversations: 1,
    })
    expect(await conversationCost(repository)).toBe(0.03)
    expect(loadPriceChoice(dataDir).book.bundled).toBe(true)
    expect(recorded.at(-1)).toEqual({
      source: loadBundledPriceBook().source,
      date: '2026-12-03',
      sha256: loadBundledPriceBook().sha256,
      models: loadBundledPriceBook().models,
    })
  })
})

describe('loadPriceChoice', () => {
  it('uses the bundled table when nothing was chosen', () => {
    expect(loadPriceChoice(scratch.dir())).toMatchObject({ book: { bundled: true }, problem: null })
  })

  it('falls back to the bundled table, saying why, when the copy was spoiled by hand (bad input: truncated JSON)', () => {
    const dataDir = scratch.dir()
    mkdirSync(join(dataDir, PRICES_DIR))
    writeFileSync(join(dataDir, PRICES_DIR, 'model_prices_and_context_window.json'), '{"claude-opus-4-6": {')
    const { book, problem } = loadPriceChoice(dataDir)
    expect(book.bundled).toBe(true)
    expect(problem).toMatch(/not a price table .*not a JSON file.*using the bundled prices/)
  })
})
