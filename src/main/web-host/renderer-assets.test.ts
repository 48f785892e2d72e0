/**
 * The first `chronicle serve` builds the UI in a child process, so the build's gigabyte never stays in the serving
 * process, and a failed build says so. A stand-in package root (its own tiny page and Vite config, this project's
 * node_modules) keeps the real out/renderer, which other tests use, untouched.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ensureRendererBuilt } from './renderer-assets'

const PROJECT_ROOT = resolve(import.meta.dirname, '../../..')
const BUILD_TIMEOUT_MS = 120_000

/** Writes `builder.pid` with the pid of the process that runs the build. */
const CONFIG = `
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
export default {
  root: resolve(import.meta.dirname, 'page'),
  base: './',
  build: { outDir: resolve(import.meta.dirname, 'out/renderer'), emptyOutDir: true },
  plugins: [{ name: 'builder-pid', buildStart: () => writeFileSync(resolve(import.meta.dirname, 'builder.pid'), String(process.pid)) }],
}
`

const roots: string[] = []
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

function packageRoot(config: string): string {
  const root = mkdtempSync(join(tmpdir(), 'chronicle-renderer-assets-'))
  roots.push(root)
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'stand-in', type: 'module' }))
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir')
  mkdirSync(join(root, 'page'))
  writeFileSync(join(root, 'page', 'index.html'), '<!doctype html><title>stand-in</title><p>page</p>')
  writeFileSync(join(root, 'vite.renderer.config.ts'), config)
  return root
}

describe('ensureRendererBuilt', () => {
  it(
    'builds a missing UI in a child process, not in the serving one',
    async () => {
      const root = packageRoot(CONFIG)
      const said: string[] = []
      const dir = await ensureRendererBuilt(root, (line) => said.push(line))
      expect(dir).toBe(join(root, 'out', 'renderer'))
      expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('stand-in')
      const builder = Number(readFileSync(join(root, 'builder.pid'), 'utf8'))
      expect(builder).toBeGreaterThan(0)
      expect(builder).not.toBe(process.pid)
      expect(said[0]).toBe('Building the Chronicle UI (first run only)…')

      // Built once: the next launch serves what is there.
      rmSync(join(root, 'builder.pid'))
      said.length = 0
      await ensureRendererBuilt(root, (line) => said.push(line))
      expect(said).toEqual([])
    },
    BUILD_TIMEOUT_MS,
  )

  it(
    'fails with an error that says the UI build failed and why (a Vite config that throws)',
    async () => {
      const root = packageRoot(`throw new Error('this config is broken on purpose')\nexport default {}\n`)
      const failure = ensureRendererBuilt(root, () => undefined)
      await expect(failure).rejects.toThrow(/^Building the Chronicle UI failed \(vite build exited with 1\)/)
      await expect(failure).rejects.toThrow(/broken on purpose/)
    },
    BUILD_TIMEOUT_MS,
  )
})
