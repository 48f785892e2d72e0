/**
 * Writes the usage of API responses (migration 0011) and keeps each conversation's cost the sum of its responses'.
 *
 * A response is counted once whatever carries it: the messages that repeat its key (Claude Code's lines of one
 * streamed response, the same response read again after a resumed read) merge into one row that keeps the largest
 * figure of each kind, which is the final snapshot, since counts only grow while a response streams. Costs are
 * computed here, at write time, with the repository's price book: the source's logged cost when it has one, the
 * table's otherwise, NULL ("unpriced") for a model the table lacks, never $0.
 */
import { CompiledQuery, sql, type Transaction } from 'kysely'
import { costOf, type PriceBook } from '../../shared/usage/pricing'
import type { ResponseUsage } from '../../shared/usage/response-usage'
import type { Database, UsageTable } from './database-schema'
import { chunks, statementSizedParts, type MessageInput } from './writes'

/** A price book that knows no model: everything is unpriced (tests, and a repository opened without prices). */
export const NO_PRICES: PriceBook = { date: '', source: 'none', priceFor: () => null }

/** One text per response for the maps of a write (NUL cannot occur in either part's JSON-born text). */
const keyOf = (conversationId: string, responseKey: string): string => `${conversationId}\u0000${responseKey}`

const COUNTS = ['tokens_in', 'tokens_out', 'cache_writes', 'cache_writes_1h', 'cache_reads'] as const
const COLUMNS = [
  'conversation_id',
  'response_key',
  'message_id',
  'at',
  'model',
  'device_id',
  ...COUNTS,
  'logged_cost',
  'cost',
  'cost_uncached',
] as const

interface Merged {
  row: Omit<UsageTable, 'cost' | 'cost_uncached'>
  /** Ordinal of the message row.message_id names, to keep the latest message of the response. */
  ordinal: number
}

/** To a billionth of a dollar: sums of floats differ in their last bits with the order they are added in. */
const roundCost = (usd: number): number => Math.round(usd * 1e9) / 1e9

function rowOf(m: MessageInput, usage: ResponseUsage): Merged {
  return {
    ordinal: m.ordinal,
    row: {
      conversation_id: m.conversationId,
      response_key: usage.responseKey,
      message_id: m.id,
      at: m.createdAt ?? Number.NaN,
      model: usage.model ?? '',
      device_id: m.deviceId ?? '',
      tokens_in: usage.tokensIn,
      tokens_out: usage.tokensOut,
      cache_writes: usage.cacheWrites,
      cache_writes_1h: usage.cacheWrites1h,
      cache_reads: usage.cacheReads,
      logged_cost: usage.loggedCost,
    },
  }
}

/** `into` gains what `from` knows: the larger count of each kind, a model and cost it lacked, the later message. */
function mergeInto(into: Merged, from: Merged): void {
  const a = into.row
  const b = from.row
  for (const c of COUNTS) a[c] = Math.max(a[c], b[c])
  if (a.model === '') a.model = b.model
  if (a.device_id === '') a.device_id = b.device_id
  if (b.logged_cost !== null) a.logged_cost = Math.max(a.logged_cost ?? 0, b.logged_cost)
  if (Number.isNaN(a.at)) a.at = b.at
  if (from.ordinal > into.ordinal) {
    into.ordinal = from.ordinal
    a.message_id = b.message_id
    if (!Number.isNaN(b.at)) a.at = b.at
  }
}

function priced(row: Merged['row'], prices: PriceBook): UsageTable {
  const tokens = {
    tokensIn: row.tokens_in,
    tokensOut: row.tokens_out,
    cacheWrites: row.cache_writes,
    cacheWrites1h: row.cache_writes_1h,
    cacheReads: row.cache_reads,
  }
  const price = prices.priceFor(row.model === '' ? null : row.model)
  const table = price ? costOf(tokens, price) : null
  if (row.logged_cost !== null) {
    // The logged cost is the truth; what the cache saved comes from the table, so the saving is the table's.
    const saved = table ? table.uncached - table.cost : 0
    return { ...row, cost: roundCost(row.logged_cost), cost_uncached: roundCost(row.logged_cost + saved) }
  }
  return table
    ? { ...row, cost: roundCost(table.cost), cost_uncached: roundCost(table.uncached) }
    : { ...row, cost: null, cost_uncached: null }
}

const upsertSqls = new Map<number, string>()

/** Insert, or update a row only where a value changed, so reading the same responses again writes nothing. */
function upsertSql(rows: number): string {
  let text = upsertSqls.get(rows)
  if (text === undefined) {
    const row = `(${COLUMNS.map(() => '?').join(', ')})`
    const updated = COLUMNS.filter((c) => c !== 'conversation_id' && c !== 'response_key')
    text =
      `INSERT INTO usage (${COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => row).join(', ')} ` +
      `ON CONFLICT (conversation_id, response_key) DO UPDATE SET ${updated.map((c) => `${c} = excluded.${c}`).join(', ')} ` +
      `WHERE ${updated.map((c) => `${c} IS NOT excluded.${c}`).join(' OR ')}`
    upsertSqls.set(rows, text)
  }
  return text
}

/**
 * Writes the responses the messages carry, merged with what the repository already holds of them, and brings the
 * cost of each conversation they belong to up to date. Messages without usage are passed over.
 */
export async function upsertUsage(
  trx: Transaction<Database>,
  messages: readonly MessageInput[],
  prices: PriceBook,
): Promise<void> {
  const byId = new Map<string, Merged>()
  for (const m of messages) {
    if (m.usage === undefined) continue
    const next = rowOf(m, m.usage)
    const key = keyOf(next.row.conversation_id, next.row.response_key)
    const seen = byId.get(key)
    if (seen) mergeInto(seen, next)
    else byId.set(key, next)
  }
  if (byId.size === 0) return
  await mergeWithHeld(trx, byId)
  await fillMissingTimes(trx, byId)
  for (const part of statementSizedParts([...byId.values()].map((m) => priced(m.row, prices)))) {
    const parameters = part.flatMap((r) => COLUMNS.map((c) => r[c]))
    await trx.executeQuery(CompiledQuery.raw(upsertSql(part.length), parameters))
  }
  await refreshConversationCosts(trx, [...new Set([...byId.values()].map((m) => m.row.conversation_id))])
}

/**
 * The held rows' figures count too: a resumed read may bring only the last lines of a response. The held message
 * stays the response's message when its snapshot is the later one (more output).
 */
async function mergeWithHeld(trx: Transaction<Database>, byId: Map<string, Merged>): Promise<void> {
  const keysByConversation = new Map<string, string[]>()
  for (const { row } of byId.values()) {
    const keys = keysByConversation.get(row.conversation_id)
    if (keys) keys.push(row.response_key)
    else keysByConversation.set(row.conversation_id, [row.response_key])
  }
  for (const [conversationId, responseKeys] of keysByConversation)
    for (const keys of chunks(responseKeys)) {
      const held = await trx
        .selectFrom('usage')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('response_key', 'in', keys)
        .execute()
      for (const { cost: _cost, cost_uncached: _uncached, ...h } of held) {
        const incoming = byId.get(keyOf(h.conversation_id, h.response_key)) as Merged
        const heldIsLater = h.tokens_out > incoming.row.tokens_out
        mergeInto(incoming, { ordinal: Number.NEGATIVE_INFINITY, row: h })
        if (heldIsLater) Object.assign(incoming.row, { message_id: h.message_id, at: h.at })
      }
    }
}

/** A response whose messages have no time is placed at its conversation's last activity. */
async function fillMissingTimes(trx: Transaction<Database>, byId: Map<string, Merged>): Promise<void> {
  const untimed = [...byId.values()].filter((m) => Number.isNaN(m.row.at))
  if (untimed.length === 0) return
  const ids = [...new Set(untimed.map((m) => m.row.conversation_id))]
  const times = new Map<string, number>()
  for (const part of chunks(ids)) {
    const rows = await trx
      .selectFrom('conversations')
      .select(['id', 'last_activity_at'])
      .where('id', 'in', part)
      .execute()
    for (const r of rows) times.set(r.id, r.last_activity_at)
  }
  for (const m of untimed) m.row.at = times.get(m.row.conversation_id) ?? 0
}

/**
 * A conversation with usage rows costs what they cost, and counts those without a price; only a row that changes
 * is written (and so appears in the change feed).
 */
export async function refreshConversationCosts(
  trx: Transaction<Database>,
  conversationIds: readonly string[],
): Promise<void> {
  const cost = sql`(SELECT round(coalesce(sum(u.cost), 0), 9) FROM usage u WHERE u.conversation_id = conversations.id)`
  const unpriced = sql`(SELECT count(*) FROM usage u WHERE u.conversation_id = conversations.id AND u.cost IS NULL)`
  for (const part of chunks(conversationIds))
    await trx
      .updateTable('conversations')
      .set({ cost: sql<number>`${cost}`, unpriced: sql<number>`${unpriced}` })
      .where('id', 'in', part)
      .where((eb) =>
        eb.or([sql<boolean>`cost IS NOT ${cost}`, sql<boolean>`unpriced IS NOT ${unpriced}`]).$castTo(),
      )
      .execute()
}
