/**
 * The memory of `chronicle serve --no-watch` (bin/chronicle.js, as installed) on a data directory: started with an
 * inspector, through which its own heap is read and collected, and measured once the trail covers the change feed
 * (trail-coverage.ts, read from another connection), 5 s and 30 s later, and after a full GC. RSS from
 * /proc/PID/status (every thread included), the main thread's V8 heap and external memory from
 * process.memoryUsage(), and the processes it started (none expected). Used by the bridge scenario and by
 * serve-memory.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { trailCoverage } from '../../../src/main/audit/trail-coverage'
import { openRepository } from '../../../src/main/repository/repository'
import { loadDeviceIdentity } from '../../../src/main/sync/device-identity'

const CLI = fileURLToPath(new URL('../../../bin/chronicle.js', import.meta.url))
const mib = (bytes: number) => Math.round(bytes / 2 ** 20)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A Chrome DevTools Protocol session with the serve process's main thread. */
function inspector(url: string) {
  const socket = new WebSocket(url)
  const opened = new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  let next = 1
  const waiting = new Map<number, (message: { result?: unknown; error?: unknown }) => void>()
  const chunks: string[] = []
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as {
      id?: number
      method?: string
      params?: { chunk?: string }
      result?: unknown
      error?: unknown
    }
    if (message.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(message.params?.chunk ?? '')
    if (message.id !== undefined) waiting.get(message.id)?.(message)
  })
  const send = async (method: string, params: object = {}) => {
    await opened
    const id = next++
    const reply = await new Promise<{ result?: unknown; error?: unknown }>((resolve) => {
      waiting.set(id, resolve)
      socket.send(JSON.stringify({ id, method, params }))
    })
    if (reply.error) throw new Error(`${method}: ${JSON.stringify(reply.error)}`)
    return reply.result as { result?: { value?: unknown } }
  }
  return {
    async memoryUsage(): Promise<NodeJS.MemoryUsage> {
      const reply = await send('Runtime.evaluate', {
        expression: 'JSON.stringify(process.memoryUsage())',
        returnByValue: true,
      })
      return JSON.parse(String(reply.result?.value)) as NodeJS.MemoryUsage
    },
    gc: () => send('HeapProfiler.collectGarbage'),
    async snapshot(file: string) {
      chunks.length = 0
      await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
      const out = createWriteStream(file)
      for (const chunk of chunks) out.write(chunk)
      await new Promise((resolve) => out.end(resolve))
    },
    close: () => socket.close(),
  }
}

/** RSS and peak RSS of a process, and the RSS of the processes it started, in MiB. */
function processMemory(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0)
  let children = 0
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid)
        children += Number(
          /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1] ?? 0,
        )
    } catch {
      // A process that ended meanwhile.
    }
  }
  return {
    mappings: mappingSplit(pid),
    rss: Math.round(field('VmRSS') / 1024),
    peak: Math.round(field('VmHWM') / 1024),
    anon: Math.round(field('RssAnon') / 1024),
    threads: field('Threads'),
    children: Math.round(children / 1024),
  }
}

/**
 * The resident memory by kind of mapping (/proc/PID/smaps), in MiB: files (the code of Node, its addons, mapped
 * data), malloc's main heap, WebAssembly memories (anonymous reservations of 4 GiB and more: LiveStore's SQLite),
 * and the other anonymous memory (the V8 heaps of every thread, thread stacks,
 * malloc's other arenas, where SQLite's page caches are).
 */
function mappingSplit(pid: number) {
  const split = { files: 0, mallocHeap: 0, wasm: 0, otherAnon: 0 }
  let kind: keyof typeof split = 'otherAnon'
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ (\d+)\s*(.*)$/.exec(line)
    if (range) {
      const size = Number.parseInt(range[2] ?? '0', 16) - Number.parseInt(range[1] ?? '0', 16)
      const path = range[4] ?? ''
      kind =
        path === '[heap]'
          ? 'mallocHeap'
          : path.startsWith('/')
            ? 'files'
            : size >= 4 * 2 ** 30
              ? 'wasm'
              : 'otherAnon'
      continue
    }
    const rss = /^Rss:\s+(\d+) kB$/.exec(line)
    if (rss) split[kind] += Number(rss[1])
  }
  return Object.fromEntries(Object.entries(split).map(([k, kib]) => [k, Math.round(kib / 1024)]))
}

function startServe(dataDir: string): Promise<{ child: ChildProcess; inspectorUrl: string }> {
  const child = spawn(
    process.execPath,
    ['--inspect=127.0.0.1:0', CLI, 'serve', '--no-watch', '--port', '0', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  return new Promise((resolve, reject) => {
    let inspectorUrl = ''
    let errors = ''
    child.stderr?.on('data', (data: Buffer) => {
      errors = (errors + data.toString('utf8')).slice(-2_000)
      inspectorUrl ||= /ws:\/\/\S+/.exec(errors)?.[0] ?? ''
    })
    // Serving: the application has started (its store open, its bridge running).
    child.stdout?.on('data', (data: Buffer) => {
      if (data.toString('utf8').includes('is serving')) resolve({ child, inspectorUrl })
    })
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${errors}`)))
  })
}

export type ServeMemory = Awaited<ReturnType<typeof measureServe>>

/** `report` gets one line per measurement, and one when the serve has caught up. */
export async function measureServe(
  dataDir: string,
  label: string,
  report: (line: string) => void,
  snapshotDir?: string,
) {
  const started = performance.now()
  const { child, inspectorUrl } = await startServe(dataDir)
  const session = inspector(inspectorUrl)
  // The trail is read from a connection of this process.
  const repository = openRepository({ dataDir })
  const deviceId = loadDeviceIdentity(dataDir).id
  for (;;) {
    const coverage = await trailCoverage(repository.db, deviceId)
    if (coverage.pending === 0) break
    await sleep(250)
  }
  await repository.close()
  const caughtUpS = (performance.now() - started) / 1000
  const at = async () => ({ ...processMemory(child.pid ?? 0), heap: await session.memoryUsage() })
  const caughtUp = await at()
  await sleep(5_000)
  const settled = await at()
  // V8's memory reducer collects an isolate that has stopped allocating some seconds after; a user's idle app.
  await sleep(25_000)
  const idle = await at()
  await session.gc()
  await sleep(1_000)
  const collected = await at()
  if (snapshotDir) await session.snapshot(join(snapshotDir, `${label.replace(/ /g, '-')}.heapsnapshot`))
  session.close()
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
  const row = (name: string, m: typeof caughtUp) =>
    `${label} ${name}: RSS ${m.rss} (anon ${m.anon}, peak ${m.peak}, ${m.threads} threads, children ${m.children})` +
    ` = main V8 heap ${mib(m.heap.heapTotal)} (${mib(m.heap.heapUsed)} live) + external ${mib(m.heap.external)}` +
    ` (array buffers ${mib(m.heap.arrayBuffers)}) + rest ${m.rss - mib(m.heap.heapTotal) - mib(m.heap.external)};` +
    ` by mapping ${JSON.stringify(m.mappings)}`
  report(`${label}: caught up after ${caughtUpS.toFixed(1)} s`)
  for (const [name, m] of [
    ['caught up', caughtUp],
    ['5 s later', settled],
    ['30 s later', idle],
    ['after a full GC', collected],
  ] as const)
    report(row(name, m))
  return { caughtUpS, caughtUp, settled, idle, collected }
}
