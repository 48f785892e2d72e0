/**
 * CPU profiles of a scenario's processes, for `--cpu-prof DIR` (cli-args.ts): the figures say how long something
 * took, a profile says where that time went. Each file opens in Chromium's DevTools (Performance, or JavaScript
 * Profiler) or in any `.cpuprofile` viewer.
 * - A Node process (a `chronicle serve` the scenario starts) profiles itself with Node's own `--cpu-prof`, written
 *   when it exits: `nodeProfileArgs` gives the flags, one folder per process.
 * - A page in Chromium is profiled through the DevTools protocol over one step of the scenario, together with its
 *   dedicated workers (LiveStore's leader, where the page's store writes to OPFS): `profilePage`.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CDPSession, Page } from '@playwright/test'

/** How often a profile samples the stack, in microseconds: fine enough for tasks of a few milliseconds. */
const SAMPLING_INTERVAL_US = 200

/** Node's flags that profile a process into `dir/name` (written when the process exits), or none. */
export function nodeProfileArgs(dir: string | null, name: string): string[] {
  if (dir === null) return []
  const folder = join(dir, name)
  mkdirSync(folder, { recursive: true })
  return ['--cpu-prof', `--cpu-prof-dir=${folder}`]
}

/**
 * Starts profiling `page` and its dedicated workers; `stop()` writes `<name>-page.cpuprofile` and one
 * `<name>-worker-N.cpuprofile` per worker into `dir`, and returns their paths. With no folder, does nothing.
 */
export async function profilePage(
  page: Page,
  dir: string | null,
  name: string,
): Promise<{ stop(): Promise<string[]> }> {
  if (dir === null) return { stop: async () => [] }
  mkdirSync(dir, { recursive: true })
  const cdp = await page.context().newCDPSession(page)
  // Workers are the page's child targets: attached without flattening, they are spoken to through the page's
  // session (Target.sendMessageToTarget), which Playwright's page-bound session allows.
  const workers: string[] = []
  cdp.on('Target.attachedToTarget', (event: { sessionId: string; targetInfo: { type: string } }) => {
    if (event.targetInfo.type === 'worker') workers.push(event.sessionId)
  })
  const inWorker = workerMessenger(cdp)
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false })
  const start = async (send: (method: string, params?: object) => Promise<unknown>) => {
    await send('Profiler.enable')
    await send('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US })
    await send('Profiler.start')
  }
  await start((method, params) => cdp.send(method as 'Profiler.enable', params as never))
  for (const worker of workers) await start((method, params) => inWorker(worker, method, params))
  return {
    async stop() {
      const written: string[] = []
      const save = (file: string, profile: unknown) => {
        writeFileSync(join(dir, file), JSON.stringify(profile))
        written.push(join(dir, file))
      }
      save(`${name}-page.cpuprofile`, (await cdp.send('Profiler.stop')).profile)
      for (const [i, worker] of workers.entries()) {
        const answer = (await inWorker(worker, 'Profiler.stop')) as { profile: unknown }
        save(`${name}-worker-${i + 1}.cpuprofile`, answer.profile)
      }
      await cdp.detach()
      return written
    },
  }
}

/** Sends a DevTools command to a worker attached under the page's session, and resolves with its result. */
function workerMessenger(cdp: CDPSession) {
  let lastId = 0
  const waiting = new Map<number, (result: unknown) => void>()
  cdp.on('Target.receivedMessageFromTarget', (event: { message: string }) => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown }
    if (message.id === undefined) return
    waiting.get(message.id)?.(message.result)
    waiting.delete(message.id)
  })
  return (sessionId: string, method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      lastId += 1
      waiting.set(lastId, resolve)
      void cdp.send('Target.sendMessageToTarget', {
        sessionId,
        message: JSON.stringify({ id: lastId, method, params }),
      })
    })
}
