/**
 * Presence in the real Worker (workerd): relays that say which machine they are are listed by
 * `GET /libraries/<storeId>/devices` with their heads, connected or last seen; a late joiner's head follows the
 * pages it acknowledges, not the library's head; the route is authorised like the sync socket; malformed machine
 * headers are refused with 400 and leave nothing stored; the cap holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GlobalEvent } from '../../src/main/hub/hub-eventlog'
import { until } from '../../src/main/hub/test-support/until'
import { openUpstream, type UpstreamConnection } from '../../src/main/relay/upstream-connection'
import { MAX_MACHINES_PER_LIBRARY } from '../src/limits'
import { tryUpgrade } from './authorised-websocket'
import { useLocalWorker } from './use-local-worker'

const TOKEN = 'chronicle-presence-token-7f3a9c1e5b2d4f6a8c0e2b4d6f8a0c'
const OTHER_TOKEN = 'chronicle-presence-other-0b1c2d3e4f5a6b7c8d9e0f1a2b'
const STORE_ID = 'library-presence-1'

type Machine = {
  machineId: string
  connected: boolean
  since: string
  lastSeen: string
  head: number | null
  version: string
  sealedName?: string
}
type Report = { storeId: string; head: number; machines: Machine[] }

const local = useLocalWorker('presence')
const open: UpstreamConnection[] = []
const url = () => local.worker().url

beforeAll(async () => {
  const claimed = await fetch(`${url()}/libraries/${STORE_ID}/claim`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}` },
  })
  expect(claimed.status).toBe(201)
})

// Registered after useLocalWorker, so it runs first: the connections close while the Worker is up.
afterAll(() => {
  for (const connection of open.splice(0)) connection.close({ kind: 'unreachable', reason: 'test over' })
})

async function connect(machineId: string, sealedName?: string): Promise<UpstreamConnection> {
  const presence = { machineId, version: '0.1.0', ...(sealedName === undefined ? {} : { sealedName }) }
  const opened = await openUpstream({ url: url(), storeId: STORE_ID, token: TOKEN, presence })
  if ('kind' in opened) throw new Error(`refused: ${opened.reason}`)
  open.push(opened)
  return opened
}

/** A relay's live pull from the start; returns the backend id once the first page arrived. */
async function pullAll(connection: UpstreamConnection, seen: GlobalEvent[]): Promise<string> {
  return new Promise((resolve) =>
    connection.pull(null, async (page) => {
      seen.push(...page.events)
      resolve(page.backendId)
    }),
  )
}

const event = (seqNum: number, clientId: string): GlobalEvent => ({
  name: 'v1.NoteWritten',
  args: { sealed: `ciphertext-${seqNum}` },
  seqNum,
  parentSeqNum: seqNum - 1,
  clientId,
  sessionId: 'presence-test',
})

async function devices(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  return fetch(`${url()}/libraries/${STORE_ID}/devices`, { headers })
}

async function report(): Promise<Report> {
  const response = await devices()
  expect(response.status).toBe(200)
  return (await response.json()) as Report
}

const machine = (listed: Report, machineId: string) => listed.machines.find((m) => m.machineId === machineId)

describe('presence in the sync Worker', () => {
  let a: UpstreamConnection
  let b: UpstreamConnection
  let backendId = ''
  const onA: GlobalEvent[] = []
  const onB: GlobalEvent[] = []

  it('lists no machine before any relay connected, with the library head 0', async () => {
    expect(await report()).toEqual({ storeId: STORE_ID, head: 0, machines: [] })
  })

  it('lists two connected relays with the heads they acknowledged', async () => {
    a = await connect('machine-a', 'c2VhbGVkLW5hbWUtb2YtYQ')
    backendId = await pullAll(a, onA)
    expect(await a.push([event(1, 'a'), event(2, 'a'), event(3, 'a')], backendId)).toEqual({ kind: 'ok' })
    b = await connect('machine-b')
    await pullAll(b, onB)
    await until(
      () => onB.length,
      (n) => n === 3,
    )
    expect(await b.push([event(4, 'b'), event(5, 'b')], backendId)).toEqual({ kind: 'ok' })
    const listed = await until(
      report,
      (r) => r.machines.every((m) => m.head === 5) && r.machines.length === 2,
    )
    expect(listed.head).toBe(5)
    expect(machine(listed, 'machine-a')).toMatchObject({
      connected: true,
      version: '0.1.0',
      sealedName: 'c2VhbGVkLW5hbWUtb2YtYQ',
    })
    expect(machine(listed, 'machine-b')).toMatchObject({ connected: true, head: 5 })
    expect(machine(listed, 'machine-b')?.sealedName).toBeUndefined()
    const a1 = machine(listed, 'machine-a')!
    expect(Date.parse(a1.since)).toBeLessThanOrEqual(Date.parse(a1.lastSeen))
  })

  it('shows a machine that left as not connected, with when it was last seen and the head it had', async () => {
    const before = Date.now()
    b.close({ kind: 'unreachable', reason: 'machine B stops' })
    const listed = await until(report, (r) => machine(r, 'machine-b')?.connected === false)
    const gone = machine(listed, 'machine-b')!
    expect(gone.head).toBe(5)
    expect(Date.parse(gone.lastSeen)).toBeGreaterThanOrEqual(before - 1000)
    expect(Date.parse(gone.lastSeen)).toBeLessThanOrEqual(Date.now())
    expect(machine(listed, 'machine-a')?.connected).toBe(true)

    // A goes on: the library's head moves and B's stays where it left, so B is one behind.
    expect(await a.push([event(6, 'a')], backendId)).toEqual({ kind: 'ok' })
    const later = await until(report, (r) => machine(r, 'machine-a')?.head === 6)
    expect([later.head, machine(later, 'machine-b')?.head]).toEqual([6, 5])
  })

  it("moves a late joiner's head page by page as it acknowledges its catch-up, never to the library head ahead of it", async () => {
    const batch = Array.from({ length: 150 }, (_, i) => event(7 + i, 'a'))
    expect(await a.push(batch, backendId)).toEqual({ kind: 'ok' })
    // C's relay applies a page only when let go, and acknowledges it then.
    const pages: number[] = []
    let hold = true
    let release = () => {}
    const c = await connect('machine-c')
    c.pull(null, async (page) => {
      pages.push(page.events.at(-1)?.seqNum ?? 0)
      if (hold) await new Promise<void>((resolve) => (release = resolve))
    })
    await until(
      () => pages.length,
      (n) => n === 1,
    )
    const holding = await report()
    expect([holding.head, machine(holding, 'machine-c')?.head]).toEqual([156, 0])
    release()
    await until(
      () => pages.length,
      (n) => n === 2,
    )
    expect(pages[0]).toBeLessThan(156)
    const onePage = await until(report, (r) => machine(r, 'machine-c')?.head !== 0)
    expect(machine(onePage, 'machine-c')?.head).toBe(pages[0])
    hold = false
    release()
    await until(report, (r) => machine(r, 'machine-c')?.head === 156)
    c.close({ kind: 'unreachable', reason: 'machine C stops' })
    await until(report, (r) => machine(r, 'machine-c')?.connected === false)
  })

  it('refuses the list without a token, with a wrong one (401), and for a library nobody claimed (404)', async () => {
    const missing = await devices({})
    expect([missing.status, ((await missing.json()) as { error: string }).error]).toEqual([
      401,
      'missing_token',
    ])
    const wrong = await devices({ authorization: `Bearer ${OTHER_TOKEN}` })
    expect([wrong.status, ((await wrong.json()) as { error: string }).error]).toEqual([401, 'wrong_token'])
    const unknown = await fetch(`${url()}/libraries/library-nobody-claimed/devices`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    expect([unknown.status, ((await unknown.json()) as { error: string }).error]).toEqual([
      404,
      'unknown_library',
    ])
    const listing = await fetch(`${url()}/libraries/devices`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    expect(listing.status).toBe(404)
  })

  it('refuses a 10 kB machine id, control characters and a missing version with 400, storing nothing', async () => {
    const sync = `${url().replace(/^http/, 'ws')}/sync?storeId=${STORE_ID}&transport=ws`
    const bearer = { authorization: `Bearer ${TOKEN}` }
    const attempts: Record<string, string>[] = [
      { 'x-chronicle-machine-id': 'm'.repeat(10_000), 'x-chronicle-version': '0.1.0' },
      { 'x-chronicle-machine-id': 'evil\tmachine', 'x-chronicle-version': '0.1.0' },
      { 'x-chronicle-machine-id': 'evil-version', 'x-chronicle-version': '0.1\t<script>' },
      { 'x-chronicle-machine-id': 'evil-no-version' },
      {
        'x-chronicle-machine-id': 'evil-name',
        'x-chronicle-version': '1',
        'x-chronicle-sealed-name': 'n'.repeat(601),
      },
      { 'x-chronicle-version': '0.1.0' },
    ]
    for (const headers of attempts) {
      const answer = await tryUpgrade(sync, { ...bearer, ...headers })
      expect(answer).toMatchObject({ status: 400, body: { error: 'bad_presence' } })
      expect(JSON.stringify(answer.body)).not.toContain('mmmmmmmmmm')
    }
    const listed = await report()
    expect(listed.machines.map((m) => m.machineId).sort()).toEqual(['machine-a', 'machine-b', 'machine-c'])
  })

  it(`keeps at most ${MAX_MACHINES_PER_LIBRARY} machines: the longest gone gives way, a full house refuses (409)`, async () => {
    // A is connected, B and C gone (B longest): 61 more fill the list, the 62nd takes B's place, the 63rd C's.
    const extra: UpstreamConnection[] = []
    for (let i = 1; i <= MAX_MACHINES_PER_LIBRARY - 2; i++) extra.push(await connect(`machine-${i}`))
    const nearlyFull = await report()
    expect(nearlyFull.machines).toHaveLength(MAX_MACHINES_PER_LIBRARY)
    expect(machine(nearlyFull, 'machine-b')).toBeUndefined()
    expect(machine(nearlyFull, 'machine-c')?.connected).toBe(false)
    extra.push(await connect(`machine-${MAX_MACHINES_PER_LIBRARY - 1}`))
    const full = await report()
    expect(full.machines).toHaveLength(MAX_MACHINES_PER_LIBRARY)
    expect(machine(full, 'machine-c')).toBeUndefined()
    expect(full.machines.every((m) => m.connected)).toBe(true)

    const refused = await openUpstream({
      url: url(),
      storeId: STORE_ID,
      token: TOKEN,
      presence: { machineId: 'machine-one-too-many', version: '0.1.0' },
    })
    expect(refused).toMatchObject({ kind: 'refused', status: 409 })
    expect(machine(await report(), 'machine-one-too-many')).toBeUndefined()

    extra[0]!.close({ kind: 'unreachable', reason: 'leaves' })
    await until(report, (r) => machine(r, 'machine-1')?.connected === false)
    await connect('machine-one-too-many')
    const after = await report()
    expect(after.machines).toHaveLength(MAX_MACHINES_PER_LIBRARY)
    expect(machine(after, 'machine-1')).toBeUndefined()
    expect(machine(after, 'machine-one-too-many')?.connected).toBe(true)
  }, 60_000)
})
