import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { reasonFor } from './file-errors'
import { UnitReadError } from './source-adapter'

export interface FileFingerprint {
  readonly path: string
  readonly size: number
  readonly mtimeMs: number
}

export interface UnitFingerprint {
  readonly files: readonly FileFingerprint[]
  /** One hash over every file's path, size and mtime: equal hashes mean nothing to read again. */
  readonly hash: string
}

/** Stats a unit's files (never reads them). A file that cannot be stat'ed makes the unit unreadable this time. */
export async function fingerprintUnit(paths: readonly string[]): Promise<UnitFingerprint> {
  const files: FileFingerprint[] = []
  for (const path of [...paths].sort()) {
    try {
      const info = await stat(path)
      if (!info.isFile()) throw new UnitReadError(path, 'is not a regular file')
      files.push({ path, size: info.size, mtimeMs: Math.floor(info.mtimeMs) })
    } catch (error) {
      if (error instanceof UnitReadError) throw error
      // A file that vanished between listing and reading is usually being replaced: worth another try.
      const vanished = (error as { code?: string }).code === 'ENOENT'
      throw new UnitReadError(path, reasonFor(error), vanished)
    }
  }
  const hash = createHash('sha256')
  for (const f of files) hash.update(`${f.path}\0${f.size}\0${f.mtimeMs}\n`)
  return { files, hash: hash.digest('hex') }
}
