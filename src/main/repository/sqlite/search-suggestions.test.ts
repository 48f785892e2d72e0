/** "Did you mean" over a real SQLite file and its real FTS5 index. */
import { beforeEach, describe, expect, it } from 'vitest'
import type { Repository } from '../repository'
import { useScratch } from '../test-support/scratch'
import type { MessageInput } from '../writes'
import { suggestCorrections, type SearchAnswer } from './search-suggestions'

const scratch = useScratch()
let repo: Repository

/**
 * Word counts chosen so that frequency decides: "migration" is in 8 messages, "migrations" in 3, "migrating" in 1
 * (all within two edits of "migraton"); "élève" in 6 (to be found from "eleev" and "élèev"); "kubernetes" in 5.
 */
const texts: readonly string[] = [
  ...Array.from({ length: 8 }, (_, i) => `the database migration number ${i} ran`),
  ...Array.from({ length: 3 }, (_, i) => `two migrations pending ${i}`),
  'migrating is another word',
  ...Array.from({ length: 6 }, (_, i) => `un élève lit ${i}`),
  ...Array.from({ length: 5 }, (_, i) => `kubernetes pool ${i}`),
  'the connection pool',
]

beforeEach(async () => {
  repo = scratch.open()
  const messages: MessageInput[] = texts.map((text, ordinal) => ({
    id: `m-${ordinal}`,
    conversationId: ordinal < 12 ? 'db' : 'other',
    ordinal,
    role: 'user',
    text,
    createdAt: Date.parse('2025-03-01T00:00:00Z') + ordinal,
  }))
  await repo.write('import', async (w) => {
    await w.upsertConversations([
      { id: 'db', source: 'roo', sourceId: 'db', title: 'Database work', createdAt: 1 },
      { id: 'other', source: 'cline', sourceId: 'other', title: 'Other things', createdAt: 2 },
    ])
    await w.upsertMessages(messages)
  })
})

async function search(query: string, asYouType = false): Promise<SearchAnswer> {
  const result = await repo.search(query, { limit: 50, asYouType })
  if (!result.ok) throw new Error(`${query}: ${result.error.code} ${result.error.message}`)
  return result.value
}

const suggested = async (query: string): Promise<string[]> =>
  (await search(query)).suggestions.map((s) => s.query)

describe('did you mean', () => {
  it('offers the index words within two edits of a misspelled word, the most frequent first', async () => {
    expect(await suggested('migraton')).toEqual(['migration', 'migrations', 'migrating'])
    const [best] = (await search('migraton')).suggestions
    expect(best?.corrections).toEqual([{ word: 'migraton', suggestion: 'migration' }])
  })

  it('counts a swap of two neighbouring letters as one edit', async () => {
    expect(await suggested('mirgation')).toContain('migration')
  })

  it('finds a slip in the first two letters when none after them is near', async () => {
    expect(await suggested('nigration')).toContain('migration')
    expect(await suggested('igration')).toContain('migration')
    expect(await suggested('xmigration')).toContain('migration')
    expect(await suggested('mgration')).toContain('migration')
    expect(await suggested('mogration')).toContain('migration')
  })

  it('offers nothing three edits away', async () => {
    expect(await suggested('mgrtn')).toEqual([])
  })

  it('ignores accents and case both ways', async () => {
    expect(await suggested('eleev')).toEqual(['eleve'])
    expect(await suggested('ÉLÈEV')).toEqual(['eleve'])
    // What it suggests finds the accented word, because the index ignores accents too.
    expect((await search('eleve')).hits).toHaveLength(6)
  })

  it('suggests nothing when the query finds 5 messages or more', async () => {
    const answer = await search('kubernetes')
    expect(answer.hits).toHaveLength(5)
    expect(answer.suggestions).toEqual([])
  })

  it('corrects a word found in fewer than 5 messages when a more frequent one is near', async () => {
    // "migrations" is in 3 messages: a real word, but "migration" is what most searches for it mean.
    const answer = await search('migrations')
    expect(answer.hits).toHaveLength(3)
    expect(answer.suggestions.map((s) => s.query)).toEqual(['migration'])
  })

  it('keeps filters, other words, exclusions and quotes as written', async () => {
    expect(await suggested('migraton source:roo -kubernetes')).toEqual([
      'migration source:roo -kubernetes',
      'migrations source:roo -kubernetes',
      'migrating source:roo -kubernetes',
    ])
    expect(await suggested('"database migraton"')).toEqual(['"database migration"'])
  })

  it('drops a correction that would find nothing with the rest of the query', async () => {
    // Only the "other" conversation is a Cline one, and no migration is in it.
    expect(await suggested('migraton source:cline')).toEqual([])
    // "migrating" is the only near word that occurs with "another".
    expect(await suggested('migraton another')).toEqual(['migrating another'])
  })

  it('corrects several words at once', async () => {
    const answer = await search('kubernets pol')
    expect(answer.suggestions[0]).toEqual({
      query: 'kubernetes pool',
      corrections: [
        { word: 'kubernets', suggestion: 'kubernetes' },
        { word: 'pol', suggestion: 'pool' },
      ],
    })
  })

  it('leaves short words, numbers and CJK alone', async () => {
    expect(await suggested('un')).toEqual([])
    expect(await suggested('12345')).toEqual([])
    expect(await suggested('数据')).toEqual([])
  })

  it('takes a prefix that some word starts with as meant, and corrects one that none does', async () => {
    expect(await suggested('anoth*')).toEqual([])
    expect(await suggested('anothr*')).toEqual(['another*'])
  })

  it('as you type, leaves them out of the answer and reads the last word as a prefix when asked', async () => {
    expect((await search('anothr', true)).suggestions).toEqual([])
    const asked = async (query: string) =>
      (await suggestCorrections(repo.db, query, { asYouType: true })).map((s) => s.query)
    expect(await asked('anoth')).toEqual([])
    expect(await asked('anothr')).toEqual(['another'])
    expect(await asked('mgiration')).toEqual(['migration', 'migrations'])
  })

  it('suggests only on a first page that holds the whole answer', async () => {
    // "migrations" is in 3 messages; two pages of 2 and 1 never say how many there are in all on one page.
    const first = await repo.search('migrations', { limit: 2 })
    if (!first.ok) throw new Error(first.error.message)
    expect(first.value.hits).toHaveLength(2)
    expect(first.value.suggestions).toEqual([])
    const second = await repo.search('migrations', { limit: 2, cursor: first.value.nextCursor })
    if (!second.ok) throw new Error(second.error.message)
    expect(second.value.hits).toHaveLength(1)
    expect(second.value.suggestions).toEqual([])
  })

  it('sees words written after the first suggestion (the vocabulary is read live)', async () => {
    expect(await suggested('zebraa')).toEqual([])
    await repo.write('import', (w) =>
      w.upsertMessages([{ id: 'z', conversationId: 'other', ordinal: 99, role: 'user', text: 'zebras' }]),
    )
    expect(await suggested('zebraa')).toEqual(['zebras'])
  })
})
