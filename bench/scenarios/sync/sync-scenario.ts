/**
 * Scenario `sync`: two machines sharing one library through the sync Worker, every part real: the Worker in workerd
 * from wrangler, in a process of its own (worker-child.ts: as tests start it, without file watching), machine A set up with `chronicle sync setup`, machine B
 * joined with its pairing code, each a `chronicle serve --no-watch` on a data directory of its own, and B's page
 * in Debian Chromium. It measures:
 * - the ui scenario's library (10,000 conversations and a long one at size large) written into A's repository as an
 *   import does, until B's repository holds every conversation and message (target under 60 s), with when A's hub,
 *   the Worker and B's hub held the last event;
 * - an edit on A (a retitle by another SQLite connection) until B's page draws it, split per hop (target p95 under
 *   300 ms);
 * - what relaying adds to a local push: A's write to A's hub storing the event, with the remote reachable (B
 *   stopped, so nothing else runs) and then with A having left the library (target p95 under 30 ms added);
 * - the Worker's resident memory and storage, per 100k events;
 * - message bodies (issue 17): from the start of the write until B's search finds a phrase in the body B fetches
 *   last (target under 90 s), their bytes on A against the Worker's storage, and the long tasks of a page of B's
 *   left open through the import while B's bodies download (bodies.ts, bodies-watch.ts, bodies-tables.ts).
 */
import type { Page } from '@playwright/test'
import { join } from 'node:path'
import { mkdirSync } from 'node:fs'
import { chronicle } from '../../../e2e/support/chronicle-cli'
import { nodeProfileArgs, profilePage } from '../../lib/cpu-profiles'
import { buildPage, launchChromium, openLibrary } from '../../lib/page-in-chromium'
import { createTempDir } from '../../lib/temp-dir'
import { FIRST_ROW_PROBE } from '../ui/page-probes'
import { writeLibrary } from '../ui/ui-library'
import type { Scenario, ScenarioContext, ScenarioOutput } from '../scenario'
import { bodyBytes, plantInOldest, workerStorage, type WorkerStorage } from './bodies'
import { bodiesTables, type BodiesFigures } from './bodies-tables'
import { LONG_TASK_RECORDER, longTasksOf, watchBodies, type BodiesWatcher } from './bodies-watch'
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from './cpu-split'
import { editDrawnOnB, editSeries, editStoredOnA, openWriter } from './edits'
import { lookInto, startMachine, syncStatus, type Machine, type MachineLook } from './machine-process'
import { syncTables, type ImportPoint, type SyncFigures, type WorkerSample } from './sync-tables'
import {
  bytesUnder,
  startWorkerProcess,
  watchWorker,
  workerdRssMiB,
  type WorkerWatcher,
} from './worker-watch'

const EDITS = 40
/** Local pushes timed with the remote and without: more runs, as the two p95s are subtracted. */
const PUSHES = 100
const WARMUP = 3
const IMPORT_TIMEOUT_MS = 15 * 60_000

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function untilConnected(machine: Machine): Promise<void> {
  for (;;) {
    const { remote } = await syncStatus(machine)
    if (remote?.connection.state === 'connected' && remote.connection.caughtUp) return
    await pause(200)
  }
}

/** A refused relay stays refused until the user acts: the bench says why at once instead of waiting out its timeout. */
async function failIfRefused(machines: Record<string, Machine>): Promise<void> {
  for (const [name, machine] of Object.entries(machines)) {
    const connection = (await syncStatus(machine)).remote?.connection
    if (connection?.state === 'refused')
      throw new Error(`sync: machine ${name}'s relay was refused: ${connection.reason ?? 'no reason given'}`)
  }
}

/** Writes the library into A and follows it to B's repository; times from the start of the write. */
async function importOnA(
  context: ScenarioContext,
  parts: {
    dataA: string
    a: Machine
    b: Machine
    lookA: MachineLook
    lookB: MachineLook
    watcher: WorkerWatcher
    bodies: BodiesWatcher
  },
) {
  const { a, lookA, lookB, watcher } = parts
  const pids = { A: a.pid, B: parts.b.pid }
  const cpuAtStart = cpuSnapshot(pids)
  let cpuAtBridged: CpuSnapshot | null = null
  const started = Date.now()
  parts.bodies.start(started)
  const library = await writeLibrary(parts.dataA, context)
  const planted = await plantInOldest(parts.dataA)
  const writtenMs = Date.now() - started
  const want = lookA.counts()
  parts.bodies.written(planted, want.messages)
  context.log(
    `sync: ${library.conversations} conversations written on A in ${(writtenMs / 1000).toFixed(1)} s`,
  )
  let aSettled: number | null = null
  let bSql: number | null = null
  let lastLog = 0
  const timeline: ImportPoint[] = []
  while (bSql === null) {
    const now = Date.now()
    if (now - started > IMPORT_TIMEOUT_MS) break
    if (aSettled === null) {
      const status = await syncStatus(a)
      if (status.repositoryBacklog === 0) cpuAtBridged ??= cpuSnapshot(pids)
      if (status.repositoryBacklog === 0 && status.unconfirmed === 0) aSettled = Date.now()
    }
    const got = lookB.counts()
    if (aSettled !== null && got.conversations >= want.conversations && got.messages >= want.messages)
      bSql = Date.now()
    if (now - lastLog >= 10_000) {
      lastLog = now
      await failIfRefused({ A: a, B: parts.b })
      const status = await syncStatus(a)
      const point: ImportPoint = {
        s: Math.round((now - started) / 1000),
        backlogA: status.repositoryBacklog,
        unconfirmedA: status.unconfirmed,
        headA: lookA.head(),
        headWorker: watcher.head(),
        headB: lookB.head(),
        ...got,
      }
      timeline.push(point)
      context.log(`sync: ${JSON.stringify(point)}`)
    }
    await pause(250)
  }
  const cpuAtEnd = cpuSnapshot(pids)
  const head = lookA.head()
  const since = (at: number | null) => (at === null ? null : at - started)
  return {
    library,
    events: head,
    writtenMs,
    aSettledMs: since(aSettled),
    lastOnAMs: since(lookA.acceptedAt(head)),
    lastServedMs: since(watcher.seenAt(head)),
    lastOnBMs: since(lookB.acceptedAt(head)),
    bSqlMs: since(bSql),
    bCounts: lookB.counts(),
    aCounts: want,
    timeline,
    cpu: {
      bridging: cpuBetween(cpuAtStart, cpuAtBridged ?? cpuAtEnd),
      relaying: cpuAtBridged ? cpuBetween(cpuAtBridged, cpuAtEnd) : null,
    },
  }
}

/** Waits until B's search finds the planted phrase (or the watch times out); then the bodies' figures. */
async function bodiesMoved(
  bodies: BodiesWatcher,
  at: { page: Page; persistTo: string; dataA: string; storageEmpty: WorkerStorage },
): Promise<Omit<BodiesFigures, 'bSqlMs'>> {
  const times = await bodies.done
  return {
    times,
    bytesOnA: bodyBytes(at.dataA),
    storageEmpty: at.storageEmpty,
    storageAfter: workerStorage(at.persistTo),
    longTasks: await longTasksOf(at.page),
  }
}

function workerSample(label: string, persistTo: string, events: number): WorkerSample {
  return { label, events, rssMiB: workerdRssMiB(), bytes: bytesUnder(persistTo) }
}

async function run(context: ScenarioContext): Promise<ScenarioOutput> {
  const dir = createTempDir('sync', context.keep)
  const [persistTo, dataA, dataB] = ['worker', 'a', 'b'].map((name) => join(dir.path, name)) as [
    string,
    string,
    string,
  ]
  mkdirSync(persistTo)
  await buildPage(context.log)
  const worker = await startWorkerProcess(persistTo)
  const stops: (() => Promise<void> | void)[] = [() => worker.stop()]
  try {
    const samples = [workerSample('started, no library', persistTo, 0)]
    const { pairingCode } = JSON.parse(
      chronicle(['sync', 'setup', worker.url, '--json', '--data-dir', dataA]),
    ) as {
      pairingCode: string
    }
    chronicle(['sync', 'join', pairingCode, '--data-dir', dataB])
    const a = await startMachine(dataA, nodeProfileArgs(context.cpuProfileDir, 'machine-a'))
    stops.push(() => a.stop())
    const b = await startMachine(dataB, nodeProfileArgs(context.cpuProfileDir, 'machine-b'))
    stops.push(() => b.stop())
    await Promise.all([untilConnected(a), untilConnected(b)])
    const watcher = await watchWorker(dataA, context.log)
    stops.push(() => watcher.close())
    const lookA = lookInto(dataA)
    const lookB = lookInto(dataB)
    stops.push(
      () => lookA.close(),
      () => lookB.close(),
    )
    await pause(2_000)
    samples.push(workerSample('two machines connected', persistTo, watcher.head()))
    const storageEmpty = workerStorage(persistTo)
    context.log(`sync: worker at ${worker.url}, two machines connected; importing on A`)

    // B's page open through the import, as at a machine in use: its long tasks while B's bodies download.
    const watching = await launchChromium(join(dir.path, 'profile-watching'))
    stops.push(() => watching.close())
    const watchingPage = await openLibrary(watching, b.url, 0, LONG_TASK_RECORDER)
    // With --cpu-prof: the page and its leader worker while the import streams in and the bodies follow.
    const watchingProfile = await profilePage(watchingPage, context.cpuProfileDir, 'machine-b-watching')
    const bodies = watchBodies({ a, b, lookB, timeoutMs: IMPORT_TIMEOUT_MS, log: context.log })
    const imported = await importOnA(context, { dataA, a, b, lookA, lookB, watcher, bodies })
    samples.push(workerSample('after the import', persistTo, imported.events))
    context.log(`sync: import on B's repository after ${imported.bSqlMs} ms (${imported.events} events)`)

    const bodiesFigures = await bodiesMoved(bodies, { page: watchingPage, persistTo, dataA, storageEmpty })
    for (const file of await watchingProfile.stop()) context.log(`sync: CPU profile ${file}`)
    await watching.close()
    samples.push(workerSample('after the bodies', persistTo, lookA.head()))
    const found = bodiesFigures.times.foundAt
    context.log(
      `sync: B's search ${found === null ? 'did not find' : 'found'} the planted phrase` +
        (found === null ? '' : ` ${found - bodiesFigures.times.started} ms after the write began`),
    )

    const profile = join(dir.path, 'profile')
    const syncStarted = performance.now()
    const browser = await launchChromium(profile)
    stops.push(() => browser.close())
    const page = await openLibrary(browser, b.url, imported.library.conversations, FIRST_ROW_PROBE)
    const firstSyncMs = performance.now() - syncStarted
    context.log(`sync: B's page shows the library after ${(firstSyncMs / 1000).toFixed(1)} s; editing on A`)

    const writer = openWriter(dataA)
    stops.push(() => writer.close())
    const ids = writer.ids(PUSHES + WARMUP)
    const parts = { page, writer, lookA, lookB, watcher }
    const hops = await editSeries(ids.slice(0, EDITS + WARMUP), WARMUP, (id, i) =>
      editDrawnOnB(parts, id, `Edited on A ${i}`),
    )
    samples.push(workerSample('after the edits', persistTo, lookA.head()))
    await browser.close()
    await b.stop()

    context.log('sync: local pushes with the remote (B stopped)')
    const relayed = await editSeries(ids, WARMUP, (id, i) =>
      editStoredOnA({ writer, lookA }, id, `Pushed through the relay ${i}`),
    )
    await a.stop()
    chronicle(['sync', 'leave', '--data-dir', dataA])
    const alone = await startMachine(dataA)
    stops.push(() => alone.stop())
    for (;;) {
      const status = await syncStatus(alone)
      if (status.remote === null && status.repositoryBacklog === 0) break
      await pause(200)
    }
    context.log('sync: local pushes without a remote')
    const local = await editSeries(ids, WARMUP, (id, i) =>
      editStoredOnA({ writer, lookA }, id, `Pushed with no remote ${i}`),
    )
    const figures: SyncFigures = {
      imported,
      firstSyncMs,
      hops,
      relayed,
      local,
      samples,
      workerHead: watcher.head(),
      watcherReopened: watcher.reopened(),
    }
    return {
      sqliteVersion: 'see the search scenario',
      figures: { ...figures, bodies: bodiesFigures },
      tables: [...syncTables(figures), ...bodiesTables({ ...bodiesFigures, bSqlMs: imported.bSqlMs })],
    }
  } finally {
    for (const stop of stops.reverse()) {
      try {
        await stop()
      } catch (error) {
        context.log(`sync: while stopping: ${String(error)}`)
      }
    }
    context.log(`sync: ${dir.dispose()}`)
  }
}

export const syncScenario: Scenario = {
  name: 'sync',
  summary:
    "two machines through the sync Worker: an edit on A to B's page, an import to B, relay overhead, Worker cost",
  defaultSize: 'large',
  run,
}
