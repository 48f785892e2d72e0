/**
 * The real sync Worker in workerd, started from wrangler's API the way `wrangler dev` runs it (same wrangler.toml,
 * same bundle), on a free port, without the inspector, its storage in a directory of the test's own. Also tracks
 * workerd processes under this one, so a test can assert none outlives the Worker.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { unstable_startWorker } from 'wrangler'

const wranglerToml = fileURLToPath(new URL('../wrangler.toml', import.meta.url))

export type LocalWorker = { readonly url: string; dispose(): Promise<void> }

/**
 * `port` 0 takes a free one; a test that restarts the Worker passes the port it had, to keep its URL. `claimSecret`
 * is what a deployed worker gets with `wrangler secret put CLAIM_SECRET`.
 */
export async function startLocalWorker(
  persistTo: string,
  port = 0,
  options: { readonly claimSecret?: string } = {},
): Promise<LocalWorker> {
  // Offline as `npm run sync-worker` is: without this wrangler tries to fetch `Request.cf` data from Cloudflare.
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'
  process.env.WRANGLER_SEND_ERROR_REPORTS = 'false'
  const worker = await unstable_startWorker({
    config: wranglerToml,
    sendMetrics: false,
    ...(options.claimSecret !== undefined && {
      defaultBindings: { CLAIM_SECRET: { type: 'plain_text' as const, value: options.claimSecret } },
    }),
    dev: {
      server: { hostname: '127.0.0.1', port },
      inspector: false,
      persist: persistTo,
      watch: false,
      logLevel: 'none',
    },
  })
  await worker.ready
  const url = (await worker.url).origin
  // The first request compiles the Worker and its Durable Object classes: seconds on a loaded machine, which a
  // test's first claim (10 s timeout, as the CLI has) should not pay. A library check stores nothing.
  await fetch(`${url}/libraries/warm-up/devices`, { headers: { authorization: `Bearer ${'w'.repeat(43)}` } })
  return { url, dispose: () => worker.dispose() }
}

/** Live workerd processes descended from `ancestor` (this test process by default), read from /proc. */
export function workerdDescendants(ancestor = process.pid): number[] {
  const parents = new Map<number, number>()
  const names = new Map<number, string>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // The command name sits in parentheses and may hold spaces; the fields after it are space-separated.
      const close = stat.lastIndexOf(')')
      const [state, ppid] = stat.slice(close + 2).split(' ')
      if (state === 'Z') continue
      parents.set(Number(entry), Number(ppid))
      names.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close))
    } catch {
      // The process ended while we looked.
    }
  }
  const descends = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at))
      if (at === ancestor) return true
    return false
  }
  return [...names].filter(([pid, name]) => name === 'workerd' && descends(pid)).map(([pid]) => pid)
}
