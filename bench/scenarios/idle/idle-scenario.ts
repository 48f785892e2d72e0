/**
 * Scenario `idle`: what `chronicle serve` costs when it is left open and nothing happens, as a desktop app is all
 * day. A library of 80 generated conversations (whatever --size says: idle cost should not grow with the library),
 * served twice: with `--no-watch`, and watching the default locations of a home folder holding the sample
 * histories. Once the bridge has caught up and the first imports are done, the process is left alone for a minute
 * and measured from /proc: CPU time as a share of one core, resident memory, and context switches (wake-ups).
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
const MEASURE_MS = 60_000
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
  readonly cpuPercent: number
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
  const windows = samples
    .slice(1)
    .map((s, i) => share(s.cpuTicks - samples[i]!.cpuTicks, (s.at - samples[i]!.at) / 1000))
    .sort((a, b) => a - b)
  const rss = samples.map((s) => s.rssKiB / 1024).sort((a, b) => a - b)
  return {
    cpuPercent: round2(share(last.cpuTicks - first.cpuTicks, seconds) * 100) / 100,
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
      f.cpuPercent,
      f.windowCpuPercent.p50,
      f.windowCpuPercent.p95,
      f.rssMiB.p50,
      f.rssMiB.max,
      f.wakeupsPerSecond,
      f.threads,
    ]
    const table: Table = {
      title: `chronicle serve left alone for ${MEASURE_MS / 1000} s (${CONVERSATIONS} conversations, ${messages.toLocaleString('en-US')} messages)`,
      headers: [
        'serve',
        'CPU % of a core',
        `${SAMPLE_MS / 1000} s windows p50 %`,
        'p95 %',
        'RSS p50 MiB',
        'RSS max MiB',
        'wake-ups/s',
        'threads',
      ],
      rows: [row('--no-watch', noWatch), row(`watching ${watched.length} sample folders`, watching)],
      note: `Target: under ${TARGET_CPU_PERCENT}% of a core. CPU is utime+stime of every thread (/proc/<pid>/stat); wake-ups are context switches of every thread per second.`,
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
