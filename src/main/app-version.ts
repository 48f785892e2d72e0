/** The version in package.json, read once: devices report it so the devices view can show who runs what. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRootOf } from './package-root'

let cached: string | undefined

export function appVersion(): string {
  if (cached === undefined) {
    try {
      const file = join(packageRootOf(import.meta.url), 'package.json')
      cached = String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version ?? 'unknown')
    } catch {
      cached = 'unknown' // a packaged build without package.json beside the sources
    }
  }
  return cached
}
