/** Every file the local sync Worker keeps under its persist folder, read whole: where a test looks for plaintext. */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

export function workerFiles(dir: string): Buffer[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => readFileSync(path))
}
