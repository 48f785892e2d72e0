/**
 * One real sync Worker for a whole test file: workerd takes seconds to start, too long to pay per test. Apart from
 * local-worker.ts because it registers vitest hooks, and local-worker.ts also runs outside vitest (the bench's
 * worker-child.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { startLocalWorker, workerdDescendants, type LocalWorker } from './local-worker'

export type FileWorker = { worker(): LocalWorker; persistTo(): string }

/**
 * Starts the Worker before the file's tests, its storage in a fresh `chronicle-<prefix>-…` directory outside the
 * scratch folders (those go after each test; this storage is shared by the whole file). After them it stops the
 * Worker, removes the directory, and fails the file if a workerd that ran with the Worker outlives it. vitest runs
 * afterAll hooks last-registered first: an afterAll a file registers after this call runs while the Worker is up.
 */
export function useLocalWorker(prefix: string, options: { readonly claimSecret?: string } = {}): FileWorker {
  let worker: LocalWorker | undefined
  let persistTo: string | undefined

  beforeAll(async () => {
    persistTo = mkdtempSync(join(tmpdir(), `chronicle-${prefix}-`))
    worker = await startLocalWorker(persistTo, 0, options)
  }, 60_000)

  afterAll(async () => {
    const workerds = workerdDescendants()
    await worker?.dispose()
    if (persistTo !== undefined) rmSync(persistTo, { recursive: true, force: true })
    expect(workerds.filter((pid) => workerdDescendants().includes(pid))).toEqual([])
  })

  const started = <T>(value: T | undefined, name: string): T => {
    if (value === undefined)
      throw new Error(`useLocalWorker('${prefix}'): ${name}() is there only once beforeAll ran`)
    return value
  }
  return { worker: () => started(worker, 'worker'), persistTo: () => started(persistTo, 'persistTo') }
}
