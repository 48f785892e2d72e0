/**
 * bin/cli-bundle.js on a package of its own in a scratch folder: a bundle made once per version of the sources,
 * kept while they do not change, the newest three versions kept, and no bundle (so tsx runs the sources) where it
 * cannot be written.
 */
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, it } from 'vitest'
// @ts-expect-error: a plain JavaScript module of the bin folder, checked by its JSDoc, not by this project's tsconfig
import { cliBundle } from '../../../bin/cli-bundle.js'
import { useScratch } from '../repository/test-support/scratch'

const scratch = useScratch()
const bundleOf = cliBundle as (root: string) => Promise<string | null>

const SOURCES: Record<string, string> = {
  'src/main/cli/entry.ts': `import { twice } from '../shared-part'\nexport const main = (n: number): number => twice(n)`,
  'src/main/shared-part.ts': 'export const twice = (n: number): number => n * 2',
  'src/main/audit/export-worker.ts': `import { twice } from '../shared-part'\nexport const worker = twice(21)`,
  'src/main/repository/sqlite/suggestion-worker.ts': 'export const ready = true',
}

function makePackage(): string {
  const root = scratch.dir()
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'chronicle', type: 'module' }))
  for (const [path, text] of Object.entries(SOURCES)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  return root
}

const LATER = Date.now() + 60_000

/** Marks a source as changed `seconds` after every other one was written, so each change is a later version. */
function touch(root: string, seconds: number): void {
  const at = new Date(LATER + seconds * 1_000)
  utimesSync(join(root, 'src/main/shared-part.ts'), at, at)
}

it('bundles the command line and its workers once per version of the sources', async () => {
  const root = makePackage()
  touch(root, 1)
  const entry = await bundleOf(root)
  expect(entry).not.toBeNull()
  const cli = (await import(pathToFileURL(entry!).href)) as { main: (n: number) => number }
  expect(cli.main(4)).toBe(8)
  expect(readdirSync(join(entry!, '..'))).toEqual(
    expect.arrayContaining(['main.js', 'export-worker.js', 'suggestion-worker.js']),
  )
  expect(await bundleOf(root)).toBe(entry)
  touch(root, 2)
  const next = await bundleOf(root)
  expect(next).not.toBe(entry)
  expect(readdirSync(join(root, 'out', 'cli'))).toHaveLength(2)
})

it('keeps the newest three versions', async () => {
  const root = makePackage()
  const made: string[] = []
  for (let version = 1; version <= 5; version++) {
    touch(root, version * 10)
    made.push((await bundleOf(root))!)
  }
  const kept = readdirSync(join(root, 'out', 'cli')).sort()
  expect(kept).toHaveLength(3)
  expect(
    made
      .slice(-3)
      .map((path) => join(path, '..').split('/').at(-1))
      .sort(),
  ).toEqual(kept)
})

it('gives no bundle where out/cli cannot be made (bad input: a file where the folder goes)', async () => {
  const root = makePackage()
  writeFileSync(join(root, 'out'), 'not a folder')
  expect(await bundleOf(root)).toBeNull()
})
