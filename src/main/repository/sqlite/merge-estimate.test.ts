/** The merge a long prefix would cost, told from scanned rows and the two-letter prefix index, on real SQLite. */
import { sql } from 'kysely'
import { beforeEach, expect, it } from 'vitest'
import type { SearchTerm } from '../../../shared/search/search-query'
import type { Repository } from '../repository'
import { useScratch } from '../test-support/scratch'
import { parsedQuery, seedSearchDatasetWith } from '../test-support/search-dataset'
import { MergeEstimate } from './merge-estimate'
import { addToScratch, resetScratch } from './scratch-index'

const scratch = useScratch()
let repo: Repository

beforeEach(async () => {
  repo = scratch.open()
  // 30 rows start `co`: 10 with a `conn` word, 20 without; with the seed's own `co` words counted by the index.
  await seedSearchDatasetWith(repo, [
    ...Array.from({ length: 10 }, (_, i) => `connection ${i} zebra`),
    ...Array.from({ length: 20 }, (_, i) => `cobalt ${i} zebra`),
  ])
})

const term = (input: string): SearchTerm => parsedQuery(input).include[0]!

/** Scans the rows that have both `zebra` and a `co` word, as a scan of `zebra co…*` would. */
async function scanZebraRows(estimate: MergeEstimate): Promise<number> {
  await resetScratch(repo.db)
  const added = await addToScratch(
    repo.db,
    sql`SELECT m.pk, m.text FROM messages_fts JOIN messages m ON m.pk = messages_fts.rowid
      WHERE messages_fts MATCH 'zebra AND "co"*'`,
  )
  await estimate.see(added.low!, added.high!, added.count)
  return added.high!
}

it("takes a long prefix's share of the rows seen to every message its two letters start", async () => {
  const coMessages = (
    await sql<{ n: number }>`SELECT count(*) AS n FROM messages_fts WHERE messages_fts MATCH '"co"*'`.execute(
      repo.db,
    )
  ).rows[0]!.n
  expect(coMessages).toBeGreaterThan(30)
  const estimate = new MergeEstimate(repo.db, [term('conn*')])
  const top = await scanZebraRows(estimate)
  // A third of the zebra rows have a conn word; so, it is taken, of every co message, not of the zebra ones alone.
  expect(await estimate.postings(top)).toBeCloseTo(coMessages / 3, 5)
})

it('cannot tell the merge of a one-letter prefix, nor any before a row was seen', async () => {
  const oneLetter = new MergeEstimate(repo.db, [term('conn*'), term('c*')])
  expect(await oneLetter.postings(await scanZebraRows(oneLetter))).toBe(Infinity)
  expect(await new MergeEstimate(repo.db, [term('conn*')]).postings(1)).toBe(Infinity)
})
