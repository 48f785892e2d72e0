/**
 * "Is this path inside that folder", for everything that serves or reads files a page names: the web host's
 * static files, the desktop app's `chronicle://app` files, the sources a page may add. Pure on the lexical
 * path (`isPathInside`), and on the real one where links could lead out (`realPathInside`).
 */
import { realpath } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'

/** Whether `path` is `root` or below it, after resolving `.` and `..` (no file system access). */
export function isPathInside(path: string, root: string): boolean {
  const rel = relative(resolve(root), resolve(path))
  // Another drive on Windows makes `relative` answer an absolute path.
  return rel === '' || (!isAbsolute(rel) && rel.split(sep)[0] !== '..')
}

/**
 * The real path (links followed) of `path` when it exists and lies inside one of `roots` (also followed), else
 * null: missing and outside answer alike, so the answer never tells whether a path outside the roots exists.
 * Paths outside the roots lexically are refused before the file system is asked at all.
 */
export async function realPathInside(path: string, roots: readonly string[]): Promise<string | null> {
  const realRoots = (await Promise.all(roots.map((root) => realpath(root).catch(() => null)))).filter(
    (root): root is string => root !== null,
  )
  const within = (candidate: string, among: readonly string[]) =>
    among.some((root) => isPathInside(candidate, root))
  if (!isAbsolute(path) || !within(path, [...roots, ...realRoots])) return null
  try {
    const real = await realpath(path)
    return within(real, realRoots) ? real : null
  } catch {
    return null
  }
}
