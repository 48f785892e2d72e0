/** What the figures were measured on: without it a number cannot be compared with another run's. */
import { execFileSync } from 'node:child_process'
import { cpus, platform, release, totalmem } from 'node:os'

export interface MachineInfo {
  readonly cpus: number
  readonly cpuModel: string
  readonly memoryGiB: number
  readonly platform: string
  readonly node: string
  readonly sqlite: string
  readonly commit: string | null
  readonly date: string
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
  } catch {
    return null
  }
}

export function machineInfo(sqliteVersion: string, now: Date): MachineInfo {
  const list = cpus()
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${platform()} ${release()}`,
    node: process.version,
    sqlite: sqliteVersion,
    commit: gitCommit(),
    date: now.toISOString(),
  }
}
