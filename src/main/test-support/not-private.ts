/** For tests of private-files.ts's promise: what under a data directory others could read or enter. */
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { octalMode } from '../private-files'

/** Every entry under `root` (itself included) that is not 0700 (folders) or 0600 (files), with its mode. */
export function notPrivate(root: string): string[] {
  const found: string[] = []
  const visit = (path: string) => {
    const stat = statSync(path)
    const want = stat.isDirectory() ? 0o700 : 0o600
    if ((stat.mode & 0o777) !== want) found.push(`${relative(root, path) || '.'} ${octalMode(stat.mode)}`)
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name))
  }
  visit(root)
  return found
}
