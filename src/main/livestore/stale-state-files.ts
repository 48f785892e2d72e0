/**
 * LiveStore's Node adapter names the state database after the state schema's hash (`state<hash>@<format>.db`,
 * adapter-node's leader-thread-shared.ts). A release that changes a table gets a new hash: LiveStore builds a new
 * state file from the eventlog and never opens or removes the old one, which for a large library is tens to hundreds
 * of MB per schema change. The state is derived from the eventlog, so once the store has opened with the current
 * schema the other state files hold nothing that is not kept elsewhere.
 */
import { lstatSync, readdirSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import { stateDbFile } from './repair-store-files'

/**
 * Every name the adapter gives a state database: a schema hash (a 32-bit integer, so perhaps negative), `fixed`
 * for manual migrations, or none, then `@<storage format>.db`; and the files SQLite keeps beside a database.
 * The eventlog (`eventlog@<format>.db`) never matches.
 */
const STATE_FILE = /^(state(?:-?\d+|fixed)?@\d+\.db)(-wal|-shm|-journal)?$/

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error))

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/**
 * Removes from `storeDir` the state databases of schemas other than the current one, with their companions;
 * says what it removed and what it could not, or null. Call it only after the store opened with the current
 * schema: until then an older state file may be the only one there is.
 */
export function removeStaleStateFiles(storeDir: string): string | null {
  const current = basename(stateDbFile(storeDir))
  const removed: string[] = []
  const failed: string[] = []
  let freed = 0
  // The store is open when this runs: nothing here may throw and leave it open with no one to close it.
  let names: string[]
  try {
    names = readdirSync(storeDir)
  } catch (error) {
    return `could not list ${storeDir} for older state databases (${describe(error)})`
  }
  for (const name of names) {
    const database = STATE_FILE.exec(name)?.[1]
    if (database === undefined || database === current) continue
    const path = join(storeDir, name)
    try {
      // Only plain files: a link or a folder with such a name was not made by LiveStore.
      const stats = lstatSync(path)
      if (!stats.isFile()) continue
      rmSync(path)
      removed.push(`${name} (${megabytes(stats.size)})`)
      freed += stats.size
    } catch (error) {
      // Windows refuses to remove a file another process holds open; it goes at a later start.
      failed.push(`${name} (${describe(error)})`)
    }
  }
  const lines: string[] = []
  if (removed.length > 0)
    lines.push(
      `removed state databases of earlier schemas, ${megabytes(freed)} in all: ${removed.sort().join(', ')}`,
    )
  if (failed.length > 0)
    lines.push(`could not remove state databases of earlier schemas: ${failed.sort().join(', ')}`)
  return lines.length > 0 ? lines.join('\n') : null
}
