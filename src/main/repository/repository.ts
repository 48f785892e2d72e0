/**
 * The SQL repository: Chronicle's system of record. This file composes the pieces; SQLite-specific work (opening,
 * migrations, full-text search) lives in ./sqlite so another dialect can stand in its place.
 */
import { Kysely, SqliteDialect, type Transaction } from 'kysely'
import { withStatementCache } from './sqlite/statement-cache'
import { join } from 'node:path'
import type { SearchSuggestion } from '../../shared/api/contract'
import type { ConversationSummary, Page, RepositoryStats } from '../../shared/domain'
import type { Result } from '../../shared/result'
import type { PriceBook } from '../../shared/usage/pricing'
import { ensureWritableDir } from '../data-dir'
import {
  getConversation,
  listConversations,
  repositoryStats,
  type ConversationWithMessages,
  type ListConversationsQuery,
  type QueryErrorCode,
} from './conversation-queries'
import type { Database } from './database-schema'
import type { SearchErrorCode, SearchOptions } from './sqlite/full-text-search'
import { searchWithSuggestions, type SearchAnswer } from './sqlite/search-suggestions'
import { sqliteMigrations } from './sqlite/migrations'
import { openSqlite } from './sqlite/open-sqlite'
import { inlineSuggester, suggestionThread } from './sqlite/suggestion-thread'
import { loadPriceChoice } from '../usage/price-choice'
import { writeTransaction, type RepositoryWriter, type WriteOrigin } from './writes'

export const DATABASE_FILE = 'chronicle.sqlite'

export interface RepositoryOptions {
  readonly dataDir: string
  readonly busyTimeoutMs?: number
  readonly now?: () => number
  readonly nativeBinding?: string
  /** The page cache in KiB; see OpenSqliteOptions. */
  readonly cacheKiB?: number
  /** Why opening takes a while, when an upgrade rebuilds an index; see OpenSqliteOptions. */
  readonly onLongUpgrade?: (message: string) => void
  /** Prices for the responses writes bring (usage-writes.ts); by default the data directory's chosen table. */
  readonly prices?: PriceBook
  /**
   * "Did you mean" on a worker thread with its own connection (suggestion-thread.ts), for the processes that serve
   * the app, whose one connection must not wait for it. Off, suggestions run on this connection: a one-shot command
   * or a test has nothing else to answer meanwhile, and would only pay for starting the worker.
   */
  readonly suggestOnWorker?: boolean
}

export interface Repository {
  readonly file: string
  /** Typed query builder for the modules that own further queries (bridge, importers); not for the UI. */
  readonly db: Kysely<Database>
  listConversations(
    query?: ListConversationsQuery,
  ): Promise<Result<Page<ConversationSummary>, QueryErrorCode>>
  getConversation(
    id: string,
    page?: { readonly cursor?: string | null; readonly limit?: number; readonly afterOrdinal?: number },
  ): Promise<Result<ConversationWithMessages | null, QueryErrorCode>>
  stats(): Promise<RepositoryStats>
  search(query: string, options?: SearchOptions): Promise<Result<SearchAnswer, SearchErrorCode>>
  /** "Did you mean" for `query` alone, computed on a worker thread; none when it cannot be computed. */
  suggest(query: string, options?: SearchOptions): Promise<SearchSuggestion[]>
  /** The price book writes cost new responses with; a price change swaps it and recomputes (usage/). */
  prices: PriceBook
  /** One transaction; `trx` is for the modules that own further tables (the importer's bookkeeping). */
  write<T>(
    origin: WriteOrigin,
    work: (writer: RepositoryWriter, trx: Transaction<Database>) => Promise<T>,
  ): Promise<T>
  close(): Promise<void>
}

export function openRepository(options: RepositoryOptions): Repository {
  ensureWritableDir(options.dataDir)
  const file = join(options.dataDir, DATABASE_FILE)
  const sqlite = openSqlite({ file, migrations: sqliteMigrations, ...options })
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) })
  let prices = options.prices ?? loadPriceChoice(options.dataDir).book
  const suggester = options.suggestOnWorker
    ? suggestionThread({
        databaseFile: file,
        busyTimeoutMs: Math.max(0, Math.floor(options.busyTimeoutMs ?? 5_000)),
        ...(options.nativeBinding !== undefined && { nativeBinding: options.nativeBinding }),
      })
    : inlineSuggester(db)
  return {
    file,
    db,
    get prices() {
      return prices
    },
    set prices(book) {
      prices = book
    },
    listConversations: (query = {}) => listConversations(db, query),
    getConversation: (id, page) => getConversation(db, id, page),
    stats: () => repositoryStats(db),
    search: (query, searchOptions) => searchWithSuggestions(db, query, searchOptions, suggester.suggest),
    suggest: (query, searchOptions) => suggester.suggest(query, searchOptions),
    write: (origin, work) => writeTransaction(db, prices, origin, work),
    async close() {
      await suggester.close()
      await db.destroy()
    },
  }
}

/** Opens a repository for one piece of work and closes it however the work ends. */
export async function usingRepository<T>(
  open: () => Repository,
  work: (repository: Repository) => Promise<T>,
): Promise<T> {
  const repository = open()
  try {
    return await work(repository)
  } finally {
    await repository.close()
  }
}
