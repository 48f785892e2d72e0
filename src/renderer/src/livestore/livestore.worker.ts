/**
 * The page's LiveStore leader: it keeps the store in OPFS and syncs it with the hub over LiveStore's own WebSocket
 * protocol, at the address the page put in the sync payload. Before LiveStore opens the store, it mends a write
 * that a closed window tore between LiveStore's two databases, or a database that cannot be read
 * (repair-store-in-opfs.ts); the page waits for the worker to say it is ready,
 * so nothing it sends meanwhile is lost. For as long as it lives it holds a lock that tells the page when it has
 * ended (leader-lifetime.ts). Once LiveStore has opened the databases, their journal is kept between commits
 * (leader-journal-mode.ts).
 */
import { makeWorker } from '@livestore/adapter-web/worker'
import { makeWsSync } from '@livestore/sync-cf/client'
import { schema } from '../../../shared/livestore/schema'
import { persistLeaderJournals } from './leader-journal-mode'
import { holdWhileAlive } from './leader-lifetime'
import {
  opfsFolderOf,
  rebuildRequestedIn,
  stateRebuildChannel,
  storeRepairedChannel,
} from './leader-worker-name'
import { repairStoreInOpfs } from './repair-store-in-opfs'
import { hubUrlOf } from './sync-payload'

// First, before any file is touched: the page waits for this lock's release before it loads again.
await holdWhileAlive(self.name)
const folder = opfsFolderOf(self.name)
const repaired =
  folder === null
    ? null
    : await repairStoreInOpfs(folder, rebuildRequestedIn(self.name), rebuildProgress(folder))
if (folder !== null && repaired !== null) {
  console.warn(`Chronicle: ${repaired}.`)
  new BroadcastChannel(storeRepairedChannel(folder)).postMessage(repaired)
}

/**
 * Tells the page how far a rebuild of the state is, at most every tenth of a second: it takes seconds on a large
 * library, before LiveStore reports anything, and a page that hears nothing for long offers to rebuild the copy.
 */
function rebuildProgress(folder: string) {
  const channel = new BroadcastChannel(stateRebuildChannel(folder))
  let last = 0
  return (done: number, total: number) => {
    if (done < total && performance.now() - last < 100) return
    last = performance.now()
    channel.postMessage({ done, total })
  }
}

makeWorker({
  schema,
  sync: { backend: (args) => makeWsSync({ url: hubUrlOf(args.payload) })(args) },
})
persistLeaderJournals()
