/** What the import tests ask of a real repository: write imported conversations, and count the change feed. */
import type { Repository } from '../../repository/repository'
import type { ImportedConversation } from '../source-adapter'

/** Writes adapter output the way the engine does, in one import transaction. */
export const writeImported = (repo: Repository, imported: readonly ImportedConversation[]) =>
  repo.write('import', async (w) => {
    await w.upsertConversations(imported.map((c) => c.conversation))
    for (const c of imported) await w.upsertMessages(c.messages)
  })

/** Rows in the change feed: unchanged after a write means the write was a no-op. */
export async function changeCount(repo: Repository): Promise<number> {
  const row = await repo.db
    .selectFrom('changes')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Rows in a table, counted in SQL. */
export async function rowCount(
  repo: Repository,
  table: 'conversations' | 'messages' | 'changes' | 'hub_events',
): Promise<number> {
  const row = await repo.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}
