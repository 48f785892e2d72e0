/**
 * The log is capped: a process that logs for months must not fill the disk. Bad input: many more lines than fit
 * under a small cap, from two loggers (two processes share one data directory's log).
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileLogger } from './logger'
import { useScratch } from './repository/test-support/scratch'

const scratch = useScratch()

describe('the log', () => {
  it('rotates at its cap and keeps a fixed number of old logs, newest first', () => {
    const dataDir = scratch.dir()
    const [first, second] = [
      fileLogger(dataDir, { maxBytes: 1_000, keep: 2 }),
      fileLogger(dataDir, { maxBytes: 1_000, keep: 2 }),
    ]
    for (let i = 0; i < 200; i++)
      (i % 2 === 0 ? first : second)(`line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}`)
    const logs = join(dataDir, 'logs')
    expect(readdirSync(logs).sort()).toEqual(['chronicle.log', 'chronicle.log.1', 'chronicle.log.2'])
    for (const name of readdirSync(logs)) expect(statSync(join(logs, name)).size).toBeLessThanOrEqual(1_000)
    const lastOf = (name: string) => readFileSync(join(logs, name), 'utf8').trimEnd().split('\n').at(-1) ?? ''
    expect(lastOf('chronicle.log')).toContain('line 199')
    const ordinal = (name: string) => Number(/line (\d+)/.exec(lastOf(name))?.[1])
    expect(ordinal('chronicle.log.2')).toBeLessThan(ordinal('chronicle.log.1'))
    expect(ordinal('chronicle.log.1')).toBeLessThan(199)
  })

  it('starts a new log when a line alone is larger than the cap, and loses no line', () => {
    const dataDir = scratch.dir()
    const log = fileLogger(dataDir, { maxBytes: 100, keep: 3 })
    log('y'.repeat(300))
    log('after')
    const logs = join(dataDir, 'logs')
    expect(readFileSync(join(logs, 'chronicle.log.1'), 'utf8')).toContain('y'.repeat(300))
    expect(readFileSync(join(logs, 'chronicle.log'), 'utf8')).toContain('after')
  })

  it.runIf(process.platform !== 'win32')(
    'is 0600 in a 0700 folder, also where an older version left both open',
    () => {
      const dataDir = scratch.dir()
      const logs = join(dataDir, 'logs')
      mkdirSync(logs, { mode: 0o755 })
      chmodSync(logs, 0o755)
      writeFileSync(join(logs, 'chronicle.log'), 'old\n', { mode: 0o644 })
      chmodSync(join(logs, 'chronicle.log'), 0o644)
      fileLogger(dataDir)('new')
      expect(statSync(logs).mode & 0o777).toBe(0o700)
      expect(statSync(join(logs, 'chronicle.log')).mode & 0o777).toBe(0o600)
      expect(readFileSync(join(logs, 'chronicle.log'), 'utf8')).toMatch(/^old\n.* new\n$/)
    },
  )
})
