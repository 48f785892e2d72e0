/** The version in package.json, read once: devices report it so the devices view can show who runs what. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

let cached: string | undefined

export function appVersion(): string {
  if (cached === undefined) {
    try {
      const file = fileURLToPath(new URL('../../package.json', import.meta.url))
      cached = String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version ?? 'unknown')
    } catch {
      cached = 'unknown' // a packaged build without package.json beside the sources
    }
  }
  return cached
}
