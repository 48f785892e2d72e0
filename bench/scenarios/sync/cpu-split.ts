/**
 * Where the one core went: CPU time (user and system, every thread, from /proc) of the processes under the bench,
 * by part: machine A's serve, machine B's serve, the Worker's workerd, the rest (wrangler's and the launcher's Node,
 * Chromium), and the bench itself. A serve's child processes count as the serve's.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { clockTicks } from '../idle/process-usage'

export const PARTS = ['A', 'B', 'workerd', 'other', 'bench'] as const
export type Part = (typeof PARTS)[number]
export type CpuSnapshot = { readonly at: number } & Record<Part, number>

interface Proc {
  readonly ppid: number
  readonly comm: string
  readonly ticks: number
}

function processes(): Map<number, Proc> {
  const all = new Map<number, Proc>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const fields = stat.slice(close + 2).split(' ')
      all.set(Number(entry), {
        ppid: Number(fields[1]),
        comm: stat.slice(stat.indexOf('(') + 1, close),
        ticks: Number(fields[11]) + Number(fields[12]),
      })
    } catch {
      // The process ended while we looked.
    }
  }
  return all
}

/** CPU seconds so far of each part; `machines` names the serves' process ids. */
export function cpuSnapshot(machines: { readonly A: number; readonly B: number }): CpuSnapshot {
  const hz = clockTicks()
  const sums: Record<Part, number> = { A: 0, B: 0, workerd: 0, other: 0, bench: 0 }
  const all = processes()
  for (const [pid, proc] of all) {
    let part: Part | null = null
    for (let at = pid; at > 1 && part === null; at = all.get(at)?.ppid ?? 0) {
      if (at === machines.A) part = 'A'
      else if (at === machines.B) part = 'B'
      else if (at === process.pid) part = proc.comm === 'workerd' ? 'workerd' : 'other'
    }
    if (part !== null && pid !== process.pid) sums[part] += proc.ticks / hz
  }
  const own = process.cpuUsage()
  sums.bench = (own.user + own.system) / 1e6
  return { at: performance.now(), ...sums }
}

/** Each part's CPU seconds between two snapshots, and the wall-clock seconds. */
export function cpuBetween(from: CpuSnapshot, to: CpuSnapshot): { wall: number } & Record<Part, number> {
  const spent = Object.fromEntries(PARTS.map((part) => [part, to[part] - from[part]])) as Record<Part, number>
  return { wall: (to.at - from.at) / 1000, ...spent }
}
