/**
 * better-sqlite3 is a native addon: the build in node_modules is for Node's ABI (tests, CLI, web host), and
 * Electron needs one for its own. We keep a second build per Electron version in .electron-native/ and hand its
 * path to the app, so neither runtime ever breaks the other.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)

export function electronNativeBinding(root: string): { path: string } | { reason: string } {
  const electronVersion = (
    JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }
  ).version
  const source = join(root, 'node_modules', 'better-sqlite3')
  const dir = join(root, '.electron-native', `better-sqlite3-electron-${electronVersion}-${process.arch}`)
  const addon = join(dir, 'build', 'Release', 'better_sqlite3.node')
  if (existsSync(addon)) return { path: addon }

  console.log(`Preparing better-sqlite3 for Electron ${electronVersion} (once per Electron version)…`)
  mkdirSync(dir, { recursive: true })
  for (const part of ['package.json', 'binding.gyp', 'src', 'deps'])
    cpSync(join(source, part), join(dir, part), { recursive: true })
  const target = ['--runtime', 'electron', '--target', electronVersion, '--arch', process.arch]
  const prebuilt = spawnSync(process.execPath, [require.resolve('prebuild-install/bin.js'), ...target], {
    cwd: dir,
    stdio: 'inherit',
  })
  if (prebuilt.status !== 0) {
    // No prebuilt binary for this Electron: compile against Electron's headers (needs a C++ toolchain).
    const nodeGyp = process.env.npm_config_node_gyp
    const compiled = nodeGyp
      ? spawnSync(
          process.execPath,
          [
            nodeGyp,
            'rebuild',
            '--release',
            `--target=${electronVersion}`,
            `--arch=${process.arch}`,
            '--dist-url=https://electronjs.org/headers',
          ],
          { cwd: dir, stdio: 'inherit' },
        )
      : null
    if (!compiled || compiled.status !== 0) {
      return { reason: `better-sqlite3 could not be built for Electron ${electronVersion}` }
    }
  }
  return existsSync(addon) ? { path: addon } : { reason: `no better-sqlite3 addon at ${addon}` }
}

/**
 * The electron package exports the path of its binary, and throws when the binary was never downloaded (npm could
 * not reach Electron's download site, and scripts/postinstall.ts installed the package without it).
 */
export function electronBinary(): { path: string } | { reason: string } {
  try {
    require.resolve('electron/package.json')
  } catch {
    return { reason: 'the electron package is not installed' }
  }
  try {
    const path: unknown = require('electron')
    return typeof path === 'string' ? { path } : { reason: 'the electron package has no binary' }
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
    return {
      reason: message?.includes('failed to install correctly')
        ? 'its binary could not be downloaded during npm install; `npm rebuild electron` tries again'
        : (message ?? ''),
    }
  }
}
