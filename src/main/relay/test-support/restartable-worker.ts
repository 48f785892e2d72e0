/**
 * The sync Worker in real workerd (sync-worker/test/local-worker.ts) that can be stopped and started again on the
 * same port and storage: what a relay sees when the Worker goes away and comes back.
 */
import { startLocalWorker, type LocalWorker } from '../../../../sync-worker/test/local-worker'

export interface RestartableWorker {
  readonly url: string
  stop(): Promise<void>
  start(): Promise<void>
}

export async function startRestartableWorker(persistTo: string): Promise<RestartableWorker> {
  let current: LocalWorker | null = await startLocalWorker(persistTo)
  const url = current.url
  return {
    url,
    async stop() {
      await current?.dispose()
      current = null
    },
    async start() {
      current ??= await startLocalWorker(persistTo, Number(new URL(url).port))
    },
  }
}
