/** Finding the package's folder from modules at any depth, as the sources, the Electron build and the CLI bundle. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, it } from 'vitest'
import { packageRootOf } from './package-root'
import { useScratch } from './repository/test-support/scratch'

const scratch = useScratch()

it("walks up past other packages' package.json to Chronicle's", () => {
  const root = scratch.dir()
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'chronicle' }))
  const deep = join(root, 'out', 'cli', 'v1')
  mkdirSync(deep, { recursive: true })
  writeFileSync(join(root, 'out', 'package.json'), JSON.stringify({ name: 'something-else' }))
  writeFileSync(join(root, 'out', 'cli', 'package.json'), '{ not json')
  expect(packageRootOf(pathToFileURL(join(deep, 'main.js')).href)).toBe(root)
  expect(packageRootOf(pathToFileURL(join(root, 'main.js')).href)).toBe(root)
})

it('finds this checkout from its own sources', () => {
  expect(packageRootOf(import.meta.url)).toBe(join(import.meta.dirname, '..', '..'))
})
