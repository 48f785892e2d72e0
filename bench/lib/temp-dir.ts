/** Benchmark databases live in the OS temp folder and are removed afterwards, unless the user asks to keep them. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TempDir {
  readonly path: string
  /** Removes the folder, or tells where it stayed. */
  dispose(): string
}

export function createTempDir(prefix: string, keep: boolean): TempDir {
  const path = mkdtempSync(join(tmpdir(), `chronicle-bench-${prefix}-`))
  return {
    path,
    dispose() {
      if (keep) return `kept ${path}`
      rmSync(path, { recursive: true, force: true })
      return `removed ${path}`
    },
  }
}
