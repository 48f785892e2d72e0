/**
 * The sync backend is configuration: two "machines" (two data directories, each with its repository, main store
 * and bridge) whose main stores sync with one backend by URL, here a third hub standing in for LiveStore's
 * Cloudflare backend (same wire protocol). An import on one reaches the other's SQL repository, and an edit in the
 * other's SQL comes back, with no code path of its own.
 */
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { fromSearchText } from '../../shared/search/search-text'
import { importSources } from '../import/import-engine'
import { rooCodeAdapter } from '../import/sources/roo-cline'
import { samplesDir } from '../import/test-support/samples'
import { rowCount } from '../import/test-support/repository-helpers'
import { startHubFixture, type HubFixture } from '../hub/test-support/hub-fixture'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import { startSyncRuntime, type SyncRuntime } from './sync-runtime'

const scratch = useScratch()
let fixture: HubFixture | undefined
const runtimes: SyncRuntime[] = []
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) await runtime.close()
  await fixture?.close()
  fixture = undefined
})

const count = rowCount

async function machine(remote: HubFixture) {
  const dataDir = scratch.dir()
  const repository = scratch.open({ dataDir })
  const runtime = await startSyncRuntime({
    dataDir,
    repository,
    log: () => undefined,
    // A poll an hour apart: what crosses does so on wake-ups (the database's files, the backend's confirmations).
    bridgeIntervalMs: 3_600_000,
    // Each machine's main store is the host of its own device: it syncs with a relay's credential.
    remote: { url: remote.url, token: remote.credentials.relayCredential },
  })
  runtimes.push(runtime)
  return { repository, runtime }
}

describe('a remote sync backend, chosen by configuration', () => {
  it('carries an import on one machine to the SQL repository of another, and an edit back', async () => {
    fixture = await startHubFixture(scratch.open({ dataDir: scratch.dir() }))
    const a = await machine(fixture)
    const b = await machine(fixture)
    expect(a.runtime.device.id).not.toBe(b.runtime.device.id)

    await importSources(a.repository, [{ path: samplesDir('roo-code', 'tasks'), adapter: rooCodeAdapter }])
    const conversations = await count(a.repository, 'conversations')
    const messages = await count(a.repository, 'messages')
    await until(
      async () => [await count(b.repository, 'conversations'), await count(b.repository, 'messages')],
      ([c, m]) => c === conversations && m === messages,
      40_000,
    )
    // Only what the backend confirmed reached machine B, through the backend's eventlog.
    expect(await fixture.hub.eventlog.head()).toBeGreaterThan(0)

    const [row] = await b.repository.db
      .selectFrom('conversations')
      .select('id')
      .orderBy('id')
      .limit(1)
      .execute()
    await sql`UPDATE conversations SET title = 'Renamed on machine B' WHERE id = ${row!.id}`.execute(
      b.repository.db,
    )
    await until(
      async () =>
        (
          await a.repository.db
            .selectFrom('conversations')
            .select('title')
            .where('id', '=', row!.id)
            .executeTakeFirst()
        )?.title,
      (title) => fromSearchText(title ?? '') === 'Renamed on machine B',
      40_000,
    )
  }, 90_000)
})
