/**
 * Scenario `suggestions`: what "Did you mean" costs, on the search scenario's corpus (a million messages at size
 * large). The normal path must not pay for it; the suggesting path is measured on its own.
 */
import { sql } from 'kysely'
import { openRepository } from '../../../src/main/repository/repository'
import { createTempDir } from '../../lib/temp-dir'
import type { Scenario, ScenarioContext, ScenarioOutput } from '../scenario'
import { insertCorpus } from '../search/insert-corpus'
import { measureSuggestions } from './measure-suggestions'
import { suggestionTables } from './suggestion-tables'

const RUNS = 30
/** As the app runs them (suggestion-thread.ts); BENCH_SUGGEST_INLINE=1 times them on the calling thread instead. */
const ON_WORKER = process.env.BENCH_SUGGEST_INLINE !== '1'

async function run(context: ScenarioContext): Promise<ScenarioOutput> {
  const dir = createTempDir('suggestions', context.keep)
  const repo = openRepository({ dataDir: dir.path, suggestOnWorker: ON_WORKER })
  try {
    const version = await sql<{ v: string }>`SELECT sqlite_version() AS v`.execute(repo.db)
    context.log(`suggestions: inserting ${context.conversations} conversations into ${repo.file}`)
    const insert = await insertCorpus(repo, context)
    context.log(
      `suggestions: ${insert.messages} messages; timing (${RUNS} runs per query, suggestions ${ON_WORKER ? 'on a worker' : 'inline'})`,
    )
    const figures = {
      messages: insert.messages,
      suggestionsOn: ON_WORKER ? 'worker' : 'inline',
      ...(await measureSuggestions(repo, RUNS)),
    }
    return { sqliteVersion: version.rows[0]?.v ?? 'unknown', figures, tables: suggestionTables(figures) }
  } finally {
    await repo.close()
    context.log(`suggestions: ${dir.dispose()}`)
  }
}

export const suggestionsScenario: Scenario = {
  name: 'suggestions',
  summary: '"Did you mean": the normal path with and without it, and the suggesting path on misspelled words',
  defaultSize: 'large',
  run,
}
