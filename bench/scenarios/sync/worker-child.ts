/**
 * The sync Worker for the bench, in a process of its own: sync-worker/test/local-worker.ts (wrangler's API, the
 * same wrangler.toml and bundle as `npm run sync-worker`, workerd) with file watching off, so that edits to
 * sync-worker/src made meanwhile elsewhere in the checkout do not rebuild the Worker during a run. Prints the URL on
 * stdout once the Worker answers; stops it on SIGTERM.
 */
import { startLocalWorker } from '../../../sync-worker/test/local-worker'

const persistTo = process.argv[2]
if (persistTo === undefined) throw new Error('usage: worker-child.ts <persist-to directory>')
const worker = await startLocalWorker(persistTo)
process.stdout.write(`${worker.url}\n`)
process.once('SIGTERM', () => {
  void worker.dispose().then(() => process.exit(0))
})
