/**
 * Nothing a local program sends can crash or stall the host (issue 15). A `chronicle serve` composed in this
 * process, and another as a process of its own, take for a bounded time: WebSocket upgrades to the hub with every
 * kind of wrong credential, frames of every malformed shape after a good handshake (adversarial-frames.ts, then
 * seeded random ones), pushes from a page, a device program and a relay that the hub must judge by their content
 * (adversarial-pushes.ts), floods of pulls, and raw HTTP requests that are malformed, oversized or broken off
 * (adversarial-http.ts), also at the desktop app's sync endpoint. Throughout, every request with a usable id is
 * answered and the host's own LiveStore keeps running (an event the hub stored that the host cannot materialise
 * would stop it, and every client that replays the eventlog). Afterwards no error went uncaught, the serve process
 * runs, the host's own events still reach the hub and `stats` answers within 100 ms. A failure names the input in
 * flight and the seed to replay.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STORE_ID } from '../livestore/chronicle-store'
import type { Hub } from './hub'
import { adversarialFrames, pull, randomFrame, type FrameContext } from './test-support/adversarial-frames'
import { adversarialPushes } from './test-support/adversarial-pushes'
import {
  badDeviceUpgrades,
  badRequests,
  badUpgrades,
  oddGoodUpgrades,
  type HttpContext,
} from './test-support/adversarial-http'
import { describeFindings, recordFindings, type Finding } from './test-support/fuzz-findings'
import { fuzzSeed, seededRng } from './test-support/fuzz-random'
import { sendFrames, sendRaw } from './test-support/fuzz-drivers'
import { callApi, connectGood, pageSyncPayload, rawExchange } from './test-support/fuzz-wire'
import { startSyncEndpoint } from '../sync/sync-endpoint'
import { startServeProcess, type ServeProcess } from './test-support/serve-process'
import { startServeUnderTest, type ServeUnderTest } from './test-support/serve-under-test'
import { until } from './test-support/until'

const seed = fuzzSeed()
const rng = seededRng(seed)
/** How long random frames are sent; CHRONICLE_FUZZ_MS=60000 searches longer. */
const RANDOM_FRAMES_MS = Number(process.env.CHRONICLE_FUZZ_MS) || 1_000
const PULL_FLOOD = 1_000
/** Times the serve process is started again after an input made it exit (each start takes seconds). */
const MAX_RESTARTS = 2
const findings = recordFindings()
const dirs: string[] = []
let served: ServeUnderTest
let child: ServeProcess
let payload: Record<string, unknown>
/** Why the in-process host's LiveStore stopped, if it did: an event the hub stored that its state cannot take. */
let hostStopped: string | null = null
let hostStopReported = false

const scratchDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'chronicle-fuzz-'))
  dirs.push(dir)
  return dir
}
const origin = () => `http://127.0.0.1:${served.host.port}`
const httpContext = (port: number, token: string, credential: string): HttpContext => ({
  port,
  storeId: STORE_ID,
  credential,
  token,
})
const servedContext = () => httpContext(served.host.port, served.host.token, String(payload.authToken))
const expectNoFindings = (found: Finding[] = findings.take()) =>
  expect(found, describeFindings(found, seed)).toEqual([])

beforeAll(async () => {
  ;[served, child] = await Promise.all([startServeUnderTest(scratchDir()), startServeProcess(scratchDir())])
  payload = await pageSyncPayload(origin(), served.host.token)
  void served.sync.store.stopped.then((reason) => (hostStopped = reason))
}, 60_000)

afterAll(async () => {
  await child?.stop()
  // A hub wedged by an input may never close: the report matters more than a tidy exit.
  await within(10_000, served?.close() ?? Promise.resolve()).catch(() => undefined)
  findings.dispose()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
}, 60_000)

describe('the hub and the web host under adversarial input', () => {
  it('refuses upgrades with wrong credentials, stores or payloads, and none crashes the host', async () => {
    const { deviceCredential, relayCredential } = served.sync.credentials
    const host = String(payload.deviceId)
    await sendRaw(findings, servedContext, (ctx) => [
      ...badUpgrades(ctx),
      ...oddGoodUpgrades(ctx),
      ...badDeviceUpgrades(ctx, deviceCredential, host),
      ...badDeviceUpgrades(ctx, relayCredential, host),
    ])
    expectNoFindings()
  })

  it(
    'handles every malformed frame after a good handshake, then seeded random ones, without a crash or a stall',
    async () => {
      const hub = served.sync.hub
      let head = await hub.eventlog.head()
      const ctx = (): FrameContext => ({
        storeId: STORE_ID,
        backendId: hub.backendId,
        head,
        deviceId: String(payload.deviceId),
        clientId: 'fuzz-client',
      })
      const connect = () => connectGood(served.host.syncUrl, STORE_ID, payload)
      await sendFrames(findings, adversarialFrames(ctx()), connect, { batch: 8 })
      const deadline = Date.now() + RANDOM_FRAMES_MS
      const random = function* () {
        for (let i = 0; Date.now() < deadline; i += 1) {
          const frame = randomFrame(rng, ctx())
          yield { label: `random frame ${i} (${frame.label}): ${frame.data.slice(0, 120)}`, data: frame.data }
        }
      }
      const readHead = async () => void (head = await hub.eventlog.head())
      await sendFrames(findings, random(), connect, { batch: 10, afterEach: readHead })
      expectNoFindings()
    },
    60_000 + RANDOM_FRAMES_MS,
  )

  it('judges every malformed push from a page, a device program and a relay without a crash or a stall', async () => {
    const hub = served.sync.hub
    const { deviceCredential, relayCredential } = served.sync.credentials
    for (const [kind, deviceId, authToken] of [
      ['page', String(payload.deviceId), String(payload.authToken)],
      ['device program', 'fuzz-device', deviceCredential],
      ['relay', 'fuzz-relay', relayCredential],
    ] as const) {
      let head = await hub.eventlog.head()
      const clientId = `fuzz-${kind.replace(' ', '-')}-client`
      const ctx = (): FrameContext => ({
        storeId: STORE_ID,
        backendId: hub.backendId,
        head,
        deviceId,
        clientId,
      })
      const readHead = async (label: string) => {
        head = await hub.eventlog.head()
        if (hostStopped !== null && !hostStopReported) {
          hostStopReported = true
          findings.add(`the host’s LiveStore stopped: ${hostStopped.slice(0, 600)}`, label)
        }
      }
      // The host records each connection as an event: pushes are made from the head after it, one at a time,
      // so they get past the head check to their content.
      const connect = async () => {
        const before = await hub.eventlog.head()
        const socket = await connectGood(served.host.syncUrl, STORE_ID, { authToken, deviceId })
        await until(
          () => hub.eventlog.head(),
          (now) => now > before,
          2_000,
        ).catch(() => undefined)
        head = await hub.eventlog.head()
        return socket
      }
      const pushesFrom = head
      const pushes = function* () {
        for (const input of adversarialPushes(ctx)) yield { ...input, label: `${kind}: ${input.label}` }
      }
      await sendFrames(findings, pushes(), connect, { afterEach: readHead })
      const stored = await hub.eventlog.read(pushesFrom, 100)
      expect(
        stored.some((e) => e.clientId === clientId),
        `the ${kind}’s valid push was not stored, so its others never reached the content checks`,
      ).toBe(true)
    }
    expectNoFindings()
  }, 60_000)

  it('ends every pull with its socket: thousands with one id and with distinct ids, never acknowledged', async () => {
    const running = countPulls(served.sync.hub)
    const gc = exposeGc()
    gc()
    const heapBefore = process.memoryUsage().heapUsed
    const socket = await connectGood(served.host.syncUrl, STORE_ID, payload, { acknowledge: false })
    const ctx = { storeId: STORE_ID } as FrameContext
    const flood = (id: (i: number) => string) =>
      `[${Array.from({ length: PULL_FLOOD }, (_, i) => pull(ctx, id(i), { live: 'true' })).join(',')}]`
    findings.sending(
      `${PULL_FLOOD} live pulls with one id, ${PULL_FLOOD} with distinct ids, then a disconnect`,
    )
    socket.send(flood(() => 'one'))
    socket.send(flood((i) => `p${i}`))
    await socket.settled(5_000)
    // Events from the host wake every live pull until each has a full window of chunks no one acknowledges.
    for (let i = 0; i < 10; i += 1) {
      const committed = await within(1_000, served.sync.renameDevice(`Fuzzed ${i}`)).catch(() => null)
      if (!committed) {
        findings.add('the host’s store took over a second to commit an event')
        break
      }
    }
    await socket.close()
    const started = running.started()
    expect(started, 'no pull reached `hub.pull`: adapt countPulls to the WebSocket server').toBeGreaterThan(0)
    const left = await until(running.now, (n) => n === 0, 3_000).catch(() => running.now())
    if (left > 0) findings.add(`${left} of ${started} pulls still running 3 s after their socket closed`)
    running.restore()
    gc()
    const grown = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20
    if (grown > 48) findings.add(`the heap grew ${grown.toFixed(0)} MB and stayed so after the socket closed`)
    expectNoFindings()
  }, 60_000)

  it('answers malformed, oversized and broken-off HTTP requests, never with a crash or a 500', async () => {
    const ctx = servedContext()
    await sendRaw(findings, servedContext, badRequests)
    findings.sending('40 slow partial requests, closed early')
    await Promise.all(
      Array.from({ length: 40 }, () =>
        rawExchange(ctx.port, [...`GET / HTTP/1.1\r\nHost: 127.0.0.1:${ctx.port}\r\n`], 600),
      ),
    )
    expectNoFindings()
  })

  it('takes the same upgrades and raw requests at the desktop app’s sync endpoint without a crash', async () => {
    // The origin of the desktop app's page (electron/app-protocol.ts, which needs Electron to load).
    const endpoint = await startSyncEndpoint(served.sync.wsServer, ['chronicle://app'])
    try {
      const port = Number(new URL(endpoint.url).port)
      const ctx = () => httpContext(port, served.host.token, String(payload.authToken))
      await sendRaw(findings, ctx, (c) => [...badUpgrades(c), ...oddGoodUpgrades(c), ...badRequests(c)])
      const socket = await connectGood(endpoint.url, STORE_ID, payload)
      expect(await socket.settled(), 'a good client could not pull through the endpoint afterwards').toBe(
        true,
      )
      await socket.close()
    } finally {
      await within(5_000, endpoint.close()).catch(() =>
        findings.add('did not close within 5 s', 'closing the endpoint'),
      )
    }
    expectNoFindings()
  })

  it('keeps a serve process running through every raw input and frame', async () => {
    let processPayload: Record<string, unknown> = {}
    const exited: Finding[] = []
    // An input that got no answer may have killed the process, which may take a moment to exit.
    const checkAlive = async (input: string, answered = true) => {
      if (!(await child.exitedWithin(answered ? 0 : 300))) return
      await new Promise((resolve) => setTimeout(resolve, 50)) // the last of stderr
      exited.push({ input, what: `the serve process exited: ${child.stderr()}` })
      if (exited.length > MAX_RESTARTS) throw new Error(describeFindings(exited, seed))
      child = await startServeProcess(scratchDir())
      processPayload = await pageSyncPayload(child.origin, child.token)
    }
    await checkAlive('(before this test: it started, then exited)')
    processPayload = await pageSyncPayload(child.origin, child.token)
    const ctx = () => httpContext(child.port, child.token, String(processPayload.authToken))
    const raw = (c: HttpContext) => [...badUpgrades(c), ...oddGoodUpgrades(c), ...badRequests(c)]
    await sendRaw(findings, ctx, raw, checkAlive)
    const context: FrameContext = {
      storeId: STORE_ID,
      backendId: '',
      head: 0,
      deviceId: String(processPayload.deviceId),
      clientId: 'fuzz-client',
    }
    const connect = () => connectGood(`ws://127.0.0.1:${child.port}/sync`, STORE_ID, processPayload)
    const frames = [...adversarialFrames(context), ...adversarialPushes(() => context)]
    await sendFrames(findings, frames, connect, {
      batch: 20,
      replay: false,
      afterEach: checkAlive,
    })
    expectNoFindings([...exited, ...findings.take()])
  }, 90_000)

  it('afterwards: nothing went uncaught, the host still syncs, and stats answers within 100 ms', async () => {
    const before = await served.sync.hub.eventlog.head()
    await within(2_000, served.sync.renameDevice('After the fuzz')).catch((error: unknown) =>
      findings.add(String(error), 'after the fuzz'),
    )
    const renamed = await until(
      () => served.sync.hub.eventlog.read(before, 100),
      (events) => events.some((e) => (e.args as { name?: unknown }).name === 'After the fuzz'),
      5_000,
    ).catch(() => null)
    if (!renamed) findings.add('the host’s own event did not reach the hub within 5 s', 'after the fuzz')
    await until(
      () => served.sync.repositoryBacklog(),
      (n) => n === 0,
      5_000,
    ).catch(() => undefined)
    if (!child.alive()) findings.add(`the serve process exited: ${child.stderr()}`, 'after the fuzz')
    for (const [name, host] of [
      ['in-process', { origin: origin(), token: served.host.token }],
      ...(child.alive() ? ([['serve process', { origin: child.origin, token: child.token }]] as const) : []),
    ] as const) {
      try {
        await callApi(host.origin, host.token, 'stats') // warm-up
        // The fastest of three, so a machine busy with other work does not fail it; a stalled host fails all.
        const calls = [
          await callApi(host.origin, host.token, 'stats'),
          await callApi(host.origin, host.token, 'stats'),
          await callApi(host.origin, host.token, 'stats'),
        ]
        const ms = Math.min(...calls.map((call) => call.ms))
        const ok = calls.every((call) => call.body.ok)
        if (!ok || ms >= 100) findings.add(`stats took ${ms.toFixed(0)} ms (ok: ${ok})`, name)
      } catch (error) {
        findings.add(`stats failed: ${String(error)}`, name)
      }
    }
    expectNoFindings()
  })
})

/** Counts the hub's pulls that have not ended, by wrapping `hub.pull` (the WebSocket server calls it so). */
function countPulls(hub: Hub) {
  const original = hub.pull
  let started = 0
  let ended = 0
  hub.pull = (...args) => {
    started += 1
    return original.apply(hub, args).finally(() => (ended += 1))
  }
  return { started: () => started, now: () => started - ended, restore: () => (hub.pull = original) }
}

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}

/** `global.gc` without `--expose-gc` on the command line, so heap sizes compare live objects only. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}
