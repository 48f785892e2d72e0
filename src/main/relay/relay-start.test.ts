/**
 * A relay that could not start says so, and `reconnect()` starts it again. Bad input: the replica's own table is
 * unreadable when the relay starts (as a damaged or half-restored database leaves it), then readable again. The
 * relay used to stay refused after such a start until the process restarted, whatever the user pressed.
 */
import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { loadOrCreateSigningKey } from '../audit/signing-key'
import { openHubEventlog } from '../hub/hub-eventlog'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import { LibraryKey } from '../sync/library-key'
import { silentUrl } from '../test-support/silent-url'
import { makeRelay } from './relay'

const scratch = useScratch()

it('starts again on reconnect() after a start that failed to read its replica', async () => {
  const repository = scratch.open()
  const local = await openHubEventlog(repository.db)
  await sql`ALTER TABLE hub_meta RENAME TO hub_meta_away`.execute(repository.db)
  const logged: string[] = []
  const relay = makeRelay({
    url: await silentUrl(),
    storeId: 'library-relay-start',
    key: LibraryKey.generate(),
    local,
    db: repository.db,
    signingKey: loadOrCreateSigningKey(scratch.dir()),
    log: (line) => void logged.push(line),
  })
  try {
    relay.start()
    const refused = await until(
      () => relay.status().connection,
      (connection) => connection.state === 'refused',
    )
    expect(refused).toMatchObject({ reason: expect.stringMatching(/hub_meta/) as unknown })
    expect(logged.join('\n')).toMatch(/hub_meta/)

    await sql`ALTER TABLE hub_meta_away RENAME TO hub_meta`.execute(repository.db)
    relay.reconnect()
    // Started: it reads its replica and tries the Worker, which nothing answers for.
    await until(
      () => relay.status().connection,
      (connection) => connection.state === 'unreachable',
    )
  } finally {
    await relay.close()
  }
  expect(relay.status().connection).toEqual({ state: 'stopped' })
})
