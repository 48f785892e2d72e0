import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Log } from '../logger'

export const rendererDir = (packageRoot: string): string => join(packageRoot, 'out', 'renderer')

/**
 * `chronicle serve` right after `npm install` has no built UI yet: build it once with Vite (a few seconds).
 * `npm start` rebuilds every time, so a developer never sees a stale page.
 */
export async function ensureRendererBuilt(packageRoot: string, say: Log): Promise<string> {
  const dir = rendererDir(packageRoot)
  if (existsSync(join(dir, 'index.html'))) return dir
  say('Building the Chronicle UI (first run only)…')
  const { build } = await import('vite')
  await build({ configFile: join(packageRoot, 'vite.renderer.config.ts'), logLevel: 'warn' })
  return dir
}
