// The command line runs from a bundle of its sources that esbuild makes in about half a second, again whenever a
// source is newer than it. A process then loads a few files of JavaScript instead of compiling each module through
// tsx, whose loader and the sources it compiled stay resident: about 40 MiB more in a `chronicle serve` that runs
// for days, and a slower start of every command. Where esbuild cannot be loaded, the caller runs the sources
// through tsx as before.
//
// Each version is a folder of its own under out/cli, named by the newest source's time and made under a temporary
// name then renamed, so processes starting at once never see half a bundle, and one that runs keeps its files (its
// worker threads load theirs later). The newest few are kept.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** What the bundle is made from: a newer file in any of these makes a new version. */
const SOURCES = ['src/main', 'src/shared', 'resources/pricing', 'bin/cli-bundle.js', 'package-lock.json']

/** The command line and the worker threads it starts, each loaded from beside the module that starts it. */
const ENTRIES = {
  main: 'src/main/cli/entry.ts',
  'export-worker': 'src/main/audit/export-worker.ts',
  'suggestion-worker': 'src/main/repository/sqlite/suggestion-worker.ts',
}

const VERSIONS_KEPT = 3

/** @param {string} path @returns {number} the newest modification time under `path`, tests left out */
function newestUnder(path) {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (!stat) return 0
  if (!stat.isDirectory()) return /\.test\.tsx?$/u.test(path) ? 0 : stat.mtimeMs
  let newest = 0
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestUnder(join(path, entry)))
  return newest
}

/** @param {string} path */
function removeQuietly(path) {
  try {
    rmSync(path, { recursive: true, force: true })
  } catch {
    // Left for a later run to prune; nothing depends on its absence.
  }
}

/** @param {string} versions @param {string} current */
function pruneOldVersions(versions, current) {
  const done = readdirSync(versions)
    .filter((name) => /^[0-9a-z]+$/u.test(name) && name !== current)
    .sort((a, b) => parseInt(b, 36) - parseInt(a, 36))
  for (const name of done.slice(VERSIONS_KEPT - 1)) removeQuietly(join(versions, name))
}

/**
 * The bundle's entry module for the sources under `root`, made first if they changed; null where esbuild is not
 * installed or the bundle cannot be made (a folder this user cannot write).
 * @param {string} root
 * @returns {Promise<string | null>}
 */
export async function cliBundle(root) {
  /** @type {typeof import('esbuild') | undefined} */
  let esbuild
  try {
    esbuild = await import('esbuild')
  } catch {
    return null
  }
  const versions = join(root, 'out', 'cli')
  const version = Math.floor(Math.max(...SOURCES.map((s) => newestUnder(join(root, s))))).toString(36)
  const dir = join(versions, version)
  const entry = join(dir, 'main.js')
  if (existsSync(entry)) return entry
  const building = `${dir}.building-${process.pid}`
  try {
    mkdirSync(versions, { recursive: true })
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: ENTRIES,
      outdir: building,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Packages load from node_modules as they do under tsx: better-sqlite3 is a native addon, LiveStore starts
      // workers of its own.
      packages: 'external',
      logLevel: 'error',
    })
  } catch {
    // Not ours to write (another user runs the command) or not buildable: the sources run through tsx instead.
    removeQuietly(building)
    return null
  } finally {
    // esbuild answers from a child process that otherwise lives as long as this one (37 MiB beside a serve).
    await esbuild.stop()
  }
  try {
    renameSync(building, dir)
  } catch {
    // Another process made this version first: its copy is the same.
    removeQuietly(building)
  }
  pruneOldVersions(versions, version)
  return entry
}
