/**
 * A machine whose database another process holds past the busy timeout (an import in another process, a backup
 * tool) waits and then syncs on: while the lock is held its relay counts the Worker as out of reach, never as
 * refusing the library, which would stop sync until the user acted. Found by the bench at large size, where the
 * library's writer held A's database for more than the 5 s busy timeout and A's relay said "refused: SqliteError:
 * database is locked" for good. Real Worker in workerd, real SQLite files.
 */
import BetterSqlite3 from 'better-sqlite3'
import { expect, it } from 'vitest'
import { importSources } from '../import/import-engine'
import { rooCodeAdapter } from '../import/sources/roo-cline'
import { samplesDir } from '../import/test-support/samples'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import { rename, sameChains, useRelayMachines } from './test-support/relay-machines'

const scratch = useScratch()
const { machine } = useRelayMachines(scratch, 'library-busy-database-test')

it('waits out a database another process holds, then takes what it missed, still connected', async () => {
  const a = await machine()
  const logged: string[] = []
  const b = await machine(undefined, undefined, { busyTimeoutMs: 200, log: (line) => logged.push(line) })
  await importSources(a.repository, [{ path: samplesDir('roo-code', 'tasks'), adapter: rooCodeAdapter }])
  await a.runtime.bridge.drain()
  await sameChains(a, b)
  const { id } = await a.repository.db
    .selectFrom('conversations')
    .select('id')
    .orderBy('id')
    .executeTakeFirstOrThrow()

  // Bad input: another connection holds B's write lock for longer than B's busy timeout while A's rename arrives.
  const holder = new BetterSqlite3(b.repository.file)
  holder.exec('BEGIN IMMEDIATE')
  try {
    await rename(a, id, 'Renamed while B is busy')
    const held = await until(
      () => b.runtime.relay!.status().connection,
      (connection) => connection.state !== 'connected',
      30_000,
    )
    expect(held).toMatchObject({ state: 'unreachable', reason: expect.stringMatching(/database is busy/) })
  } finally {
    holder.exec('ROLLBACK')
    holder.close()
  }

  await sameChains(a, b)
  await until(
    () => b.runtime.relay!.status().connection,
    (connection) => connection.state === 'connected' && connection.caughtUp,
    30_000,
  )
  expect(logged.filter((line) => line.includes('refused'))).toEqual([])
}, 90_000)
