/**
 * A machine that already has a library of its own joins another (merge-on-join.ts): real `chronicle` commands and
 * two real `chronicle serve` processes relaying to the sync Worker as `npm run sync-worker` runs it, with the
 * samples in ../shared/samples. A holds the Roo tasks; B holds the Claude Code projects and the same Roo tasks, one
 * of them starred on B, and a trail of its own. After B joins, both machines hold every conversation once, with
 * every message once, the same eventlog, the star B gave, and the counts the UI shows right; their audit exports
 * say the same of every event; B's old trail is exported and verifies.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { samplesDir } from '../import/test-support/samples'
import { useScratch } from '../repository/test-support/scratch'
import {
  firstDifference,
  materialisedCounts,
  readLibraryFacts,
  rowCounts,
  type LibraryFacts,
} from './test-support/library-facts'
import { machineProcess } from './test-support/machine-process'
import { bothSettled, chronicle, useSyncWorker } from './test-support/two-machines'

const scratch = useScratch()
const syncWorker = useSyncWorker()
const ROO_TASKS = samplesDir('roo-code', 'tasks')
const CLAUDE_PROJECTS = samplesDir('claude-code', 'projects')

async function run(args: readonly string[]): Promise<string> {
  const done = await chronicle(args)
  expect(done.code, `chronicle ${args.join(' ')}: ${done.stderr}`).toBe(0)
  return done.stdout
}

const importInto = async (dataDir: string, path: string, source?: string) =>
  run(['import', path, ...(source ? ['--source', source] : []), '--data-dir', dataDir])

function sql<T>(dataDir: string, query: string, write = false): T {
  const db = new Database(join(dataDir, 'chronicle.sqlite'), { readonly: !write })
  try {
    const statement = db.prepare(query)
    return (statement.reader ? statement.all() : statement.run()) as T
  } finally {
    db.close()
  }
}

describe('joining with a library of its own', () => {
  it('merges it: every conversation and message once on both machines, one eventlog, the old trail kept', async () => {
    const reference = scratch.dir()
    await importInto(reference, ROO_TASKS)
    await importInto(reference, CLAUDE_PROJECTS, 'claude-code')
    const union: LibraryFacts = readLibraryFacts(reference)

    const [dirA, dirB] = [scratch.dir(), scratch.dir()]
    await importInto(dirA, ROO_TASKS)
    const setup = JSON.parse(
      await run(['sync', 'setup', syncWorker().url, '--json', '--data-dir', dirA]),
    ) as {
      pairingCode: string
    }
    await importInto(dirB, CLAUDE_PROJECTS, 'claude-code')
    await importInto(dirB, ROO_TASKS)
    const [starred] = sql<{ id: string }[]>(dirB, `SELECT id FROM conversations WHERE source = 'roo' LIMIT 1`)
    sql(dirB, `UPDATE conversations SET starred = 1 WHERE id = '${starred!.id}'`, true)
    // B's own trail, as its app would have made it.
    await run(['audit', 'verify', '--db', '--data-dir', dirB])

    const joined = JSON.parse(
      await run(['sync', 'join', setup.pairingCode, '--json', '--data-dir', dirB]),
    ) as {
      merged: {
        trailExport: string
        eventsExported: number
        signedBy: string
        conversations: number
        messages: number
      }
    }
    expect(joined.merged.conversations).toBe(Object.keys(union.messageCounts).length)
    expect(joined.merged.messages).toBe(union.messageRows)
    expect(joined.merged.eventsExported).toBeGreaterThan(0)
    // The trail B gave up verifies as the export it is, signed by B's key.
    expect(existsSync(joined.merged.trailExport)).toBe(true)
    // B's key is no longer one the library registered: the verifier trusts it when named.
    const verified = await chronicle(['audit', 'verify', joined.merged.trailExport, '--data-dir', dirB])
    expect(verified.code).not.toBe(0)
    await run([
      'audit',
      'verify',
      joined.merged.trailExport,
      '--fingerprint',
      joined.merged.signedBy,
      '--data-dir',
      dirB,
    ])

    const [a, b] = [machineProcess(dirA), machineProcess(dirB)]
    scratch.defer(() => Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]))
    await Promise.all([a.start(), b.start()])
    const whole = (dataDir: string) => () => {
      const counts = rowCounts(dataDir)
      return (
        counts.applied &&
        counts.conversations === joined.merged.conversations &&
        counts.messages === union.messageRows
      )
    }
    await bothSettled([a, b], () => whole(dirA)() && whole(dirB)(), 120_000)
    await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')])

    const [factsA, factsB] = [readLibraryFacts(dirA), readLibraryFacts(dirB)]
    expect(firstDifference(factsA.chain, factsB.chain)).toBeNull()
    for (const [dataDir, facts] of [
      [dirA, factsA],
      [dirB, factsB],
    ] as const) {
      expect(facts.messageCounts).toEqual(union.messageCounts)
      expect(facts.distinctMessageIds).toBe(union.messageRows)
      // What the pages list: every conversation, with SQL's count of its messages.
      expect(materialisedCounts(dataDir)).toEqual(union.messageCounts)
      // B's merge is the later edit of the shared conversation: its star holds on both machines.
      expect(
        sql<{ starred: number }[]>(dataDir, `SELECT starred FROM conversations WHERE id = '${starred!.id}'`),
      ).toEqual([{ starred: 1 }])
    }
    // An export of the trail from either machine is the same bytes: the worker's acceptance time included, and
    // the pusher named as the machine that vouched for each event (audit/trail-devices.ts), not as whom each hub
    // authenticated (its own clients, or the relay). Only the digest beside it differs: its signer.
    const exported = await Promise.all(
      [dirA, dirB].map(async (dataDir) => {
        const out = join(dataDir, 'trail.ndjson')
        await run(['audit', 'export', '--out', out, '--data-dir', dataDir])
        return readFileSync(out, 'utf8')
      }),
    )
    const records = exported[0]!.trim().split('\n')
    expect(records.length).toBe(factsA.chain.length)
    expect(exported[1]).toBe(exported[0])
    const pushers = new Set(records.map((line) => (JSON.parse(line) as { pushedBy: string }).pushedBy))
    expect([...pushers].filter((pusher) => !pusher.startsWith('machine:'))).toEqual([])
    // B's part of the library is in the trail as the merge made it.
    const merges = sql<{ n: number }[]>(
      dirA,
      `SELECT count(*) AS n FROM hub_events WHERE json_extract(args, '$.actor') = 'merge'`,
    )
    expect(merges[0]!.n).toBeGreaterThan(0)
  }, 240_000)
})
