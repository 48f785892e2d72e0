/**
 * A whole main side in a process of its own, for the crash tests: the repository, the hub, the main LiveStore
 * store and the bridge, importing every sample. The parent SIGKILLs it at chosen moments and restarts it.
 *
 *   node --import tsx bridged-import-child.ts DATA_DIR import   prints BOOTED, imports, drains, prints DONE
 *   node --import tsx bridged-import-child.ts DATA_DIR verify   the same, then prints one JSON line of facts
 */
import { hostIdentity } from '../../hub/hub-credentials'
import { tables } from '../../../shared/livestore/schema'
import { fromSearchText } from '../../../shared/search/search-text'
import { importSources, type ImportTarget } from '../../import/import-engine'
import { claudeCodeAdapter } from '../../import/sources/claude-code'
import { clineSdkAdapter } from '../../import/sources/cline-sdk/cline-sdk-adapter'
import { rooCodeAdapter } from '../../import/sources/roo-cline'
import { samplesDir } from '../../import/test-support/samples'
import { makeInProcessSync } from '../../hub/in-process-sync'
import { openChronicleStore } from '../../livestore/chronicle-store'
import { openRepository } from '../../repository/repository'
import { startSyncRuntime } from '../../sync/sync-runtime'

const [dataDir, mode] = process.argv.slice(2)
if (!dataDir || (mode !== 'import' && mode !== 'verify')) throw new Error('usage: DATA_DIR import|verify')

const targets: ImportTarget[] = [
  { path: samplesDir('roo-code', 'tasks'), adapter: rooCodeAdapter },
  { path: samplesDir('claude-code', 'projects'), adapter: claudeCodeAdapter },
  { path: samplesDir('cline-sdk', 'sessions'), adapter: clineSdkAdapter },
]

const repository = openRepository({ dataDir })
const sync = await startSyncRuntime({
  dataDir,
  repository,
  log: () => undefined,
  bridgeIntervalMs: 2,
})
console.log('BOOTED')
const summary = await importSources(repository, targets)
await sync.bridge.drain()
await sync.store.waitForBackend()
await sync.bridge.drain()
console.log('DONE')

if (mode === 'verify') {
  const sqlTitles = Object.fromEntries(
    (await repository.db.selectFrom('conversations').select(['id', 'title']).execute()).map((r) => [
      r.id,
      fromSearchText(r.title),
    ]),
  )
  const sqlCounts = await repository.db
    .selectFrom('messages')
    .select(['conversation_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('conversation_id')
    .execute()
  const sqlMessageCounts = Object.fromEntries(sqlCounts.map((r) => [r.conversation_id, Number(r.n)]))
  const stateOf = (store: typeof sync.store) => ({
    titles: Object.fromEntries(
      store.store
        .query(tables.conversations.select('id', 'title'))
        .map((r) => [r.id, fromSearchText(r.title)]),
    ),
    messageCounts: Object.fromEntries(
      store.store
        .query(tables.conversations.select('id', 'messageCount'))
        .filter((r) => r.messageCount > 0)
        .map((r) => [r.id, r.messageCount]),
    ),
  })
  // A client that never saw any of it: what the hub's eventlog alone rebuilds.
  const fresh = await openChronicleStore({
    dataDir,
    clientId: 'verifier',
    folder: 'verifier',
    backend: makeInProcessSync(sync.hub, hostIdentity(sync.device.id)),
  })
  const events = await sync.hub.eventlog.read(0, 1_000_000)
  // An import removes nothing: a removal in the eventlog would explain a conversation missing from SQL.
  const removals = events
    .filter((e) => e.name === 'v1.ConversationPurged' || e.name === 'v1.MessagesDeleted')
    .map((e) => ({ seq: e.seqNum, name: e.name, args: e.args }))
  const appended = events
    .filter((e) => e.name === 'v1.MessagesAppended')
    .flatMap((e) => (e.args as { messages: { id: string }[] }).messages.map((m) => m.id))
  console.log(
    JSON.stringify({
      sql: { titles: sqlTitles, messageCounts: sqlMessageCounts },
      sqlMessages: sqlCounts.reduce((sum, r) => sum + Number(r.n), 0),
      main: stateOf(sync.store),
      fresh: stateOf(fresh),
      appendedIds: appended.length,
      distinctAppendedIds: new Set(appended).size,
      events: events.length,
      problems: summary.problems,
      removals,
    }),
  )
  await fresh.shutdown()
}
await sync.close()
await repository.close()
