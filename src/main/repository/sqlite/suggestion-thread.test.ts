/** "Did you mean" on the worker thread, over a real SQLite file, against the same answers on the calling thread. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Repository } from '../repository'
import { useScratch } from '../test-support/scratch'
import { suggestCorrections } from './search-suggestions'
import { suggestionThread } from './suggestion-thread'

const scratch = useScratch()

async function filled(dataDir: string): Promise<Repository> {
  const repo = scratch.open({ dataDir, suggestOnWorker: true })
  await repo.write('import', async (w) => {
    await w.upsertConversations([{ id: 'c', source: 'roo', sourceId: 'c', title: 'Work', createdAt: 1 }])
    await w.upsertMessages(
      ['migration', 'migration', 'migration', 'migrations', 'another'].map((text, ordinal) => ({
        id: `m-${ordinal}`,
        conversationId: 'c',
        ordinal,
        role: 'user' as const,
        text: `${text} ${ordinal}`,
      })),
    )
  })
  return repo
}

const queries = (answer: readonly { readonly query: string }[]) => answer.map((s) => s.query)

describe('suggestions on a worker thread', () => {
  it('answers as the calling thread would, from its own connection', async () => {
    const repo = await filled(scratch.dir())
    const inline = await suggestCorrections(repo.db, 'migraton')
    expect(queries(inline)).toEqual(['migration', 'migrations'])
    expect(await repo.suggest('migraton')).toEqual(inline)
    expect(queries(await repo.suggest('anothr', { asYouType: true }))).toEqual(['another'])
    const searched = await repo.search('migraton', { limit: 50 })
    expect(searched.ok && queries(searched.value.suggestions)).toEqual(['migration', 'migrations'])
  })

  it('counts what its worker answered', async () => {
    const repo = await filled(scratch.dir())
    const suggester = suggestionThread({ databaseFile: repo.file, busyTimeoutMs: 1_000 })
    scratch.defer(() => suggester.close())
    expect(queries(await suggester.suggest('migraton'))).toEqual(['migration', 'migrations'])
    expect(queries(await suggester.suggest('anothr', { asYouType: true }))).toEqual(['another'])
    expect(suggester.answered()).toBe(2)
  })

  it('sees what the main connection committed since it started', async () => {
    const repo = await filled(scratch.dir())
    expect(await repo.suggest('zebraa')).toEqual([])
    await repo.write('import', (w) =>
      w.upsertMessages([{ id: 'z', conversationId: 'c', ordinal: 9, role: 'user', text: 'zebras' }]),
    )
    expect(queries(await repo.suggest('zebraa'))).toEqual(['zebras'])
  })

  it('gives no suggestions, and no error, when its worker cannot open the database', async () => {
    const suggester = suggestionThread({
      databaseFile: join(scratch.dir(), 'missing.sqlite'),
      busyTimeoutMs: 0,
    })
    scratch.defer(() => suggester.close())
    expect(await suggester.suggest('migraton')).toEqual([])
    expect(await suggester.suggest('migraton')).toEqual([])
    expect(suggester.answered()).toBe(0)
  })

  it('gives none once the repository is closed, without starting a worker again', async () => {
    const repo = await filled(scratch.dir())
    expect(queries(await repo.suggest('migraton'))).toEqual(['migration', 'migrations'])
    const pending = repo.suggest('migraton')
    await repo.close()
    expect(await pending).toEqual([])
    expect(await repo.suggest('migraton')).toEqual([])
  })

  it('ends a worker that does not answer in time, gives no suggestions, and answers with the next one', async () => {
    // Bad input: a worker that cannot answer within the deadline (1 ms is shorter than its start).
    const repo = await filled(scratch.dir())
    const limits = { answerWithinMs: 1 }
    const suggester = suggestionThread({ databaseFile: repo.file, busyTimeoutMs: 1_000 }, limits)
    scratch.defer(() => suggester.close())
    expect(await suggester.suggest('migraton')).toEqual([])
    limits.answerWithinMs = 30_000
    expect(queries(await suggester.suggest('migraton'))).toEqual(['migration', 'migrations'])
    expect(suggester.answered()).toBe(1)
  })

  it('stops starting workers after three that did not answer in time', async () => {
    const repo = await filled(scratch.dir())
    const limits = { answerWithinMs: 1 }
    const suggester = suggestionThread({ databaseFile: repo.file, busyTimeoutMs: 1_000 }, limits)
    scratch.defer(() => suggester.close())
    for (let i = 0; i < 3; i++) expect(await suggester.suggest('migraton')).toEqual([])
    // Each was ended: a worker kept alive would answer this one.
    limits.answerWithinMs = 30_000
    expect(await suggester.suggest('migraton')).toEqual([])
    expect(suggester.answered()).toBe(0)
  })
})
