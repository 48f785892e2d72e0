/**
 * What a process costs the machine, read from Linux's /proc: CPU time (user and system, every thread), resident
 * memory, and context switches of every thread. A thread that sleeps until a timer or a file event switches out
 * once per wake-up, so the switches count wake-ups even when each costs too little CPU time to see.
 */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

/** Clock ticks per second, the unit of utime and stime in /proc/<pid>/stat (100 on every usual Linux). */
export const clockTicks = (): number =>
  Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100

export interface UsageSample {
  /** performance.now() when read. */
  readonly at: number
  /** utime + stime, in clock ticks. */
  readonly cpuTicks: number
  readonly rssKiB: number
  /** Voluntary and involuntary context switches summed over the process's threads. */
  readonly switches: number
  readonly threads: number
}

const field = (status: string, name: string): number =>
  Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0)

export function readUsage(pid: number): UsageSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const cpuTicks = Number(fields[11]) + Number(fields[12])
  let switches = 0
  const tasks = readdirSync(`/proc/${pid}/task`)
  for (const task of tasks) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8')
      switches += field(status, 'voluntary_ctxt_switches') + field(status, 'nonvoluntary_ctxt_switches')
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  const rssKiB = field(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS')
  return { at: performance.now(), cpuTicks, rssKiB, switches, threads: tasks.length }
}
