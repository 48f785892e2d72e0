/**
 * Rebuilds a state database from its eventlog before LiveStore opens the store, as LiveStore's own `recreateDb`
 * does, but in one transaction. LiveStore 0.4.0 rebuilds a missing state with each statement committed on its own,
 * and each commit writes and syncs a rollback journal: in a page's OPFS, 20,000 events took 203 s (bench ui, large),
 * five times a fresh profile's first sync; in the main process's files, 178 s. The same functions in one
 * transaction write each page once. What is built is what LiveStore would build (its migrations, its materialisers,
 * its changeset rows), so LiveStore then finds the state whole and opens it as it is. The runners (the page's OPFS,
 * the main process's files) open the two databases with LiveStore's own SQLite.
 */
import type { BootStatus, SqliteDb } from '@livestore/common'
import { configureConnection, makeMaterializeEvent, recreateDb } from '@livestore/common/leader-thread'
import { SystemTables } from '@livestore/common/schema'
import { Effect, Exit, Queue } from '@livestore/utils/effect'
import { schema } from './schema'

/** How far a rebuild is, as LiveStore reports its own (events materialised of the eventlog's). */
export type RebuildProgress = (done: number, total: number) => void

export const rebuildStateInOneTransaction = (
  dbState: SqliteDb,
  dbEventlog: SqliteDb,
  onProgress: RebuildProgress = () => {},
) =>
  Effect.gen(function* () {
    // Before the transaction: SQLite ignores the foreign-keys setting inside one, and LiveStore materialises with it on.
    yield* configureConnection(dbState, { foreignKeys: true })
    const materializeEvent = yield* makeMaterializeEvent({ schema, dbState, dbEventlog })
    // LiveStore reports its progress on a queue; the newest report is passed on whenever the rebuild yields.
    const bootStatusQueue = yield* Queue.sliding<BootStatus>(1)
    yield* Queue.take(bootStatusQueue).pipe(
      Effect.tap((status) =>
        Effect.sync(
          () => status.stage === 'rehydrating' && onProgress(status.progress.done, status.progress.total),
        ),
      ),
      Effect.forever,
      Effect.forkScoped,
    )
    // Said at once, before the migrations: the page shows the repair from its start rather than its read's error.
    const total = dbEventlog.select<{ n: number }>(
      `SELECT count(*) AS n FROM ${SystemTables.EVENTLOG_META_TABLE}`,
    )[0]?.n
    onProgress(0, total ?? 0)
    dbState.execute('BEGIN TRANSACTION')
    yield* recreateDb({ dbState, dbEventlog, schema, bootStatusQueue, materializeEvent }).pipe(
      Effect.onExit((exit) =>
        Effect.sync(() => dbState.execute(Exit.isSuccess(exit) ? 'COMMIT' : 'ROLLBACK')),
      ),
    )
  }).pipe(Effect.scoped)
