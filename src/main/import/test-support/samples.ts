/** The real sample files in ../shared/samples (beside the repository, in development and in CI). */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

export function samplesDir(...parts: string[]): string {
  const dir = join(REPO_ROOT, '..', 'shared', 'samples', ...parts)
  if (!existsSync(dir))
    throw new Error(`sample files not found at ${dir}: tests expect ../shared/samples beside the repository`)
  return dir
}
