/**
 * The bridge scenario's cold process, as a `chronicle` command that finds an import not yet made into events runs
 * it: opens the repository and the sync runtime (kind 'cli'), drains the bridge until the change feed's backlog is
 * 0, then closes (the leader persists and the hub confirms every event). Prints one JSON line of timings (ms from
 * this process's start) and its memory.
 * Usage: node --import tsx cold-bridge-child.ts DATA_DIR
 */
import { openRepository } from '../../../src/main/repository/repository'
import { startSyncRuntime } from '../../../src/main/sync/sync-runtime'

const [dataDir] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: cold-bridge-child.ts DATA_DIR')
/** Milliseconds since this process started, the module loading included. */
const sinceStart = () => performance.now()

const repository = openRepository({ dataDir })
const sync = await startSyncRuntime({ dataDir, repository, kind: 'cli', log: () => undefined })
const openedMs = sinceStart()
const backlogBefore = await sync.bridge.backlog()
while ((await sync.bridge.backlog()) > 0) await sync.bridge.drain()
const drainedMs = sinceStart()
const rssMiB = process.memoryUsage().rss / 2 ** 20
await sync.close()
await repository.close()
process.stdout.write(
  `${JSON.stringify({ backlogBefore, openedMs, drainedMs, closedMs: sinceStart(), rssMiB })}\n`,
)
