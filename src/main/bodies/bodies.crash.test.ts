/**
 * Runs with the crash tests, after the others (package.json test:unit): two `chronicle serve` processes and a
 * workerd need the machine's cores.
 *
 * Fault injection with real parts (issue 17): machine A set up on the sync Worker (`npm run sync-worker`), B joined
 * with its pairing code. A imports generated Claude Code sessions in batches and is SIGKILLed while its bodies are
 * being stored; after each, B is SIGKILLed while it fetches the bodies that came before. Each is started again. Then, with both up: every message is on both machines once, with the whole body the session file
 * has (none left a preview), nothing is left queued to store or fetch, and every pack a machine refers to is on
 * the Worker.
 */
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { PREVIEW_CHARS } from '../../shared/livestore/events'
import { fromSearchText } from '../../shared/search/search-text'
import { useScratch } from '../repository/test-support/scratch'
import { writeSessions, type GeneratedBatch } from '../relay/test-support/generated-sessions'
import { readLibraryFacts } from '../relay/test-support/library-facts'
import type { MachineProcess } from '../relay/test-support/machine-process'
import {
  bothSettled,
  importClaudeCode,
  setUpTwoMachines,
  useSyncWorker,
} from '../relay/test-support/two-machines'
import { makeBlobClient } from '../blobs/blob-client'
import { readLibraryKey } from '../sync/library-key-file'
import { readSyncSettings } from '../sync/sync-settings'

const BATCHES = 10
const SESSIONS_PER_BATCH = 16
const MESSAGES_PER_SESSION = 60
/**
 * Once a machine's bodies are seen moving, how much later it is killed: A's stores last a few hundred
 * milliseconds a batch, B's fetches longer (it fetches what came before while the next batch's events arrive).
 */
const A_DELAYS_MS = [0, 10, 30, 5, 60, 15, 90, 0, 45, 20]
const B_DELAYS_MS = [0, 40, 120, 10, 250, 60, 400, 20, 180, 80]

const scratch = useScratch()
const syncWorker = useSyncWorker()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** What the machine's bodies were doing just before a kill, as its own status said. */
async function momentOf(machine: MachineProcess): Promise<string> {
  const bodies = (await machine.syncStatus().catch(() => null))?.remote?.bodies
  if (!bodies) return 'unknown'
  if (bodies.toStore > 0) return 'storing'
  if (bodies.toFetch > 0) return 'fetching'
  return 'idle'
}

/** Waits until neither machine has bodies to store or fetch, nor a problem moving them. */
async function bodiesMoved(machines: readonly MachineProcess[], timeoutMs: number): Promise<void> {
  const started = Date.now()
  for (;;) {
    const bodies = (await Promise.all(machines.map((m) => m.syncStatus()))).map((s) => s.remote?.bodies)
    if (bodies.every((x) => x?.toFetch === 0 && x.toStore === 0 && x.problem === null)) return
    if (Date.now() - started > timeoutMs) throw new Error(`bodies still moving: ${JSON.stringify(bodies)}`)
    await sleep(500)
  }
}

/** Straight from a stopped machine's database: what is left to move, and which packs it refers to. */
function bodyTables(dataDir: string) {
  const db = new Database(join(dataDir, 'chronicle.sqlite'), { readonly: true, fileMustExist: true })
  try {
    const count = (query: string) => (db.prepare(query).pluck().get() as number) ?? 0
    return {
      previews: count(`SELECT count(*) FROM messages WHERE body_state = 'elsewhere'`),
      toStore: count('SELECT count(*) FROM bodies_to_store'),
      located: count('SELECT count(*) FROM body_locations'),
      packs: db.prepare('SELECT DISTINCT pack_address FROM body_locations').pluck().all() as string[],
    }
  } finally {
    db.close()
  }
}

describe('bodies while the machines are killed', () => {
  it('every body once on both machines, whole, after A is killed storing and B fetching', async () => {
    const started = Date.now()
    const { a, b } = await setUpTwoMachines(syncWorker().url, { a: scratch.dir(), b: scratch.dir() })
    scratch.defer(() => Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]))
    await Promise.all([a.start(), b.start()])
    const generated = scratch.dir()
    const batches: GeneratedBatch[] = []
    const moments: string[] = []
    /**
     * Kills `machine` once its status says its bodies are moving (`moving`), a varied moment later; or after
     * `waitMs` whatever it does. What it was doing is sampled just before the kill.
     */
    const killWhile = async (
      machine: MachineProcess,
      moving: (bodies: { toStore: number; toFetch: number }) => boolean,
      delayMs: number,
      waitMs: number,
    ) => {
      const until = Date.now() + waitMs
      for (;;) {
        const bodies = (await machine.syncStatus().catch(() => null))?.remote?.bodies
        if ((bodies && moving(bodies)) || Date.now() > until) break
        await sleep(25)
      }
      await sleep(delayMs)
      moments.push(`${machine === a ? 'A' : 'B'} ${await momentOf(machine)}`)
      await machine.stop('SIGKILL')
    }

    // Each batch: A imports it and is killed while it stores bodies; then B, fetching the bodies of what came
    // before, is killed. Both are started again each time, with the work they were doing left half-done.
    for (let batch = 0; batch < BATCHES; batch += 1) {
      const written = writeSessions(generated, {
        label: 'a',
        batch,
        sessions: SESSIONS_PER_BATCH,
        messages: MESSAGES_PER_SESSION,
      })
      batches.push(written)
      const imported = importClaudeCode(a.dataDir, written.projects)
      await killWhile(a, (bodies) => bodies.toStore > 0, A_DELAYS_MS[batch] ?? 0, 20_000)
      const run = await imported
      expect(run.code, run.stderr).toBe(0)
      await a.start()
      await killWhile(b, (bodies) => bodies.toFetch > 0, B_DELAYS_MS[batch] ?? 0, 30_000)
      await b.start()
    }

    const ids = batches.flatMap((batch) => [...batch.conversations.values()].flat())
    await bothSettled([a, b], () => true, 240_000)
    await bodiesMoved([a, b], 240_000)
    await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')])

    const [factsA, factsB] = [readLibraryFacts(a.dataDir), readLibraryFacts(b.dataDir)]
    // Every message once on each machine, and B's text for each the very text A's import wrote.
    for (const facts of [factsA, factsB]) {
      expect(facts.messageRows).toBe(ids.length)
      expect(facts.distinctMessageIds).toBe(ids.length)
    }
    const shortOnB = ids.filter((id) => fromSearchText(factsB.texts.get(id) ?? '').length <= PREVIEW_CHARS)
    expect(shortOnB).toEqual([])
    const differing = ids.filter((id) => factsB.texts.get(id) !== factsA.texts.get(id))
    expect(differing).toEqual([])

    // Nothing left to move, every message located, and every pack referred to is on the Worker.
    const [tablesA, tablesB] = [bodyTables(a.dataDir), bodyTables(b.dataDir)]
    for (const tables of [tablesA, tablesB])
      expect({ previews: tables.previews, toStore: tables.toStore, located: tables.located }).toEqual({
        previews: 0,
        toStore: 0,
        located: ids.length,
      })
    const settings = readSyncSettings(a.dataDir)
    const key = readLibraryKey(a.dataDir)
    if (!settings || !key) throw new Error('A is not set up')
    const packs = [...new Set([...tablesA.packs, ...tablesB.packs])]
    const client = makeBlobClient({ url: settings.url, storeId: settings.storeId, key })
    const missing = await client.missing(packs)
    expect(missing).toEqual([])

    const tally = Object.fromEntries(
      [...new Set(moments)].map((m) => [m, moments.filter((x) => x === m).length]),
    )
    console.log(
      `bodies: ${moments.length} serve SIGKILLs (${JSON.stringify(tally)}); ${ids.length} messages in ` +
        `${packs.length} packs; ${Math.round((Date.now() - started) / 1000)} s`,
    )
    expect(moments.filter((m) => m.startsWith('A')).length).toBeGreaterThanOrEqual(10)
    expect(moments.filter((m) => m.startsWith('B')).length).toBeGreaterThanOrEqual(10)
    // The kills landed while bodies were moving (as each machine's status said just before), not on idle machines.
    expect(moments.filter((m) => m === 'A storing').length).toBeGreaterThanOrEqual(8)
    expect(moments.filter((m) => m === 'B fetching').length).toBeGreaterThanOrEqual(8)
  }, 600_000)
})
