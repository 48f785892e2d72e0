/**
 * The "Did you mean" worker: its own read-only connection to the repository's file (WAL lets it read beside the
 * main connection's writes, and each suggestion sees the last commit), so reading the index's vocabulary, which
 * takes hundreds of milliseconds for a common word at a million messages, never holds up the main thread.
 */
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { parentPort, workerData } from 'node:worker_threads'
import type { SearchSuggestion } from '../../../shared/api/contract'
import type { Database } from '../database-schema'
import type { SearchOptions } from './full-text-search'
import { suggestCorrections } from './search-suggestions'

export interface SuggestionWorkerSetup {
  readonly databaseFile: string
  readonly nativeBinding?: string
  readonly busyTimeoutMs: number
  readonly cacheKiB: number
}

export interface SuggestionRequest {
  readonly id: number
  readonly input: string
  readonly options: SearchOptions
}

export type SuggestionReply =
  | { readonly id: number; readonly suggestions: readonly SearchSuggestion[] }
  | { readonly id: number; readonly error: string }

const setup = workerData as SuggestionWorkerSetup
const sqlite = new BetterSqlite3(setup.databaseFile, {
  readonly: true,
  fileMustExist: true,
  ...(setup.nativeBinding !== undefined && { nativeBinding: setup.nativeBinding }),
})
sqlite.pragma(`busy_timeout = ${setup.busyTimeoutMs}`)
sqlite.pragma(`cache_size = -${setup.cacheKiB}`)
const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })

parentPort?.on('message', (request: SuggestionRequest) => {
  suggestCorrections(db, request.input, request.options).then(
    (suggestions) => parentPort?.postMessage({ id: request.id, suggestions } satisfies SuggestionReply),
    (error: unknown) =>
      parentPort?.postMessage({
        id: request.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies SuggestionReply),
  )
})
