/**
 * The sync Worker in real workerd (as sync-worker/test/local-worker.ts starts it) that can be stopped and started
 * again on the same port and storage: what a relay sees when the Worker goes away and comes back.
 */
import { fileURLToPath } from 'node:url'
import { unstable_startWorker } from 'wrangler'

const wranglerToml = fileURLToPath(new URL('../../../../sync-worker/wrangler.toml', import.meta.url))

export interface RestartableWorker {
  readonly url: string
  stop(): Promise<void>
  start(): Promise<void>
}

export async function startRestartableWorker(persistTo: string): Promise<RestartableWorker> {
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
  process.env.WRANGLER_SEND_ERROR_REPORTS = 'false'
  const run = async (port: number) => {
    const worker = await unstable_startWorker({
      config: wranglerToml,
      sendMetrics: false,
      dev: {
        server: { hostname: '127.0.0.1', port },
        inspector: false,
        persist: persistTo,
        watch: false,
        logLevel: 'none',
      },
    })
    await worker.ready
    return { worker, url: (await worker.url).origin }
  }
  let current: Awaited<ReturnType<typeof run>> | null = await run(0)
  const url = current.url
  return {
    url,
    async stop() {
      await current?.worker.dispose()
      current = null
    },
    async start() {
      current ??= await run(Number(new URL(url).port))
    },
  }
}
