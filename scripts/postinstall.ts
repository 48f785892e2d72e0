/**
 * npm's postinstall: keeps the electron package installed where its binary cannot be downloaded.
 *
 * electron is an optional dependency, so a failed binary download (offline, or only the npm registry reachable)
 * does not fail `npm install`. npm then drops the whole package, and with it electron.d.ts, which the typecheck of
 * src/main/electron and src/preload needs. Here the package goes back without its install script: the state that
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1 gives, so the typecheck passes, `npm start` says why it serves the web host, and
 * the Electron e2e spec is skipped with that reason. Where the download works, electron is already there and this
 * does nothing.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

function main(): void {
  const env = process.env
  if (existsSync(join(root, 'node_modules', 'electron', 'package.json'))) return
  if ((env.npm_config_omit ?? '').split(/[\s,]+/).includes('optional')) return // left out on request
  // The nested install must be made by the npm that runs this script: the lockfile is npm's.
  const npm = env.npm_config_user_agent?.startsWith('npm/') ? env.npm_execpath : undefined
  if (!npm) return console.log('The electron package is not installed; install this project with npm.')
  const { optionalDependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    optionalDependencies: Record<string, string>
  }
  const spec = `electron@${optionalDependencies.electron}`
  console.log(
    `Electron's binary could not be downloaded, so npm left out ${spec}; installing the package without it ` +
      '(for the typecheck; `npm start` serves the web host, and `npm rebuild electron` tries the download again).',
  )
  // --ignore-scripts skips electron's download; an install with a package name never runs this postinstall.
  const args = [
    'install',
    spec,
    '--no-save',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
  ]
  const installed = spawnSync(process.execPath, [npm, ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (installed.status !== 0) {
    console.error(
      `postinstall: \`npm ${args.join(' ')}\` failed (exit ${installed.status ?? installed.signal}).`,
    )
    process.exit(1)
  }
}

main()
