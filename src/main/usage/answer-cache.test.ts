/**
 * answerCache on a real repository file: an unchanged database answers from what was kept; a write through the
 * repository, a write by another connection (another process's import), and a write while an answer was being
 * computed each make the next ask compute again.
 */
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { useScratch } from '../repository/test-support/scratch'
import { answerCache } from './answer-cache'
import { usageRankings } from './usage-queries'
import { writeResponses } from './usage-test-data'

const scratch = useScratch()
const t = (hour: number) => Date.UTC(2025, 5, 2, hour)

async function library() {
  const repo = scratch.open()
  await writeResponses(repo, [{ id: 'a' }], [{ conversation: 'a', at: t(1), cost: 2 }])
  const cache = answerCache(repo.db)
  let computed = 0
  const costliest = () =>
    cache.answer('rankings {}', async () => {
      computed++
      return (await usageRankings(repo.db, { filter: {} })).conversations.map((c) => [c.id, c.figures.cost])
    })
  return { repo, costliest, computed: () => computed, cache }
}

describe('answerCache', () => {
  it('answers again from what it kept while nothing is written', async () => {
    const { costliest, computed } = await library()
    expect(await costliest()).toEqual([['a', 2]])
    expect(await costliest()).toEqual([['a', 2]])
    expect(computed()).toBe(1)
  })

  it('computes again after a write through the repository', async () => {
    const { repo, costliest, computed } = await library()
    await costliest()
    await writeResponses(repo, [{ id: 'b' }], [{ conversation: 'b', at: t(2), cost: 5 }])
    expect(await costliest()).toEqual([
      ['b', 5],
      ['a', 2],
    ])
    expect(computed()).toBe(2)
  })

  it('computes again after another connection commits', async () => {
    const { repo, costliest } = await library()
    await costliest()
    const other = new BetterSqlite3(repo.file)
    scratch.defer(() => other.close())
    other.prepare(`UPDATE usage SET cost = 7 WHERE conversation_id = 'a'`).run()
    expect(await costliest()).toEqual([['a', 7]])
  })

  it('does not keep an answer computed while a write landed', async () => {
    const { repo, cache } = await library()
    let computed = 0
    const racing = () =>
      cache.answer('racing', async () => {
        computed++
        if (computed === 1) await repo.db.updateTable('usage').set({ cost: 3 }).execute()
        return computed
      })
    expect(await racing()).toBe(1)
    expect(await racing()).toBe(2)
    expect(await racing()).toBe(2)
  })
})
