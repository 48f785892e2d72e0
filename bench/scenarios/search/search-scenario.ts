/**
 * Scenario `search`: a realistic history (10,000 conversations, about a million messages by default) written
 * through the repository, then measured: insert throughput, bytes per message, search latency, and the same
 * queries answered the ways other tools answer them (LIKE scans, Fuse.js over titles).
 */
import { sql } from 'kysely'
import { openRepository } from '../../../src/main/repository/repository'
import { createTempDir } from '../../lib/temp-dir'
import { collectGarbage } from '../../lib/timing'
import { benchQueries } from '../query-set'
import type { Scenario, ScenarioContext, ScenarioOutput } from '../scenario'
import { databaseSize } from './database-size'
import { measureFuse } from './fuse-peer'
import { insertCorpus } from './insert-corpus'
import { measureLike } from './like-peer'
import { measureOurSearch } from './our-search'
import { searchTables } from './search-tables'
import { measureTyping, TYPING_QUERIES } from './typing'

export const SEARCH_RUNS = { ours: 50, like: 5, fuse: 20, typing: 5 } as const

async function run(context: ScenarioContext): Promise<ScenarioOutput> {
  const dir = createTempDir('search', context.keep)
  const repo = openRepository({ dataDir: dir.path })
  try {
    const version = await sql<{ v: string }>`SELECT sqlite_version() AS v`.execute(repo.db)
    const sqliteVersion = version.rows[0]?.v ?? 'unknown'
    context.log(`search: inserting ${context.conversations} conversations into ${repo.file}`)
    const insert = await insertCorpus(repo, context)
    context.log(`search: ${insert.messages} messages at ${insert.messagesPerSecond}/s; measuring size`)
    const size = await databaseSize(repo.db, repo.file, insert.messages)
    collectGarbage()
    const queries = benchQueries()
    context.log(`search: timing our search (${SEARCH_RUNS.ours} runs per query)`)
    const ours = await measureOurSearch(repo, queries, SEARCH_RUNS.ours)
    context.log(`search: typing ${TYPING_QUERIES.length} queries key by key (${SEARCH_RUNS.typing} runs)`)
    const typing = await measureTyping(repo, SEARCH_RUNS.typing)
    context.log(`search: timing LIKE (${SEARCH_RUNS.like} runs per query)`)
    const like = await measureLike(repo.db, queries, SEARCH_RUNS.like, context.log)
    context.log(`search: timing Fuse.js over titles (${SEARCH_RUNS.fuse} runs per query)`)
    const fuse = await measureFuse(repo.db, queries, SEARCH_RUNS.fuse)
    const figures = { runs: SEARCH_RUNS, insert, size, ours, typing, like, fuse }
    return { sqliteVersion, figures, tables: searchTables(figures) }
  } finally {
    await repo.close()
    context.log(`search: ${dir.dispose()}`)
  }
}

export const searchScenario: Scenario = {
  name: 'search',
  summary: 'insert throughput, bytes per message, search latency against LIKE and Fuse.js',
  defaultSize: 'large',
  run,
}
