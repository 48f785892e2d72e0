/**
 * Price books from LiteLLM's model price list (`model_prices_and_context_window.json`): the bundled, dated table
 * in resources/pricing/ or a newer file of the same format the user chose (price-choice.ts).
 *
 * A file is checked whole before it is used: a file that is not JSON, not an object of models, or that gives a
 * price as anything but a finite number of zero or more is refused with a message naming the model and field, so
 * a bad download never turns into wrong costs. Entries without token prices (images, audio, search) are passed
 * over, as LiteLLM's own `sample_spec` is.
 *
 * Names are resolved as logs spell them: exactly, then without a provider prefix (`anthropic/`,
 * `openrouter/anthropic/`, `bedrock/us.anthropic.`), with or without a date suffix (`claude-sonnet-4-5-20250929`
 * and `claude-sonnet-4-5`), OpenRouter's dotted versions (`claude-sonnet-4.5`), case aside; an entry the table
 * files under its own provider's prefix (`deepseek/deepseek-chat`) answers to its bare name too. Each name is resolved
 * once and remembered: the writer asks for every response of an import.
 */
import { createHash } from 'node:crypto'
import bundledTable from '../../../resources/pricing/model_prices_and_context_window.json' with { type: 'json' }
import bundledSource from '../../../resources/pricing/source.json' with { type: 'json' }
import { fail, ok, type Result } from '../../shared/result'
import type { ModelPrice, PriceBook, TokenPrices } from '../../shared/usage/pricing'

export interface LoadedPriceBook extends PriceBook {
  /** Models in the table with token prices. */
  readonly models: number
  /** SHA-256 (hex) of the file's bytes (the bundled table's: of its compact JSON), for the audit trail. */
  readonly sha256: string
  readonly bundled: boolean
}

export type PriceFileErrorCode = 'PRICE_FILE_NOT_JSON' | 'PRICE_FILE_BAD_SHAPE' | 'PRICE_FILE_BAD_PRICE'

const FIELDS = {
  input: 'input_cost_per_token',
  output: 'output_cost_per_token',
  cacheWrite5m: 'cache_creation_input_token_cost',
  cacheWrite1h: 'cache_creation_input_token_cost_above_1hr',
  cacheRead: 'cache_read_input_token_cost',
} as const satisfies Record<keyof TokenPrices, string>

const LONG = '_above_200k_tokens'
/** LiteLLM spells the long-context one-hour write so, not as the plain field plus LONG. */
const LONG_WRITE_1H = 'cache_creation_input_token_cost_above_1hr_above_200k_tokens'

/** Providers that make the models they serve: their prefixed entries are the models' own prices, a reseller's not. */
const MAKERS: ReadonlySet<string> = new Set([
  'anthropic',
  'openai',
  'gemini',
  'vertex_ai',
  'deepseek',
  'xai',
  'mistral',
  'moonshot',
])

/** DeepSeek's entries give their cache-read price only under this name. */
const CACHE_HIT = 'input_cost_per_token_cache_hit'

const PRICE_FIELDS: readonly string[] = [
  ...Object.values(FIELDS),
  CACHE_HIT,
  ...Object.values(FIELDS)
    .filter((f) => f !== FIELDS.cacheWrite1h)
    .map((f) => f + LONG),
  LONG_WRITE_1H,
]

type Entry = Readonly<Record<string, unknown>>

/** The price in `field`, undefined when absent; a message when it is there but no usable price. */
function priceIn(entry: Entry, field: string, model: string): number | undefined | string {
  const value = entry[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    return `model "${model}": ${field} is ${JSON.stringify(value)}, not a price (a number of USD per token, 0 or more)`
  return value
}

/** Anthropic bills a one-hour cache write at twice the input price; others have no such tier. */
const isAnthropic = (model: string, entry: Entry) =>
  entry.litellm_provider === 'anthropic' || model.toLowerCase().includes('claude')

function tierOf(
  entry: Entry,
  model: string,
  get: (field: string) => number | undefined,
  long: boolean,
): TokenPrices | null {
  const suffix = long ? LONG : ''
  const input = get(FIELDS.input + suffix)
  const output = get(FIELDS.output + suffix)
  if (input === undefined || output === undefined) return null
  // A write or read the table does not price is billed as plain input: never $0, never unpriced.
  const cacheWrite5m = get(FIELDS.cacheWrite5m + suffix) ?? input
  const cacheWrite1h =
    get(long ? LONG_WRITE_1H : FIELDS.cacheWrite1h) ?? (isAnthropic(model, entry) ? 2 * input : cacheWrite5m)
  const cacheRead = get(FIELDS.cacheRead + suffix) ?? (long ? undefined : get(CACHE_HIT)) ?? input
  return { input, output, cacheWrite5m, cacheWrite1h, cacheRead }
}

function priceOf(model: string, entry: Entry): Result<ModelPrice | null, PriceFileErrorCode> {
  const prices = new Map<string, number>()
  for (const field of PRICE_FIELDS) {
    const value = priceIn(entry, field, model)
    if (typeof value === 'string') return fail('PRICE_FILE_BAD_PRICE', value)
    if (value !== undefined) prices.set(field, value)
  }
  const get = (field: string) => prices.get(field)
  const base = tierOf(entry, model, get, false)
  if (base === null) return ok(null)
  const longContext = tierOf(entry, model, get, true)
  return ok(longContext ? { ...base, longContext } : base)
}

export interface PriceFileOrigin {
  readonly source: string
  readonly date: string
  readonly bundled?: boolean
}

/** Reads a LiteLLM price file's text; never throws. */
export function parsePriceFile(
  text: string,
  origin: PriceFileOrigin,
): Result<LoadedPriceBook, PriceFileErrorCode> {
  let table: unknown
  try {
    table = JSON.parse(text)
  } catch (error) {
    return fail(
      'PRICE_FILE_NOT_JSON',
      `not a JSON file (${error instanceof Error ? error.message : String(error)}); expected LiteLLM's ` +
        'model_prices_and_context_window.json',
    )
  }
  const sha256 = createHash('sha256').update(text).digest('hex')
  return priceBookOf(table, { ...origin, sha256 })
}

function priceBookOf(
  table: unknown,
  origin: PriceFileOrigin & { readonly sha256: string },
): Result<LoadedPriceBook, PriceFileErrorCode> {
  if (typeof table !== 'object' || table === null || Array.isArray(table))
    return fail(
      'PRICE_FILE_BAD_SHAPE',
      `the file holds ${Array.isArray(table) ? 'a list' : JSON.stringify(table)?.slice(0, 40)}, not an object ` +
        "of models; expected LiteLLM's model_prices_and_context_window.json",
    )
  const prices = new Map<string, ModelPrice>()
  // `deepseek/deepseek-chat`, `vertex_ai/gemini-3-pro-preview`: a provider's own prefix, which its logs leave out.
  const firstParty = new Map<string, ModelPrice>()
  for (const [model, entry] of Object.entries(table as Record<string, unknown>)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue
    if (model === 'sample_spec') continue
    const price = priceOf(model, entry as Entry)
    if (!price.ok) return price
    if (!price.value) continue
    prices.set(model, price.value)
    const [prefix, name, ...rest] = model.split('/')
    if (
      name &&
      rest.length === 0 &&
      prefix &&
      MAKERS.has(prefix) &&
      prefix === (entry as Entry).litellm_provider
    )
      firstParty.set(name, price.value)
  }
  if (prices.size === 0)
    return fail(
      'PRICE_FILE_BAD_SHAPE',
      "no model in the file has input_cost_per_token and output_cost_per_token; expected LiteLLM's " +
        'model_prices_and_context_window.json',
    )
  return ok(makePriceBook(prices, firstParty, origin))
}

// `bedrock/us.anthropic.claude-…-v1:0`, `vertex_ai/claude-…@20250514`: the region and version parts go too.
const PROVIDER_PREFIX = /^(?:[a-z0-9_.-]+\/)+/
const REGION_PREFIX = /^(?:(?:us|eu|apac|jp|au|global)\.)?(?:anthropic|openai)\./
const VERSION_SUFFIX = /(?:-v\d+(?::\d+)?|@\d{8})$/
const DATE_SUFFIX = /-(?:\d{8}|\d{4}-\d{2}-\d{2})$/
const DOTTED_VERSION = /(\d)\.(\d)/g

/** The names to try for `model`, most exact first. */
function candidates(model: string): string[] {
  const lower = model.trim().toLowerCase()
  const bare = lower.replace(PROVIDER_PREFIX, '').replace(REGION_PREFIX, '').replace(VERSION_SUFFIX, '')
  const names = [lower, bare, bare.replace(DOTTED_VERSION, '$1-$2')]
  for (const name of [...names]) {
    const undated = name.replace(DATE_SUFFIX, '')
    if (undated !== name) names.push(undated)
  }
  return [...new Set(names)]
}

function makePriceBook(
  prices: ReadonlyMap<string, ModelPrice>,
  firstParty: ReadonlyMap<string, ModelPrice>,
  origin: PriceFileOrigin & { readonly sha256: string },
): LoadedPriceBook {
  const byLowerName = new Map<string, ModelPrice>()
  // Names as the table spells them first, then a provider's own entries under their bare names.
  for (const [name, price] of [...prices, ...firstParty])
    if (!byLowerName.has(name.toLowerCase())) byLowerName.set(name.toLowerCase(), price)
  // A dated name missing from the table is found through its undated one; the reverse (an undated name whose
  // table has only dated entries) takes the latest date, which is the model's current release.
  const latestDated = new Map<string, ModelPrice>()
  for (const name of [...byLowerName.keys()].sort()) {
    const undated = name.replace(DATE_SUFFIX, '')
    if (undated !== name) latestDated.set(undated, byLowerName.get(name) as ModelPrice)
  }
  const resolved = new Map<string, ModelPrice | null>()
  const resolve = (model: string): ModelPrice | null => {
    for (const name of candidates(model)) {
      const price = byLowerName.get(name) ?? latestDated.get(name)
      if (price) return price
    }
    return null
  }
  return {
    date: origin.date,
    source: origin.source,
    sha256: origin.sha256,
    bundled: origin.bundled ?? false,
    models: prices.size,
    priceFor(model) {
      if (model === null || model === '') return null
      let price = resolved.get(model)
      if (price === undefined) {
        price = resolve(model)
        resolved.set(model, price)
      }
      return price
    },
  }
}

/** Where the bundled table came from, as resources/pricing/source.json states it. */
export const BUNDLED_PRICES = {
  source: bundledSource.source,
  url: bundledSource.url,
  commit: bundledSource.commit,
  date: bundledSource.date,
} as const

/**
 * The table shipped with Chronicle (resources/pricing/), compiled into the main bundle with this module so it is
 * there wherever the main process runs: under tsx, in electron-vite's build and in the packaged app alike.
 */
export function loadBundledPriceBook(): LoadedPriceBook {
  const text = JSON.stringify(bundledTable)
  const book = priceBookOf(bundledTable, {
    source: `${BUNDLED_PRICES.source} at ${BUNDLED_PRICES.commit.slice(0, 12)}`,
    date: BUNDLED_PRICES.date,
    bundled: true,
    sha256: createHash('sha256').update(text).digest('hex'),
  })
  if (!book.ok) throw new Error(`the bundled price table is invalid: ${book.error.message}`)
  return book.value
}
