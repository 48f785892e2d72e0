/**
 * One full garbage collection when a burst of commits has ended. Turning a large import into events leaves V8's
 * old generation grown with garbage (the SQL rows read, the events made, LiveStore's and the hub's copies of
 * them), and a process that then idles keeps it: V8 collects the old generation when it next fills, and an idle
 * process does not fill it. Measured on `chronicle serve` after its bridge had turned a 100,523-message import
 * into events (bench/scenarios/bridge/serve-memory.ts, one shared core): without this, V8 heap 348 MiB of which
 * 288 live and RSS 622 MiB, the same 30 s later; with it, 176 of which 142 live and RSS 376, from 5 s after, for
 * one pause of 881 ms. The collection is the one a debugger asks for, through an inspector session in this
 * process: it collects until nothing more is freed and gives the emptied pages back (the one `--expose-gc` gives
 * left 328 MiB of heap reserved for 143 live, RSS 541).
 */
import { Session } from 'node:inspector'

export interface BurstCollectorOptions {
  /** Events committed since the last collection that make a burst (default 500, about 25,000 imported messages). */
  readonly events?: number
  /** How long commits must have stopped before collecting (default 2 s). */
  readonly quietMs?: number
  /** The collection (default: fullCollection). */
  readonly collect?: () => Promise<void> | void
  /** Told of each collection: how long it took and the V8 heap in use before and after, in MiB. */
  readonly log?: (line: string) => void
}

export interface BurstCollector {
  /** Counts committed events; a burst's last commit schedules the collection, a later commit postpones it. */
  committed(events: number): void
  dispose(): void
}

const BURST_EVENTS = 500
const QUIET_MS = 2_000

export function burstCollector(options: BurstCollectorOptions = {}): BurstCollector {
  const burst = options.events ?? BURST_EVENTS
  const quietMs = options.quietMs ?? QUIET_MS
  const collect = options.collect ?? fullCollection
  let since = 0
  let timer: NodeJS.Timeout | undefined
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20)
  const collectNow = async () => {
    timer = undefined
    const events = since
    since = 0
    const before = process.memoryUsage().heapUsed
    const started = performance.now()
    try {
      await collect()
      options.log?.(
        `memory: a full collection after ${events} events took ${Math.round(performance.now() - started)} ms; ` +
          `V8 heap in use ${mib(before)} MiB before, ${mib(process.memoryUsage().heapUsed)} after`,
      )
    } catch (error) {
      // Memory kept is no reason to stop the store.
      options.log?.(`memory: a full collection failed: ${String(error)}`)
    }
  }
  return {
    committed(events) {
      since += events
      clearTimeout(timer)
      if (since < burst) return
      timer = setTimeout(() => void collectNow(), quietMs)
      // A collection is no reason to keep a process alive.
      timer.unref()
    },
    dispose() {
      clearTimeout(timer)
    },
  }
}

/**
 * V8's collection of all it can free (Isolate::LowMemoryNotification), which returns the pages it empties; asked
 * through the inspector protocol, as DevTools' "collect garbage" button does, since Node gives JavaScript no other
 * way to it. The session is left after the answer, outside its callback (leaving inside it never returns).
 */
export function fullCollection(): Promise<void> {
  const session = new Session()
  session.connect()
  return new Promise((resolve, reject) => {
    session.post('HeapProfiler.collectGarbage', (error) => {
      setImmediate(() => session.disconnect())
      if (error) reject(error)
      else resolve()
    })
  })
}
