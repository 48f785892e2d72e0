/**
 * Joining a library from Settings, with a library of this machine's own, while the app runs: the API call the page
 * makes (syncJoin) against the sync Worker as `npm run sync-worker` runs it, A set up with the real `chronicle`
 * commands. B's own conversations go into the joined library, its old trail is exported (Settings sees each step
 * as it runs), and B's running app relays from then on and ends with every conversation of both machines, each
 * message once.
 */
import { describe, expect, it } from 'vitest'
import type { ApiResults } from '../../shared/api/contract'
import { until } from '../hub/test-support/until'
import { samplesDir } from '../import/test-support/samples'
import { useScratch } from '../repository/test-support/scratch'
import { readLibraryFacts, rowCounts } from '../relay/test-support/library-facts'
import { chronicle, useSyncWorker } from '../relay/test-support/two-machines'
import { startApplication } from './application'
import { applicationOptions } from './test-support/application-options'

const scratch = useScratch()
const syncWorker = useSyncWorker()

async function run(args: readonly string[]): Promise<string> {
  const done = await chronicle(args)
  expect(done.code, `chronicle ${args.join(' ')}: ${done.stderr}`).toBe(0)
  return done.stdout
}

const importRoo = (dataDir: string) => run(['import', samplesDir('roo-code', 'tasks'), '--data-dir', dataDir])
const importClaude = (dataDir: string) =>
  run(['import', samplesDir('claude-code', 'projects'), '--source', 'claude-code', '--data-dir', dataDir])

describe('joining from Settings while the app runs', () => {
  it("brings this machine's own library into the joined one, and relays from then on", async () => {
    const reference = scratch.dir()
    await importRoo(reference)
    await importClaude(reference)
    const union = readLibraryFacts(reference)

    const dirA = scratch.dir()
    await importRoo(dirA)
    const { pairingCode } = JSON.parse(
      await run(['sync', 'setup', syncWorker().url, '--json', '--data-dir', dirA]),
    ) as { pairingCode: string }

    const dirB = scratch.dir()
    await importClaude(dirB)
    const lines: string[] = []
    const b = await startApplication(applicationOptions(dirB, lines))
    scratch.defer(() => b.close())
    // What Settings polls meanwhile: the join's steps, answered while sync is closed around the join.
    const steps = new Set<string>()
    const polling = setInterval(() => {
      void b.dispatch('syncMembershipProgress', {}).then((progress) => {
        const step = (progress as { value: ApiResults['syncMembershipProgress'] }).value?.step
        if (step) steps.add(step)
      })
    }, 5)
    const answer = (await b.dispatch('syncJoin', { pairingCode }).finally(() => clearInterval(polling))) as {
      ok: boolean
      value: ApiResults['syncJoin']
    }
    expect([...steps]).toEqual(expect.arrayContaining(['exporting-trail', 'preparing-merge']))
    expect((await b.dispatch('syncMembershipProgress', {})) as unknown).toEqual({ ok: true, value: null })
    expect(answer).toMatchObject({ ok: true, value: { remote: { role: 'joined' }, claimedNow: false } })
    expect(answer.value.merged).toMatchObject({
      conversations: rowCounts(dirB).conversations,
      eventsExported: expect.any(Number) as unknown,
    })
    expect(b.sync.relay).not.toBeNull()

    const conversations = Object.keys(union.messageCounts).length
    await until(
      () => rowCounts(dirB),
      (counts) =>
        counts.applied && counts.conversations === conversations && counts.messages === union.messageRows,
      120_000,
    )
    await until(
      () => b.sync.relay!.status(),
      (status) => status.connection.state === 'connected' && status.waiting === 0,
      60_000,
    )
    expect((await b.dispatch('syncPairingCode', {})) as unknown).toEqual({ ok: true, value: { pairingCode } })
  })
})
