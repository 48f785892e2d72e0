/**
 * A change of price table, as `chronicle prices use|reset` and the Settings make it: the new table checked whole
 * before anything changes, kept in the data directory (price-choice.ts), every stored response priced again
 * (recompute-costs.ts), and the change recorded in the audit trail as a `v1.PricesChanged` event by whoever holds
 * the store. A recompute that fails puts the previous choice back, so the table kept and the costs stored never
 * disagree.
 */
import { fail, ok, type Result } from '../../shared/result'
import type { Repository } from '../repository/repository'
import type { WriteOrigin } from '../repository/writes'
import { loadBundledPriceBook, type LoadedPriceBook } from './price-book'
import {
  clearPriceChoice,
  loadPriceChoice,
  readPriceFile,
  savePriceChoice,
  snapshotPriceChoice,
  type PriceChoiceErrorCode,
} from './price-choice'
import { recomputeCosts } from './recompute-costs'

/** A price table as the UI, the command line and the audit event describe it. */
export interface PriceTableInfo {
  readonly source: string
  readonly date: string
  readonly models: number
  readonly sha256: string
  readonly bundled: boolean
}

export interface PriceChange {
  readonly before: PriceTableInfo
  readonly after: PriceTableInfo
  /** Responses and conversations whose cost changed, and how long the recompute took. */
  readonly responses: number
  readonly conversations: number
  readonly ms: number
}

/** The `v1.PricesChanged` event's own fields (the caller adds at, device, actor and origin). */
export type PricesChanged = Pick<PriceTableInfo, 'source' | 'date' | 'sha256' | 'models'>

export type PriceChangeErrorCode = PriceChoiceErrorCode | 'PRICE_CHANGE_FAILED' | 'PRICE_CHANGE_NOT_RECORDED'

export interface PriceChangeContext {
  readonly dataDir: string
  readonly repository: Repository
  readonly origin: WriteOrigin
  /** Commits the audit event; the change is already made when it is called. */
  readonly record: (change: PricesChanged) => Promise<void>
}

export const tableInfo = (book: LoadedPriceBook): PriceTableInfo => ({
  source: book.source,
  date: book.date,
  models: book.models,
  sha256: book.sha256,
  bundled: book.bundled,
})

async function change(
  context: PriceChangeContext,
  to: LoadedPriceBook,
  keep: () => void,
): Promise<Result<PriceChange, PriceChangeErrorCode>> {
  const before = tableInfo(loadPriceChoice(context.dataDir).book)
  const restore = snapshotPriceChoice(context.dataDir)
  let recomputed
  try {
    keep()
    recomputed = await recomputeCosts(context.repository, to, context.origin)
  } catch (error) {
    restore()
    return fail('PRICE_CHANGE_FAILED', `The prices were not changed: ${String(error)}`)
  }
  const after = tableInfo(to)
  try {
    await context.record({
      source: after.source,
      date: after.date,
      sha256: after.sha256,
      models: after.models,
    })
  } catch (error) {
    return fail(
      'PRICE_CHANGE_NOT_RECORDED',
      `The prices changed and costs were recomputed, but the audit trail could not record it: ${String(error)}`,
    )
  }
  return ok({ before, after, ...recomputed })
}

/** Uses the LiteLLM price file at `path` from now on, once it is checked. */
export async function usePriceFile(
  context: PriceChangeContext,
  path: string,
): Promise<Result<PriceChange, PriceChangeErrorCode>> {
  const chosen = readPriceFile(path)
  if (!chosen.ok) return chosen
  return change(context, chosen.value.book, () => savePriceChoice(context.dataDir, chosen.value))
}

/** Back to the table Chronicle ships with. */
export function useBundledPrices(
  context: PriceChangeContext,
): Promise<Result<PriceChange, PriceChangeErrorCode>> {
  return change(context, loadBundledPriceBook(), () => clearPriceChoice(context.dataDir))
}
