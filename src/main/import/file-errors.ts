/** One wording for file-system failures in import summaries, whichever adapter met them. */
import type { Source } from '../../shared/domain'
import type { SourceUnit } from './source-adapter'

const REASONS: Record<string, string> = {
  ENOENT: 'no longer exists',
  EACCES: 'cannot be read (permission denied)',
  EPERM: 'cannot be read (permission denied)',
  EISDIR: 'is a directory, not a file',
  ELOOP: 'is a symbolic link (not followed)',
}

export function reasonFor(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code
  return code ? (REASONS[code] ?? `cannot be read (${code})`) : `cannot be read (${String(error)})`
}

/**
 * A folder that could not be listed (permissions, most often), as a unit the engine reports with its path and
 * reason, so what it may hold is not skipped without a word. Null for a folder that vanished meanwhile.
 */
export function unlistableFolder(source: Source, dir: string, error: unknown): SourceUnit | null {
  if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return null
  return { key: dir, source, files: [], problem: reasonFor(error) }
}
