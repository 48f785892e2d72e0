/**
 * Temporary data directories and repositories for tests: real SQLite files under the OS temp folder, closed and
 * removed after each test so no test sees another's data.
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { openRepository, type Repository, type RepositoryOptions } from '../repository'

export interface Scratch {
  /** A new empty directory, removed after the test. */
  dir(): string
  /** Opens a repository (in a new directory unless one is given), closed after the test. */
  open(options?: Partial<RepositoryOptions>): Repository
  /** Runs after the test, before the directories are removed (most recent first). */
  defer(cleanup: () => unknown): void
}

export function useScratch(): Scratch {
  const dirs: string[] = []
  const cleanups: (() => unknown)[] = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const dir = (): string => {
    const created = mkdtempSync(join(tmpdir(), 'chronicle-test-'))
    dirs.push(created)
    return created
  }
  return {
    dir,
    open(options = {}) {
      const repo = openRepository({ dataDir: options.dataDir ?? dir(), ...options })
      let closed = false
      cleanups.push(async () => {
        if (!closed) await repo.close()
        closed = true
      })
      return repo
    },
    defer: (cleanup) => void cleanups.push(cleanup),
  }
}

export const sha256File = (file: string): string =>
  createHash('sha256').update(readFileSync(file)).digest('hex')
