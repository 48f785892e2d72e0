/**
 * The desktop shell itself, where Electron is installed: the built app launched by Playwright's Electron driver
 * with its own data directory. Where the Electron binary is absent (our CI machines cannot download it), the spec
 * is skipped with the reason; the web host specs cover the same UI.
 */
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { electronBinary, electronNativeBinding } from '../scripts/electron-native'
import { emptyDataDir } from './support/web-host-process'

const root = join(import.meta.dirname, '..')
const binary = electronBinary()
const require = createRequire(import.meta.url)

const skipReason =
  'reason' in binary
    ? `Electron cannot run on this machine (${binary.reason}); the web host specs cover the UI`
    : null
test.skip(skipReason !== null, skipReason ?? '')

let app: ElectronApplication | undefined

test.beforeAll(() => {
  const built = spawnSync(
    process.execPath,
    [require.resolve('electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  )
  if (built.status !== 0) throw new Error(`electron-vite build failed: ${built.stderr}`)
})

test.afterEach(async () => {
  await app?.close()
  app = undefined
})

test('opens one sandboxed window on the app scheme, with only the typed API in the page', async () => {
  if ('reason' in binary) throw new Error(binary.reason) // skipped above; this tells TypeScript
  const binding = electronNativeBinding(root)
  if ('reason' in binding) throw new Error(binding.reason)
  app = await electron.launch({
    executablePath: binary.path,
    args: [root, '--data-dir', emptyDataDir()],
    env: { ...process.env, CHRONICLE_NATIVE_BINDING: binding.path },
  })
  const window = await app.firstWindow()
  await expect(window).toHaveTitle('Chronicle')
  expect(new URL(window.url()).origin).toBe('chronicle://app')
  // The preload's API is there; Node is not.
  expect(await window.evaluate(() => typeof (window as unknown as { chronicle?: unknown }).chronicle)).toBe(
    'object',
  )
  expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
  expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined')
  // The app scheme sends the policy as a header, naming the hub's one endpoint (not a range of ports).
  const csp = await window.evaluate(async () =>
    (await fetch((globalThis as unknown as { location: { href: string } }).location.href)).headers.get(
      'content-security-policy',
    ),
  )
  expect(csp).toContain("default-src 'self'")
  expect(csp).toContain("frame-ancestors 'none'")
  expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+;/)
  // The same shell as the web host: the list's empty state in a fresh data directory.
  await expect(window.getByTestId('empty-list')).toBeVisible({ timeout: 30_000 })
  await window.screenshot({ path: 'test-results/screenshots/electron.png' })
})
