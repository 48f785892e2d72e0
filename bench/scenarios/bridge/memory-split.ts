/**
 * Where a process's resident memory is, in MiB: V8's heap (what it reserved, and what is live in it), memory
 * outside it that V8 counts (buffers, and LiveStore's WebAssembly SQLite, whose memory is an ArrayBuffer), and the
 * rest, which is native (SQLite's page cache and malloc's free lists, the code of Node and its modules).
 */
import { readFileSync } from 'node:fs'

export interface MemorySplit {
  readonly rss: number
  readonly heapTotal: number
  readonly heapUsed: number
  readonly external: number
  readonly native: number
  /** The highest RSS the process had so far (Linux only). */
  readonly peakRss: number | null
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20)

export function memorySplit(): MemorySplit {
  const m = process.memoryUsage()
  return {
    rss: mib(m.rss),
    heapTotal: mib(m.heapTotal),
    heapUsed: mib(m.heapUsed),
    external: mib(m.external),
    native: mib(m.rss - m.heapTotal - m.external),
    peakRss: peakRssMiB(),
  }
}

function peakRssMiB(): number | null {
  try {
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]
    return kib === undefined ? null : Math.round(Number(kib) / 1024)
  } catch {
    return null
  }
}

export const splitText = (s: MemorySplit): string =>
  `RSS ${s.rss} = V8 heap ${s.heapTotal} (${s.heapUsed} live) + external ${s.external} + native ${s.native}`
