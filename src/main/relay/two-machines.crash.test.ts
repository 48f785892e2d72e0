/**
 * Runs with the crash tests, after the others (package.json test:unit): two `chronicle serve` processes, a workerd
 * and a stream of imports need the machine's cores.
 *
 * Fault injection with real parts (issue 16): machine A set up on the sync Worker (`npm run sync-worker`), B joined
 * with its pairing code, both serving, each importing its own generated Claude Code sessions in batches
 * (`chronicle import`, bridged into events by its serve). Meanwhile the serve processes are SIGKILLed at varied
 * moments (while their bridge has changes to turn into events, while their events wait for the Worker's
 * confirmation, while they pull the other machine's) and started again, and the Worker is stopped (Ctrl-C) and
 * crashed (its process group SIGKILLed) and started again on the same port and storage. Then, with everything up:
 * both hub eventlogs are the same chain (numbers, names, clients, args, hashes), both repositories hold every
 * conversation of both machines with all its messages, every message is appended in the eventlog exactly once,
 * and the machine that imported a message still holds its body.
 */
import { describe, expect, it } from 'vitest'
import { PREVIEW_CHARS } from '../../shared/livestore/events'
import { useScratch } from '../repository/test-support/scratch'
import { writeSessions, type GeneratedBatch } from './test-support/generated-sessions'
import { appendedTwice, firstDifference, readLibraryFacts, rowCounts } from './test-support/library-facts'
import type { MachineProcess } from './test-support/machine-process'
import { bothSettled, importClaudeCode, setUpTwoMachines, useSyncWorker } from './test-support/two-machines'

const STEPS = 20
const SESSIONS_PER_BATCH = 6
const MESSAGES_PER_SESSION = 40
/** After an import starts, how long until the kill: from at once to well after the import's own end. */
const DELAYS_MS = [0, 60, 150, 300, 500, 800, 1_200, 30, 2_000, 100]
/** Steps where the Worker goes away (and how), after the step's import began. */
const WORKER_FAULTS = new Map<number, 'SIGTERM' | 'SIGKILL'>([
  [2, 'SIGTERM'],
  [5, 'SIGKILL'],
  [7, 'SIGTERM'],
  [10, 'SIGTERM'],
  [13, 'SIGKILL'],
  [15, 'SIGTERM'],
  [18, 'SIGTERM'],
])

const scratch = useScratch()
const syncWorker = useSyncWorker()

/**
 * What a machine was doing when it was killed, as its own status said just before: connecting (its first pull not
 * answered), catching up (pulling what the Worker holds), pulling (the Worker ahead of it), pushing (its events
 * unconfirmed), bridging (repository changes not yet events), offline (the Worker away). Several may hold at once.
 */
async function momentOf(machine: MachineProcess): Promise<string[]> {
  const status = await machine.syncStatus().catch(() => null)
  if (!status?.remote) return ['unknown']
  const { connection, remoteHead, localHead } = status.remote
  const moments = [
    connection.state === 'connecting' && 'connecting',
    connection.state === 'unreachable' && 'offline',
    connection.state === 'connected' && !connection.caughtUp && 'catching up',
    remoteHead !== null && remoteHead > localHead && 'pulling',
    status.unconfirmed > 0 && 'pushing',
    status.repositoryBacklog > 0 && 'bridging',
  ].filter((moment): moment is string => moment !== false)
  return moments.length > 0 ? moments : ['idle']
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('two machines, their serve processes and the Worker killed during a bridged import on both', () => {
  it('converge: one eventlog, every conversation on both, nothing lost, nothing appended twice', async () => {
    const started = Date.now()
    const { a, b } = await setUpTwoMachines(syncWorker().url, { a: scratch.dir(), b: scratch.dir() })
    scratch.defer(() => Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]))
    await Promise.all([a.start(), b.start()])
    const generated = scratch.dir()
    const batches: { a: GeneratedBatch[]; b: GeneratedBatch[] } = { a: [], b: [] }
    const moments: string[][] = []
    const workerStops = { SIGTERM: 0, SIGKILL: 0 }
    let kills = 0
    const kill = async (machine: MachineProcess) => {
      moments.push(await momentOf(machine))
      await machine.stop('SIGKILL')
      kills += 1
    }

    for (let step = 0; step < STEPS; step += 1) {
      const size = { sessions: SESSIONS_PER_BATCH, messages: MESSAGES_PER_SESSION, batch: step }
      const ofA = writeSessions(generated, { label: 'a', ...size })
      const ofB = writeSessions(generated, { label: 'b', ...size })
      batches.a.push(ofA)
      batches.b.push(ofB)
      const imports = [importClaudeCode(a.dataDir, ofA.projects), importClaudeCode(b.dataDir, ofB.projects)]
      const [target, other] = step % 2 === 0 ? [a, b] : [b, a]
      await sleep(DELAYS_MS[step % DELAYS_MS.length] ?? 0)
      const workerFault = WORKER_FAULTS.get(step)
      if (workerFault) {
        await syncWorker().stop(workerFault)
        workerStops[workerFault] += 1
      }
      await kill(target)
      const keptDown = !workerFault && step % 3 === 2
      // Kept down while both imports finish: back, it has the other machine's batch to pull and its own changes to
      // bridge and push, and is killed again in the middle of that.
      if (keptDown) await Promise.all(imports)
      await target.start()
      if (keptDown) {
        await sleep(DELAYS_MS[(step + 5) % DELAYS_MS.length] ?? 0)
        await kill(target)
        await target.start()
      }
      if (workerFault) {
        // Both machines have events waiting; the Worker returns and one of them dies while they go up.
        await syncWorker().start()
        await sleep(DELAYS_MS[(step + 3) % DELAYS_MS.length] ?? 0)
        await kill(other)
        await other.start()
      }
      for (const run of await Promise.all(imports)) expect(run.code, run.stderr).toBe(0)
    }

    const expected = new Map([...batches.a, ...batches.b].flatMap((batch) => [...batch.conversations]))
    const expectedMessages = [...expected.values()].reduce((n, ids) => n + ids.length, 0)
    const complete = () =>
      [a, b].every((m) => {
        const counts = rowCounts(m.dataDir)
        return (
          counts.applied && counts.conversations === expected.size && counts.messages === expectedMessages
        )
      })
    await bothSettled([a, b], complete, 180_000)
    await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')])
    const [factsA, factsB] = [readLibraryFacts(a.dataDir), readLibraryFacts(b.dataDir)]

    // One eventlog: the same chain on both machines, event for event.
    expect(factsA.chain.length).toBeGreaterThan(2 * STEPS * SESSIONS_PER_BATCH)
    expect(firstDifference(factsA.chain, factsB.chain)).toBeNull()
    // Nothing lost: every conversation of both machines, with all its messages, on both.
    const expectedCounts = Object.fromEntries([...expected].map(([id, ids]) => [id, ids.length]))
    expect(factsA.messageCounts).toEqual(expectedCounts)
    expect(factsB.messageCounts).toEqual(expectedCounts)
    // Nothing twice: one row per message, and each message appended by exactly one event.
    for (const facts of [factsA, factsB]) {
      expect(facts.messageRows).toBe(expectedMessages)
      expect(facts.distinctMessageIds).toBe(expectedMessages)
      expect(appendedTwice(facts)).toEqual([])
      expect(facts.appended.size).toBe(expectedMessages)
    }
    // The machine that imported a message keeps its body; the other holds the preview its event carried.
    for (const [facts, own] of [
      [factsA, batches.a],
      [factsB, batches.b],
    ] as const) {
      const shortened = own
        .flatMap((batch) => [...batch.conversations.values()].flat())
        .filter((id) => (facts.texts.get(id)?.length ?? 0) <= PREVIEW_CHARS)
      expect(shortened).toEqual([])
    }

    const tally = Object.fromEntries(
      [...new Set(moments.flat())].map((moment) => [
        moment,
        moments.filter((m) => m.includes(moment)).length,
      ]),
    )
    console.log(
      `two machines: ${kills} serve SIGKILLs (${JSON.stringify(tally)}), Worker stopped ${workerStops.SIGTERM}x ` +
        `and crashed ${workerStops.SIGKILL}x; ${expected.size} conversations, ${expectedMessages} messages, ` +
        `${factsA.chain.length} events; ${Math.round((Date.now() - started) / 1000)} s`,
    )
    expect(kills).toBeGreaterThanOrEqual(20)
    expect(workerStops.SIGTERM).toBeGreaterThanOrEqual(5)
    expect(workerStops.SIGKILL).toBeGreaterThanOrEqual(1)
    // The kills landed while there was work in flight, not only on idle machines. Where each landed is sampled
    // just before it (momentOf), so the split between pushing and catching up depends on the machine's speed: on
    // an idle 2-core machine a restarted serve can finish catching up before its kill (1 of 31 kills, against 5 to
    // 7 on a loaded one), and more kills find a machine idle (15 of 31 in a CI run). All is logged above; the
    // test holds a floor that every run so far cleared by a margin.
    expect(moments.filter((m) => !m.includes('idle')).length).toBeGreaterThanOrEqual(10)
    expect(
      moments.filter((m) => m.some((x) => ['pushing', 'pulling', 'catching up', 'connecting'].includes(x)))
        .length,
    ).toBeGreaterThanOrEqual(6)
  }, 600_000)
})
