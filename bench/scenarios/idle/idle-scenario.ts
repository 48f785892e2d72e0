/**
 * Scenario `idle`: what `chronicle serve` costs when it is left open and nothing happens, as a desktop app is all
 * day. A library of 80 generated conversations (whatever --size says: idle cost should not grow with the library),
 * served twice: with `--no-watch`, and watching the default locations of a home folder holding the sample
 * histories. Once the bridge has caught up and the first imports are done, the process is left alone for three
 * minutes and measured from /proc: CPU time as a share of one core, resident memory, and context switches
 * (wake-ups). Each minute is reported apart because one of them holds a one-time cost: some seconds after the
 * process goes quiet, V8's memory reducer runs three full collections that give the catch-up's heap back (about
 * 0.5 s of CPU over the main and GC threads, once after each burst of work, at a time V8 chooses). The median
 * minute is what the process costs while nothing happens.
 */
import { join } from 'node:path'
import { openRepository } from '../../../src/main/repository/repository'
import { corpusBatches } from '../../corpus/corpus'
import { percentile, round2 } from '../../lib/stats'
import { createTempDir } from '../../lib/temp-dir'
import type { Table } from '../../lib/table'
import { MESSAGES_PER_BATCH, type Scenario, type ScenarioContext, type ScenarioOutput } from '../scenario'
import { clockTicks, readUsage, type UsageSample } from './process-usage'
import { writeSampleHome } from './sample-home'
import { startServe } from './serve-process'

const CONVERSATIONS = 80
/** After the backlog is empty: LiveStore's boot, the watchers' first imports and their events settle. */
const SETTLE_MS = 15_000
const MINUTE_MS = 60_000
const MINUTES = 3
const MEASURE_MS = MINUTES * MINUTE_MS
const SAMPLE_MS = 5_000
const TARGET_CPU_PERCENT = 0.3

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function writeLibrary(dataDir: string, context: ScenarioContext): Promise<number> {
  const repository = openRepository({ dataDir })
  let messages = 0
  for (const batch of corpusBatches(
    { seed: context.seed, conversations: CONVERSATIONS, messagesPerBatch: MESSAGES_PER_BATCH },
    context.vocab,
  )) {
    await repository.write('import', async (w) => {
      await w.upsertConversations(batch.conversations)
      await w.upsertMessages(batch.messages)
    })
    messages += batch.messages.length
  }
  await repository.close()
  return messages
}

interface IdleFigures {
  /** Over the whole measure. */
  readonly cpuPercent: number
  /** Each minute apart, and their median (the quiet minute). */
  readonly minuteCpuPercent: readonly number[]
  readonly quietMinuteCpuPercent: number
  readonly windowCpuPercent: { readonly p50: number; readonly p95: number }
  readonly rssMiB: { readonly p50: number; readonly max: number }
  readonly wakeupsPerSecond: number
  readonly threads: number
  readonly settleMs: number
}

function figuresOf(samples: readonly UsageSample[], ticksPerSecond: number, settleMs: number): IdleFigures {
  const first = samples[0]
  const last = samples.at(-1)
  if (!first || !last || last === first) throw new Error('fewer than two samples')
  const seconds = (last.at - first.at) / 1000
  const share = (ticks: number, s: number) => (ticks / ticksPerSecond / s) * 100
  // Thousandths of a percent: an idle minute is a few hundredths.
  const shareBetween = (a: UsageSample, b: UsageSample) =>
    Math.round(share(b.cpuTicks - a.cpuTicks, (b.at - a.at) / 1000) * 1000) / 1000
  const perMinute = (samples.length - 1) / MINUTES
  const minutes = Array.from({ length: MINUTES }, (_, i) =>
    shareBetween(samples[i * perMinute] ?? first, samples[(i + 1) * perMinute] ?? last),
  )
  const windows = samples
    .slice(1)
    .map((s, i) => share(s.cpuTicks - samples[i]!.cpuTicks, (s.at - samples[i]!.at) / 1000))
    .sort((a, b) => a - b)
  const rss = samples.map((s) => s.rssKiB / 1024).sort((a, b) => a - b)
  return {
    cpuPercent: shareBetween(first, last),
    minuteCpuPercent: minutes,
    quietMinuteCpuPercent: percentile(
      [...minutes].sort((a, b) => a - b),
      50,
    ),
    windowCpuPercent: { p50: round2(percentile(windows, 50)), p95: round2(percentile(windows, 95)) },
    rssMiB: { p50: Math.round(percentile(rss, 50)), max: Math.round(rss.at(-1) ?? 0) },
    wakeupsPerSecond: Math.round((last.switches - first.switches) / seconds),
    threads: last.threads,
    settleMs: Math.round(settleMs),
  }
}

/** Serves the library, waits for it to settle, then samples it for a minute. */
async function measure(
  dataDir: string,
  home: string,
  watch: boolean,
  context: ScenarioContext,
): Promise<IdleFigures> {
  const serve = await startServe({ dataDir, home, watch })
  try {
    const started = performance.now()
    while ((await serve.backlog()) > 0) await sleep(1_000)
    await sleep(SETTLE_MS)
    // A watcher's import that wrote late leaves a backlog: wait for that too.
    while ((await serve.backlog()) > 0) await sleep(1_000)
    const settleMs = performance.now() - started
    context.log(`idle: ${watch ? 'watching' : '--no-watch'} settled; measuring for ${MEASURE_MS / 1000} s`)
    const samples = [readUsage(serve.pid)]
    for (let t = 0; t < MEASURE_MS; t += SAMPLE_MS) {
      await sleep(SAMPLE_MS)
      samples.push(readUsage(serve.pid))
    }
    return figuresOf(samples, clockTicks(), settleMs)
  } finally {
    await serve.stop()
  }
}

async function run(context: ScenarioContext): Promise<ScenarioOutput> {
  if (process.platform !== 'linux') throw new Error('the idle scenario reads /proc: Linux only')
  const dir = createTempDir('idle', context.keep)
  try {
    const messages = await writeLibrary(join(dir.path, 'data'), context)
    context.log(`idle: ${CONVERSATIONS} conversations, ${messages} messages written`)
    const noWatch = await measure(join(dir.path, 'data'), join(dir.path, 'empty-home'), false, context)
    const watched = writeSampleHome(join(dir.path, 'home'))
    const watching = await measure(join(dir.path, 'data'), join(dir.path, 'home'), true, context)
    const row = (name: string, f: IdleFigures) => [
      name,
      f.quietMinuteCpuPercent,
      f.minuteCpuPercent.map((m) => m.toFixed(3)).join(' / '),
      f.windowCpuPercent.p50,
      f.windowCpuPercent.p95,
      f.rssMiB.p50,
      f.rssMiB.max,
      f.wakeupsPerSecond,
      f.threads,
    ]
    const table: Table = {
      title: `chronicle serve left alone for ${MEASURE_MS / MINUTE_MS} minutes (${CONVERSATIONS} conversations, ${messages.toLocaleString('en-US')} messages)`,
      headers: [
        'serve',
        'CPU % of a core, quiet minute',
        'minutes 1 / 2 / 3',
        `${SAMPLE_MS / 1000} s windows p50 %`,
        'p95 %',
        'RSS p50 MiB',
        'RSS max MiB',
        'wake-ups/s',
        'threads',
      ],
      rows: [row('--no-watch', noWatch), row(`watching ${watched.length} sample folders`, watching)],
      note: `Target: under ${TARGET_CPU_PERCENT}% of a core while nothing happens (the median minute; another holds V8's one-time heap reduction after the catch-up). CPU is utime+stime of every thread (/proc/<pid>/stat); wake-ups are context switches of every thread per second.`,
    }
    return {
      sqliteVersion: 'see the search scenario',
      figures: { conversations: CONVERSATIONS, messages, noWatch, watching },
      tables: [table],
    }
  } finally {
    context.log(`idle: ${dir.dispose()}`)
  }
}

export const idleScenario: Scenario = {
  name: 'idle',
  summary: 'chronicle serve left open with nothing happening: CPU share of a core, memory, wake-ups',
  defaultSize: 'small',
  run,
}
