/**
 * Finds Cline SDK session files (`<id>.messages.json`) from `~/.cline/data`, its sessions/ folder, one session
 * folder, or the file itself. Reads directory listings only; symbolic links to folders are never entered.
 */
import { join } from 'node:path'
import { unlistableFolder } from '../../file-errors'
import type { SourceUnit } from '../../source-adapter'
import { sortedEntries, statRoot } from '../roo-cline/directory'

export const SESSION_SUFFIX = '.messages.json'

const unit = (path: string): SourceUnit => ({ key: path, source: 'cline', files: [path] })

/** `depth` folders further down are searched: sessions/<id>/<id>.messages.json is one below sessions/. */
async function* scan(dir: string, depth: number): AsyncIterable<SourceUnit> {
  const entries = await sortedEntries(dir)
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isFile() && entry.name.endsWith(SESSION_SUFFIX)) yield unit(path)
    else if (entry.isDirectory() && depth > 0) {
      try {
        yield* scan(path, depth - 1)
      } catch (error) {
        // One unreadable folder must not hide the others beside it; it is reported on its own.
        const problem = unlistableFolder('cline', path, error)
        if (problem) yield problem
      }
    }
  }
}

export async function* findSessionUnits(root: string): AsyncIterable<SourceUnit> {
  const info = await statRoot(root)
  if (!info.isDirectory()) {
    if (root.endsWith(SESSION_SUFFIX)) yield unit(root)
    return
  }
  const sessions = join(root, 'sessions')
  const hasSessions = (await sortedEntries(root)).some((e) => e.name === 'sessions' && e.isDirectory())
  yield* scan(hasSessions ? sessions : root, 1)
}
