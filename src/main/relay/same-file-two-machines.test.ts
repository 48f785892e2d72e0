/**
 * The same session files imported on two machines of one library (issue 16: "a ~/.claude synced by another tool"):
 * real `chronicle serve` processes relaying to the sync Worker as `npm run sync-worker` runs it, real
 * `chronicle import`s of the samples in ../shared/samples. Once one after the other while both are connected, once
 * with B offline (its import made while the Worker is away, A's made before). Either way each machine ends with one
 * conversation per session and no message twice in SQL, both eventlogs the same chain, every message body each
 * machine imported still whole, and each machine's LiveStore state counting each conversation's messages as SQL does.
 */
import { describe, expect, it } from 'vitest'
import { samplesDir } from '../import/test-support/samples'
import { useScratch } from '../repository/test-support/scratch'
import {
  appendedTwice,
  firstDifference,
  materialisedCounts,
  readLibraryFacts,
  rowCounts,
  type LibraryFacts,
} from './test-support/library-facts'
import type { MachineProcess } from './test-support/machine-process'
import { bothSettled, chronicle, setUpTwoMachines, useSyncWorker } from './test-support/two-machines'

const scratch = useScratch()
const syncWorker = useSyncWorker()

async function importInto(machine: MachineProcess, path: string) {
  const run = await chronicle(['import', path, '--json', '--data-dir', machine.dataDir])
  expect(run.code, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as { conversations: { added: number }; messages: { added: number } }
}

/** What one machine alone holds after importing `path`: the reference both machines must match. */
async function alone(path: string): Promise<LibraryFacts> {
  const dataDir = scratch.dir()
  const run = await chronicle(['import', path, '--data-dir', dataDir])
  expect(run.code, run.stderr).toBe(0)
  return readLibraryFacts(dataDir)
}

async function twoMachines() {
  const { a, b } = await setUpTwoMachines(syncWorker().url, { a: scratch.dir(), b: scratch.dir() })
  scratch.defer(() => Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]))
  await Promise.all([a.start(), b.start()])
  return { a, b }
}

const holds = (machine: MachineProcess, reference: LibraryFacts) => () => {
  const counts = rowCounts(machine.dataDir)
  return (
    counts.applied &&
    counts.conversations === Object.keys(reference.messageCounts).length &&
    counts.messages === reference.messageRows
  )
}

/**
 * One conversation per session, no message row twice, one chain, every body as the file has it, and each
 * machine's state counting what SQL holds.
 */
function expectOneLibrary(machines: readonly MachineProcess[], reference: LibraryFacts) {
  const [a, b] = machines.map((machine) => readLibraryFacts(machine.dataDir)) as [LibraryFacts, LibraryFacts]
  expect(firstDifference(a.chain, b.chain)).toBeNull()
  for (const facts of [a, b]) {
    expect(facts.messageCounts).toEqual(reference.messageCounts)
    expect(facts.distinctMessageIds).toBe(reference.messageRows)
    expect(facts.texts).toEqual(reference.texts)
  }
  for (const machine of machines) expect(materialisedCounts(machine.dataDir)).toEqual(reference.messageCounts)
  const byName = new Map<string, number>()
  for (const { name } of a.chain) byName.set(name, (byName.get(name) ?? 0) + 1)
  console.log(
    `events: ${a.chain.length} (${[...byName].map(([name, n]) => `${name} ${n}`).join(', ')}); ` +
      `message ids appended twice: ${appendedTwice(a).length}`,
  )
  return { facts: a, byName }
}

describe('the same session files imported on two machines', () => {
  it('one after the other, both connected: one conversation, each message appended once, bodies kept', async () => {
    const path = samplesDir('claude-code', 'projects')
    const reference = await alone(path)
    expect(reference.messageRows).toBeGreaterThan(50)
    const { a, b } = await twoMachines()
    await importInto(a, path)
    await bothSettled([a, b], holds(b, reference), 90_000)
    const second = await importInto(b, path)
    expect(second.conversations.added).toBe(0)
    expect(second.messages.added).toBe(0)
    await bothSettled([a, b], () => rowCounts(a.dataDir).applied && rowCounts(b.dataDir).applied, 90_000)
    await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')])
    const { facts, byName: events } = expectOneLibrary([a, b], reference)
    expect(appendedTwice(facts)).toEqual([])
    // B's import filled in the bodies of rows A's events made: it announces no conversation again. It does
    // announce every message again (one MessagesUpdated per conversation, the same previews): the change feed
    // cannot tell a body filled in from a body changed.
    expect(events.get('v1.ConversationImported')).toBe(Object.keys(reference.messageCounts).length)
  }, 180_000)

  it('B offline while it imports what A imported: one conversation, no message row twice, bodies kept', async () => {
    const path = samplesDir('roo-code', 'tasks')
    const reference = await alone(path)
    expect(reference.messageRows).toBeGreaterThan(50)
    const { a, b } = await twoMachines()
    // B is away (its serve stopped) while A imports and sends its events up.
    await b.stop('SIGTERM')
    await importInto(a, path)
    await bothSettled([a], holds(a, reference), 90_000)
    // B comes back where the Worker cannot be reached, and imports the same files there.
    await syncWorker().stop('SIGTERM')
    await b.start()
    const offline = await importInto(b, path)
    expect(offline.conversations.added).toBe(Object.keys(reference.messageCounts).length)
    await syncWorker().start()
    await bothSettled([a, b], () => holds(a, reference)() && holds(b, reference)(), 90_000)
    await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')])
    const { facts } = expectOneLibrary([a, b], reference)
    // Both machines did import these messages: B's bridge announced its rows as new before it could see A's
    // events, and LiveStore's rebase keeps both announcements, so the eventlog (the audit trail) appends every
    // message of these sessions twice. The state counts a message id once however often it is appended
    // (materializers.ts), so the counts above are SQL's all the same.
    expect(appendedTwice(facts).sort()).toEqual([...reference.texts.keys()].sort())
  }, 180_000)
})
