/**
 * The folder of Chronicle's package.json, found from a module's URL by walking up. The sources (src/main/…), the
 * Electron build (out/main) and the command line's bundle (out/cli/<version>, bin/cli-bundle.js) sit at different
 * depths, so a fixed number of `..` is right for one of them only.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_NAME = 'chronicle'

function isOurs(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME
  } catch {
    return false
  }
}

/** Throws when no folder above the module holds Chronicle's package.json (a packaged build without it). */
export function packageRootOf(moduleUrl: string): string {
  for (let dir = dirname(fileURLToPath(moduleUrl)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (existsSync(file) && isOurs(file)) return dir
    if (dirname(dir) === dir)
      throw new Error(`No ${PACKAGE_NAME} package.json above ${fileURLToPath(moduleUrl)}`)
  }
}
