/**
 * The attacks on the running app's hub that once went through, replayed on the whole main side (repository, hub,
 * main store, bridge, the sync endpoint a page connects to): a page that pushes a bridge cursor far ahead, and an
 * event the main store would choke on. The hub refuses both, and the app's own work goes on: an import after them
 * still reaches the hub's eventlog as events.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { events } from '../../shared/livestore/schema'
import { importSources } from '../import/import-engine'
import { rooCodeAdapter } from '../import/sources/roo-cline'
import { samplesDir } from '../import/test-support/samples'
import { connectRaw, outcomeOf } from '../hub/test-support/raw-sync-client'
import { until } from '../hub/test-support/until'
import { useScratch } from '../repository/test-support/scratch'
import { startSyncEndpoint, type SyncEndpoint } from './sync-endpoint'
import { startSyncRuntime, type SyncRuntime } from './sync-runtime'

const scratch = useScratch()
let runtime: SyncRuntime | undefined
let endpoint: SyncEndpoint | undefined
afterEach(async () => {
  await endpoint?.close()
  await runtime?.close()
  runtime = endpoint = undefined
})

describe('the app’s hub against a hostile page', () => {
  it('keeps the bridge’s cursor and the trail whole (bad input: ConversationStarred with origin sql, sqlSeq 1e9)', async () => {
    const dataDir = scratch.dir()
    const repository = scratch.open({ dataDir })
    runtime = await startSyncRuntime({ dataDir, repository, log: () => undefined })
    endpoint = await startSyncEndpoint(runtime.wsServer)
    const hostId = runtime.device.id
    await runtime.store.waitForBackend()
    const head = await runtime.hub.eventlog.head()

    const page = await connectRaw(endpoint.url, { authToken: runtime.credentials.pageCredential })
    const meta = { at: 1, deviceId: hostId, actor: 'user' }
    const attacks = [
      {
        name: events.conversationStarred.name,
        args: { ...meta, origin: 'sql', sqlSeq: 1e9, conversationId: 'x' },
      },
      { name: events.deviceRenamed.name, args: { ...meta, origin: 'ui', name: 42 } },
    ]
    for (const [i, attack] of attacks.entries())
      expect(outcomeOf(await page.push(`a${i}`, [{ ...attack, clientId: 'page-1' }], head))).toMatch(
        /^UnknownError: refused/,
      )
    page.close()

    const summary = await importSources(repository, [
      { path: samplesDir('roo-code', 'tasks'), adapter: rooCodeAdapter },
    ])
    expect(summary.conversations.added).toBeGreaterThan(0)
    const imported = await until(
      async () =>
        (await runtime!.hub.eventlog.read(head, 10_000)).filter((e) => e.name === 'v1.ConversationImported'),
      (found) => found.length === summary.conversations.added,
      30_000,
    )
    expect(imported.every((e) => e.pushedBy?.kind === 'host')).toBe(true)
    await until(
      () => runtime!.repositoryBacklog(),
      (backlog) => backlog === 0,
      30_000,
    )
  }, 60_000)
})
