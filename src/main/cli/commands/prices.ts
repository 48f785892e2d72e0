/**
 * `chronicle prices [use FILE | reset]`: which price table costs are computed with, and changing it (a newer
 * LiteLLM `model_prices_and_context_window.json`, or back to the bundled one). A change recomputes every stored
 * cost and is recorded in the audit trail as a `v1.PricesChanged` event, which takes the library's LiveStore store:
 * while the app or `chronicle serve` holds the data directory, the command refuses, names the holder and points
 * at its Settings, which make the same change there. Otherwise it takes the data directory's lock for the change
 * and the event, as the audit commands' catch-up does (trail-catch-up.ts).
 */
import { tryLockDataDir } from '../../data-dir-lock'
import { fileLogger } from '../../logger'
import { openRepository } from '../../repository/repository'
import {
  useBundledPrices,
  usePriceFile,
  type PriceChange,
  type PricesChanged,
} from '../../usage/price-change'
import { loadPriceChoice } from '../../usage/price-choice'
import { EXIT, UsageError, type CommandContext } from '../command-context'
import { formatInt } from '../terminal'

const describe = (table: { bundled: boolean; source: string }) =>
  `${table.bundled ? 'bundled table: ' : 'chosen file: '}${table.source}`

function show(context: CommandContext): number {
  const { book, problem } = loadPriceChoice(context.options.dataDir)
  const { out, err } = context.output
  const table = {
    source: book.source,
    date: book.date,
    models: book.models,
    sha256: book.sha256,
    bundled: book.bundled,
    problem,
  }
  if (context.options.json) {
    out(JSON.stringify(table))
    return EXIT.ok
  }
  if (problem) err(`chronicle prices: ${problem}`)
  out(`Prices: ${describe(book)}`)
  out(`Date:   ${book.date}`)
  out(`Models: ${formatInt(book.models)}`)
  out(`SHA-256: ${book.sha256}`)
  return EXIT.ok
}

/** Commits the event through the library's store, started here as the trail catch-up starts it, then stopped. */
function recordWith(context: CommandContext, repository: ReturnType<typeof openRepository>) {
  return async (change: PricesChanged) => {
    const { startSyncRuntime } = await import('../../sync/sync-runtime')
    const { events } = await import('../../../shared/livestore/events')
    const runtime = await startSyncRuntime({
      dataDir: context.options.dataDir,
      repository,
      kind: 'cli',
      log: fileLogger(context.options.dataDir),
    })
    try {
      const meta = { at: Date.now(), deviceId: runtime.device.id, actor: 'user', origin: 'ui' as const }
      await runtime.store.commit([events.pricesChanged({ ...meta, ...change })])
    } finally {
      // Stopping drains the bridge too: the conversations whose cost moved reach the trail with the event.
      await runtime.close()
    }
  }
}

function report(context: CommandContext, change: PriceChange): void {
  const { out } = context.output
  if (context.options.json) {
    out(JSON.stringify(change))
    return
  }
  out(
    `Prices were: ${describe(change.before)} (${change.before.date}, ${formatInt(change.before.models)} models)`,
  )
  out(
    `Prices are:  ${describe(change.after)} (${change.after.date}, ${formatInt(change.after.models)} models)`,
  )
  out(
    `Costs recomputed in ${(change.ms / 1000).toFixed(1)} s: ${formatInt(change.responses)} responses and ` +
      `${formatInt(change.conversations)} conversations changed.`,
  )
}

async function change(
  context: CommandContext,
  sub: 'use' | 'reset',
  file: string | undefined,
): Promise<number> {
  const { dataDir } = context.options
  const lock = tryLockDataDir(dataDir, `chronicle prices ${sub}`)
  if (!lock.locked) {
    const { holder, pid } = lock.heldBy
    context.output.err(
      `chronicle prices ${sub}: ${holder} (pid ${pid}) holds this library; change the prices in its Settings ` +
        `(Prices), or stop it and run this command again`,
    )
    return EXIT.failure
  }
  try {
    const repository = openRepository({ dataDir, prices: loadPriceChoice(dataDir).book })
    try {
      const changeContext = {
        dataDir,
        repository,
        origin: 'cli' as const,
        record: recordWith(context, repository),
      }
      const result =
        sub === 'use' ? await usePriceFile(changeContext, file ?? '') : await useBundledPrices(changeContext)
      if (!result.ok) {
        context.output.err(`chronicle prices ${sub}: ${result.error.message}`)
        return EXIT.failure
      }
      report(context, result.value)
      return EXIT.ok
    } finally {
      await repository.close()
    }
  } finally {
    lock.release()
  }
}

export async function pricesCommand(context: CommandContext): Promise<number> {
  const [sub, ...operands] = context.args
  if (sub === undefined) return show(context)
  if (sub === 'reset') return change(context, 'reset', undefined)
  if (operands.length !== 1)
    throw new UsageError(`prices use takes one FILE (a LiteLLM model_prices_and_context_window.json)`)
  return change(context, 'use', operands[0])
}
