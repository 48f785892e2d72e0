/**
 * Tells when any process may have written the repository: SQLite in WAL mode appends every commit to the
 * `-wal` file beside the database, so a change of that file is the earliest sign of another program's write. The
 * bridge wakes on it instead of waiting for its next poll (which stays, for file systems that do not report).
 */
import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'

export function watchDatabaseWrites(databaseFile: string, onWrite: () => void): () => void {
  const names = new Set([basename(databaseFile), `${basename(databaseFile)}-wal`])
  let watcher: FSWatcher | null = null
  try {
    // The folder, not the file: the WAL is created and removed as connections come and go.
    watcher = watch(dirname(databaseFile), { persistent: false }, (_event, name) => {
      if (name !== null && names.has(name)) onWrite()
    })
    // A watcher that fails later (the folder removed) leaves the poll to do the work.
    watcher.on('error', () => watcher?.close())
  } catch {
    // No file events here (some network file systems): the poll alone carries the changes.
  }
  return () => watcher?.close()
}
