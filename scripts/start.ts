/**
 * `npm start`: opens the Electron window where Electron is installed; elsewhere (as on CI machines, where its
 * binary cannot be downloaded) says so in one line and serves the same UI in the web host.
 */
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { electronBinary, electronNativeBinding } from './electron-native'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const args = process.argv.slice(2)

async function serveInWebHost(why: string): Promise<void> {
  console.log(`Electron is not available here (${why}); serving Chronicle in the web host instead.`)
  await build({ configFile: `${root}vite.renderer.config.ts`, logLevel: 'error' })
  const child = spawn(process.execPath, [`${root}bin/chronicle.js`, 'serve', ...args], { stdio: 'inherit' })
  forwardExit(child)
}

function forwardExit(child: ReturnType<typeof spawn>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 0))
}

async function main(): Promise<void> {
  const electron = electronBinary()
  if ('reason' in electron) return serveInWebHost(electron.reason)
  const binding = electronNativeBinding(root)
  if ('reason' in binding) return serveInWebHost(binding.reason)
  const built = spawnSync(
    process.execPath,
    [require.resolve('electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
  if (built.status !== 0) process.exit(built.status ?? 1)
  const child = spawn(electron.path, [root, ...args], {
    stdio: 'inherit',
    env: { ...process.env, CHRONICLE_NATIVE_BINDING: binding.path },
  })
  forwardExit(child)
}

await main()
