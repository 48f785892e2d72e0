/** Directory reading shared by the task-folder and Cline SDK scanners: names only, in a stable order. */
import type { Dirent, Stats } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { reasonFor } from '../../file-errors'
import { UnitReadError } from '../../source-adapter'

/** The place the user named; a missing or unreadable root is one problem for the whole target. */
export async function statRoot(root: string): Promise<Stats> {
  try {
    return await stat(root)
  } catch (error) {
    throw new UnitReadError(root, reasonFor(error))
  }
}

/** Sorted so units come in the same order on every platform and every run. */
export async function sortedEntries(dir: string): Promise<Dirent[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
