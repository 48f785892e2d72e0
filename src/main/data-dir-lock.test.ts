/**
 * One store per data directory: the lock is taken once, refused while a live process holds it, and taken over
 * from a process that died or from a damaged lock file (bad input: a pid that is gone, a file that is not JSON,
 * a pid that is not a number). Releasing removes only this process's own lock.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DataDirLockedError, LOCK_FILE, lockDataDir, tryLockDataDir } from './data-dir-lock'
import { useScratch } from './repository/test-support/scratch'

const scratch = useScratch()

/** A pid that no process has any more. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  })
  return Number(child.stdout)
}

function liveStranger(): number {
  const child = spawn('sleep', ['30'])
  scratch.defer(() => void child.kill())
  return child.pid ?? 0
}

describe('the data directory lock', () => {
  it('is private, names its holder, and is removed on release', () => {
    const dir = scratch.dir()
    const release = lockDataDir(dir, 'chronicle serve')
    const file = join(dir, LOCK_FILE)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ pid: process.pid, holder: 'chronicle serve' })
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    release()
    expect(existsSync(file)).toBe(false)
  })

  it('is refused while another live process holds it, with who and how to recover', () => {
    const dir = scratch.dir()
    const pid = liveStranger()
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, holder: 'the Chronicle app' }))
    const attempt = tryLockDataDir(dir, 'chronicle serve')
    expect(attempt).toEqual({ locked: false, heldBy: { pid, holder: 'the Chronicle app' } })
    expect(() => lockDataDir(dir, 'chronicle serve')).toThrow(DataDirLockedError)
    expect(() => lockDataDir(dir, 'chronicle serve')).toThrow(
      `the Chronicle app (pid ${pid}) is already running on ${dir}`,
    )
  })

  it.each([
    ['a pid that is gone', () => JSON.stringify({ pid: deadPid(), holder: 'chronicle serve' })],
    ['a file that is not JSON', () => '{"pid": 12'],
    ['a pid that is not a number', () => JSON.stringify({ pid: 'me', holder: 'x' })],
  ])('is taken over from %s', (_bad, content) => {
    const dir = scratch.dir()
    writeFileSync(join(dir, LOCK_FILE), content())
    const attempt = tryLockDataDir(dir, 'chronicle audit')
    expect(attempt.locked).toBe(true)
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid })
  })

  it("releasing leaves another process's lock alone", () => {
    const dir = scratch.dir()
    const release = lockDataDir(dir, 'chronicle serve')
    const pid = liveStranger()
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, holder: 'the Chronicle app' }))
    release()
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid })
  })
})
