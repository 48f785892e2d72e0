/**
 * Scenario `tokenizer`: our tokenizer (unicode61 remove_diacritics 2, with CJK split into characters) against
 * trigram remove_diacritics 1, on the same corpus in two otherwise identical databases: index bytes, insert
 * throughput, query latency, and recall on accented and CJK words. These are the figures behind migration 0003.
 */
import BetterSqlite3 from 'better-sqlite3'
import { corpusBatches } from '../../corpus/corpus'
import { createTempDir } from '../../lib/temp-dir'
import { collectGarbage } from '../../lib/timing'
import { MESSAGES_PER_BATCH, type Scenario, type ScenarioContext, type ScenarioOutput } from '../scenario'
import { benchQueries } from '../query-set'
import { openVariantDb, oursVariant, trigramVariant, type DocRow, type VariantDb } from './fts-variant'
import { createTruthCollector, recallProbes, type TruthCollector } from './recall'
import { measureVariant, type VariantFigures } from './variant-figures'
import { tokenizerTables } from './tokenizer-tables'

/** Trigram needs SQLite 3.34; its remove_diacritics option needs 3.45. */
function checkTrigramSupport(): string {
  const db = new BetterSqlite3(':memory:')
  try {
    const version = String(db.prepare('SELECT sqlite_version()').pluck().get())
    db.exec(`CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram remove_diacritics 1')`)
    return version
  } catch (error) {
    throw new Error(`This SQLite cannot build a trigram remove_diacritics index: ${String(error)}`)
  } finally {
    db.close()
  }
}

interface InsertTotals {
  messages: number
  textChars: number
  readonly writeMs: Map<VariantDb, number>
}

function insertCorpus(
  context: ScenarioContext,
  dbs: readonly VariantDb[],
  truth: TruthCollector,
): InsertTotals {
  const totals: InsertTotals = { messages: 0, textChars: 0, writeMs: new Map(dbs.map((d) => [d, 0])) }
  const conversations = new Map<string, string>()
  const spec = {
    seed: context.seed,
    conversations: context.conversations,
    messagesPerBatch: MESSAGES_PER_BATCH,
  }
  for (const batch of corpusBatches(spec, context.vocab)) {
    for (const c of batch.conversations) conversations.set(c.id, c.source)
    const rows: DocRow[] = batch.messages.map((m) => ({
      pk: ++totals.messages,
      text: m.text,
      source: conversations.get(m.conversationId) ?? 'unknown',
      createdAt: m.createdAt ?? 0,
    }))
    for (const r of rows) {
      truth.observe(r.pk, r.text)
      totals.textChars += r.text.length
    }
    for (const db of dbs) {
      const started = performance.now()
      db.insert(rows)
      totals.writeMs.set(db, (totals.writeMs.get(db) ?? 0) + performance.now() - started)
    }
    if (totals.messages % (MESSAGES_PER_BATCH * 20) === 0) {
      context.log(`  tokenizer: inserted ${totals.messages} messages`)
      collectGarbage()
    }
  }
  return totals
}

async function run(context: ScenarioContext): Promise<ScenarioOutput> {
  const sqliteVersion = checkTrigramSupport()
  const dir = createTempDir('tokenizer', context.keep)
  const dbs = [openVariantDb(dir.path, oursVariant()), openVariantDb(dir.path, trigramVariant())]
  try {
    const probes = recallProbes()
    const truth = createTruthCollector(probes)
    context.log(`tokenizer: inserting ${context.conversations} conversations into ${dir.path}`)
    const totals = insertCorpus(context, dbs, truth)
    const queries = benchQueries()
    const variants: VariantFigures[] = []
    for (const db of dbs) {
      context.log(`tokenizer: measuring ${db.variant.name}`)
      variants.push(
        await measureVariant(db, totals.messages, totals.writeMs.get(db) ?? 0, queries, probes, truth),
      )
    }
    const figures = { messages: totals.messages, textMiB: Math.round(totals.textChars / 2 ** 20), variants }
    return { sqliteVersion, figures, tables: tokenizerTables(figures) }
  } finally {
    for (const db of dbs) db.close()
    context.log(`tokenizer: ${dir.dispose()}`)
  }
}

export const tokenizerScenario: Scenario = {
  name: 'tokenizer',
  summary: 'unicode61 + CJK splitting against trigram: size, insert speed, latency, recall',
  defaultSize: 'medium',
  run,
}
