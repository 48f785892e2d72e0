/**
 * Finds ChatGPT exports from a conversations.json, an export zip, or a folder holding either (an unpacked export,
 * or a downloads folder full of export zips), one folder level deep. Reads directory listings only; symbolic
 * links to folders are never entered.
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { UnitReadError, type SourceUnit } from '../../source-adapter'
import { reasonFor, unlistableFolder } from '../../file-errors'
import { CONVERSATIONS_FILE, isZipPath } from './export-source'

const unit = (path: string): SourceUnit => ({ key: path, source: 'chatgpt', files: [path] })

// `._name.zip` files are macOS resource forks left on non-Apple disks, not archives.
const isExportName = (name: string) =>
  !name.startsWith('._') && (name.toLowerCase() === CONVERSATIONS_FILE || isZipPath(name))

async function* scan(dir: string, depth: number): AsyncIterable<SourceUnit> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isFile() && isExportName(entry.name)) yield unit(path)
    else if (entry.isDirectory() && depth > 0) {
      try {
        yield* scan(path, depth - 1)
      } catch (error) {
        // One unreadable folder must not hide the others beside it; it is reported on its own.
        const problem = unlistableFolder('chatgpt', path, error)
        if (problem) yield problem
      }
    }
  }
}

export async function* findExportUnits(root: string): AsyncIterable<SourceUnit> {
  let info
  try {
    info = await stat(root)
  } catch (error) {
    throw new UnitReadError(root, reasonFor(error))
  }
  // A file the user names is taken at its word, whatever it was renamed to, as long as it is JSON or a zip.
  if (!info.isDirectory()) {
    if (root.toLowerCase().endsWith('.json') || isZipPath(root)) yield unit(root)
    return
  }
  yield* scan(root, 1)
}
