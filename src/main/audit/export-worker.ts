/**
 * An export worker: it opens its own read-only connection to the repository, then reads, formats and encodes
 * each window it is sent and hands the bytes back without a copy, so the exporting thread only hashes and
 * writes.
 */
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { parentPort, workerData } from 'node:worker_threads'
import type { Database } from '../repository/database-schema'
import type { SeqWindow } from './audit-query'
import { windowExporter, type WindowSetup } from './window-export'

export interface WorkerSetup extends WindowSetup {
  readonly databaseFile: string
  readonly cacheKiB: number
}

const setup = workerData as WorkerSetup
const sqlite = new BetterSqlite3(setup.databaseFile, { readonly: true, fileMustExist: true })
sqlite.pragma(`cache_size = -${setup.cacheKiB}`)
const exportWindow = windowExporter(
  new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }),
  setup,
)

parentPort?.on('message', (task: { id: number; window: SeqWindow }) => {
  exportWindow(task.window).then(
    (result) => parentPort?.postMessage({ id: task.id, result }, [result.bytes.buffer as ArrayBuffer]),
    (error: unknown) =>
      parentPort?.postMessage({ id: task.id, error: error instanceof Error ? error.message : String(error) }),
  )
})
