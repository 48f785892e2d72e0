/**
 * Scenario `bridge`: the real main side (repository, hub, main LiveStore store, bridge) and a second LiveStore
 * client over WebSocket, in this process.
 * - import: a generated history written through the repository as an import (size small: about 100,000
 *   messages), timed until the second client holds every message;
 * - latency: 1,000 single-message inserts by another SQLite connection, each timed until the second client's
 *   query sees it;
 * - boot: the main side started again on the same data directory, until the bridge has caught up; then once more
 *   after its store's state database was damaged, until the store is open (rebuilt from the eventlog);
 * - memory: the main side's RSS and where it is (memory-split.ts), right after, 5 s later and after a full GC (the
 *   second client runs in a process of its own, as a window or device would). This process also holds tsx, the
 *   corpus generator and the other scenarios' modules, so the target is checked on what a user runs:
 * - serve: `chronicle serve` (bin/chronicle.js) started on the same import written with no store running, until it
 *   has made the import into events, then 5 s and 30 s later (serve-process-memory.ts);
 * - cold: the import made into events by a process started cold, as a command would (cold-bridge.ts).
 */
import BetterSqlite3 from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { cpSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { STORE_ID } from '../../../src/main/livestore/chronicle-store'
import { stateDbFile } from '../../../src/main/livestore/repair-store-files'
import { openRepository, type Repository } from '../../../src/main/repository/repository'
import { startSyncEndpoint, type SyncEndpoint } from '../../../src/main/sync/sync-endpoint'
import { startSyncRuntime, type SyncRuntime } from '../../../src/main/sync/sync-runtime'
import { corpusBatches } from '../../corpus/corpus'
import { summarize } from '../../lib/stats'
import { createTempDir } from '../../lib/temp-dir'
import { coldBridgeRun, importedLibrary, type ColdRun } from './cold-bridge'
import { memorySplit, splitText } from './memory-split'
import { measureServe } from './serve-process-memory'
import { MESSAGES_PER_BATCH, type Scenario, type ScenarioContext, type ScenarioOutput } from '../scenario'

const LATENCY_WRITES = 1_000
const COLD_RUNS = 3
/** The memory a desktop app's main process may keep after a large import. */
const RSS_TARGET_MIB = 400
const mib = (bytes: number) => Math.round(bytes / 2 ** 20)

interface MainSide {
  readonly repository: Repository
  readonly sync: SyncRuntime
  readonly endpoint: SyncEndpoint
}

async function startMainSide(dataDir: string): Promise<MainSide> {
  const repository = openRepository({ dataDir })
  const sync = await startSyncRuntime({
    dataDir,
    repository,
    log: () => undefined,
    bridgeIntervalMs: 5,
  })
  return { repository, sync, endpoint: await startSyncEndpoint(sync.wsServer) }
}

async function stopMainSide(main: MainSide): Promise<void> {
  await main.sync.close()
  await main.endpoint.close()
  await main.repository.close()
}

const DEVICE = fileURLToPath(new URL('./device-child.ts', import.meta.url))

/** The second client, in its own process; it reports each change of its message count with the time. */
function startDevice(dataDir: string, url: string, credential: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', DEVICE, dataDir, url, credential], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let seen = { count: -1, at: 0 }
  let waiter: { count: number; resolve: (at: number) => void } | null = null
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [count, at] = line.split(' ').map(Number)
    seen = { count: count ?? 0, at: at ?? 0 }
    if (waiter && seen.count >= waiter.count) {
      waiter.resolve(seen.at)
      waiter = null
    }
  })
  return {
    /** Resolves with the epoch time at which the device held `count` messages. */
    reaches: (count: number) =>
      new Promise<number>((resolve) => {
        if (seen.count >= count) resolve(seen.at)
        else waiter = { count, resolve }
      }),
    stop: async () => {
      child.kill('SIGTERM')
      await once(child, 'exit')
    },
  }
}

const epochNow = () => performance.timeOrigin + performance.now()

async function run(context: ScenarioContext): Promise<ScenarioOutput> {
  const dir = createTempDir('bridge', context.keep)
  try {
    const dataDir = join(dir.path, 'data')
    // What the process holds before the main side opens: Node, tsx's loader thread, every module (the app's, as
    // `chronicle serve` loads them) and the corpus generator's vocabulary: not made by the import.
    global.gc?.()
    const beforeOpen = memorySplit()
    let main = await startMainSide(dataDir)
    const device = startDevice(dataDir, main.endpoint.url, main.sync.credentials.deviceCredential)
    await device.reaches(0)

    // Import: written like the importer writes, in transactions of 5,000 messages.
    let total = 0
    const started = performance.now()
    for (const batch of corpusBatches(
      { seed: context.seed, conversations: context.conversations, messagesPerBatch: MESSAGES_PER_BATCH },
      context.vocab,
    )) {
      await main.repository.write('import', async (w) => {
        await w.upsertConversations(batch.conversations)
        await w.upsertMessages(batch.messages)
      })
      total += batch.messages.length
    }
    const writtenMs = performance.now() - started
    context.log(`bridge: ${total} messages written to SQL in ${(writtenMs / 1000).toFixed(1)} s; syncing`)
    const importMs = (await device.reaches(total)) - (performance.timeOrigin + started)
    const events = await main.sync.hub.eventlog.head()
    context.log(`bridge: the second client has all ${total} messages after ${(importMs / 1000).toFixed(1)} s`)

    // Latency: another connection inserts one message at a time.
    const outside = new BetterSqlite3(main.repository.file)
    outside.pragma('busy_timeout = 5000')
    outside
      .prepare(
        `INSERT INTO conversations (id, source, source_id, title, created_at, updated_at, last_activity_at)
         VALUES ('bench:latency', 'chronicle', 'latency', 'Latency', 0, 0, 0)`,
      )
      .run()
    const insert = outside.prepare(
      `INSERT INTO messages (id, conversation_id, ordinal, role, text) VALUES (?, 'bench:latency', ?, 'user', ?)`,
    )
    const latencies: number[] = []
    for (let i = 0; i < LATENCY_WRITES; i += 1) {
      const t0 = epochNow()
      insert.run(`bench:latency#${i}`, i, `latency probe ${i}`)
      latencies.push((await device.reaches(total + i + 1)) - t0)
    }
    outside.close()
    const latency = summarize(latencies)
    const memory = memorySplit()
    context.log(`bridge: after the import, ${splitText(memory)} MiB`)
    await new Promise((resolve) => setTimeout(resolve, 5_000))
    const settled = memorySplit()
    global.gc?.()
    const collected = memorySplit()

    await device.stop()
    await stopMainSide(main)
    const bootStarted = performance.now()
    main = await startMainSide(dataDir)
    await main.sync.bridge.drain()
    const bootMs = performance.now() - bootStarted
    await stopMainSide(main)
    // The same boot after the main store's state database was damaged: the repair rebuilds it from the eventlog in
    // one transaction (rebuild-state.ts) before LiveStore opens the store.
    writeFileSync(
      stateDbFile(join(dataDir, 'livestore', STORE_ID)),
      'this is not a SQLite database\n'.repeat(500),
    )
    const rebuildStarted = performance.now()
    main = await startMainSide(dataDir)
    const rebuildMs = performance.now() - rebuildStarted
    await stopMainSide(main)

    context.log('bridge: the cold case: the same import, made into events by a process started cold')
    const library = await importedLibrary(context, dir.path)
    const cold: ColdRun[] = []
    for (let i = 0; i < COLD_RUNS; i += 1) cold.push(await coldBridgeRun(library, dir.path))
    context.log(
      'bridge: what a user runs: chronicle serve on the same import, made into events in its process',
    )
    const serveDir = join(dir.path, 'serve')
    cpSync(library, serveDir, { recursive: true })
    const serve = await measureServe(serveDir, 'chronicle serve', context.log)
    rmSync(serveDir, { recursive: true, force: true })
    const coldSeconds = summarize(cold.map((run) => run.seconds))
    const coldRss = summarize(cold.map((run) => run.rssMiB))

    const figures = {
      messages: total,
      events,
      writtenMs,
      importMs,
      latency,
      bootMs,
      rebuildMs,
      rssMiB: memory.rss,
      beforeOpen,
      memory,
      settled,
      collected,
      cold,
      serve,
    }
    return {
      sqliteVersion: 'see the search scenario',
      figures,
      tables: [
        {
          title: 'SQL → LiveStore → a second client (real hub, bridge and WebSocket client)',
          headers: ['measure', 'value', 'target'],
          rows: [
            ['messages imported', total, null],
            ['events in the eventlog', events, null],
            ['SQL writes, s', Number((writtenMs / 1000).toFixed(2)), null],
            ['import until the second client has all, s', Number((importMs / 1000).toFixed(2)), '< 60'],
            ['external insert → second client, p50 ms', latency.p50, null],
            ['external insert → second client, p95 ms', latency.p95, '< 100'],
            ['external insert → second client, max ms', latency.max, null],
            ['main-side boot with the data, ms', Math.round(bootMs), '< 2,000'],
            [
              '  after its state database was damaged (rebuilt from the eventlog), ms',
              Math.round(rebuildMs),
              null,
            ],
            [
              'this process before the main side opened (Node, tsx, modules, corpus vocabulary), RSS MiB',
              beforeOpen.rss,
              null,
            ],
            ['  V8 heap, MiB (live in it)', `${beforeOpen.heapTotal} (${beforeOpen.heapUsed})`, null],
            ['this process after the import, RSS MiB (target: the next table)', memory.rss, null],
            ['  V8 heap, MiB (live in it)', `${memory.heapTotal} (${memory.heapUsed})`, null],
            ['  external: WebAssembly SQLite, buffers, MiB', memory.external, null],
            ['  native: SQLite page cache, malloc, code, MiB', memory.native, null],
            ['main-side RSS 5 s later, MiB', settled.rss, null],
            ['live V8 heap after a full GC, MiB', collected.heapUsed, null],
            ['main-side RSS after a full GC, MiB', collected.rss, null],
            ['main-side peak RSS, MiB', memory.peakRss, null],
          ],
          note: `${LATENCY_WRITES} latency probes, one at a time; the second client runs in its own process`,
        },
        {
          title:
            'What a user runs: `chronicle serve` started on the same import written with no store running',
          headers: ['measure', 'value', 'target'],
          rows: [
            [
              'import made into events (the trail covers the change feed), s',
              Number(serve.caughtUpS.toFixed(1)),
              null,
            ],
            ['RSS then, MiB', serve.caughtUp.rss, null],
            ['RSS 5 s later, MiB', serve.settled.rss, `< ${RSS_TARGET_MIB}`],
            ['RSS 30 s later, MiB', serve.idle.rss, `< ${RSS_TARGET_MIB}`],
            [
              '  main V8 heap, MiB (live in it)',
              `${mib(serve.idle.heap.heapTotal)} (${mib(serve.idle.heap.heapUsed)})`,
              null,
            ],
            ['peak RSS, MiB', serve.idle.peak, null],
          ],
          note: "its own process, as the desktop app's main process is; RSS from /proc, every thread included",
        },
        {
          title:
            'The same import made into events by a process started cold (a command: repository, hub, store, bridge)',
          headers: ['measure', 'p50', 'max', 'target'],
          rows: [
            ['process start until the backlog is 0, s', coldSeconds.p50, coldSeconds.max, '< 30'],
            [
              '  of which opening, s',
              summarize(cold.map((run) => run.openSeconds)).p50,
              summarize(cold.map((run) => run.openSeconds)).max,
              null,
            ],
            ['RSS at the end, MiB', Math.round(coldRss.p50), Math.round(coldRss.max), null],
          ],
          note: `${COLD_RUNS} runs, each on a fresh copy of the imported library (${cold[0]?.backlog} changes)`,
        },
      ],
    }
  } finally {
    context.log(`bridge: ${dir.dispose()}`)
  }
}

export const bridgeScenario: Scenario = {
  name: 'bridge',
  summary: 'SQL to a second LiveStore client: import time, insert latency, main-side boot and memory',
  defaultSize: 'small',
  run,
}
