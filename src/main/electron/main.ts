/**
 * Electron's entry point. Everything else in src/main runs under plain Node too; this file only wires it to
 * Electron: one instance, one window, the API over one validated IPC channel.
 */
import { app, dialog, ipcMain } from 'electron'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { API_IPC_CHANNEL } from '../../shared/api/contract'
import { contentSecurityPolicy } from '../../shared/content-security-policy'
import { fail } from '../../shared/result'
import { startApplication, type Application, type Listener } from '../app/application'
import { resolveDataDir } from '../data-dir'
import { fileLogger } from '../logger'
import { usePrivateUmask } from '../private-files'
import { openRepository } from '../repository/repository'
import { sealKeysWith } from '../sync/library-key-file'
import { startSyncEndpoint } from '../sync/sync-endpoint'
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol'
import { pickFolder } from './folder-picker'
import { keychainSealer } from './keychain-sealer'
import { createMainWindow, isTrustedSender, trustedOrigins } from './main-window'
import { denyPermissionsByDefault, guardAllWebContents } from './session-guards'

// Before Electron or Chronicle writes anything: every file this process makes is the user's alone (private-files.ts).
usePrivateUmask()
registerAppScheme()

function dataDirFromArgs(): string {
  const { values } = parseArgs({
    args: process.argv.slice(1),
    options: { 'data-dir': { type: 'string' } },
    strict: false,
  })
  const flag = typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined
  return resolveDataDir(flag ?? (process.env.CHRONICLE_DATA_DIR ? undefined : app.getPath('userData')))
}

async function start(): Promise<void> {
  const dataDir = dataDirFromArgs()
  const log = fileLogger(dataDir)
  const sealer = keychainSealer()
  sealKeysWith(sealer)
  log(
    sealer
      ? `sync: a new library key is sealed with ${sealer.keychain}`
      : 'sync: no system keychain; a new library key is kept in a 0600 file',
  )
  let application: Application<Listener>
  try {
    const nativeBinding = process.env.CHRONICLE_NATIVE_BINDING
    application = await startApplication({
      dataDir,
      log,
      kind: 'desktop',
      openRepository: () =>
        openRepository({
          dataDir,
          suggestOnWorker: true,
          onLongUpgrade: log,
          ...(nativeBinding && { nativeBinding }),
        }),
      pickFolder,
      // The page's LiveStore syncs through the endpoint, whose origin check lets the app's own origin in.
      listen: async ({ upgrade }) => {
        const endpoint = await startSyncEndpoint({ handleUpgrade: upgrade }, [APP_ORIGIN], log)
        return { syncUrl: endpoint.url, close: () => endpoint.close() }
      },
    })
  } catch (error) {
    dialog.showErrorBox('Chronicle cannot start', error instanceof Error ? error.message : String(error))
    app.exit(1)
    return
  }
  const { dispatch, listener } = application
  ipcMain.handle(API_IPC_CHANNEL, (event, method: unknown, args: unknown) =>
    isTrustedSender(event.senderFrame)
      ? dispatch(method, args)
      : fail('FORBIDDEN', 'This frame may not call Chronicle.'),
  )
  // The page may connect to its own origin and to this one endpoint: its port is known only now.
  serveRenderer(
    join(import.meta.dirname, '../renderer'),
    contentSecurityPolicy(new URL(listener.syncUrl).origin),
  )
  denyPermissionsByDefault(trustedOrigins)
  guardAllWebContents(trustedOrigins)
  const window = createMainWindow({
    preloadDir: join(import.meta.dirname, '../preload'),
    dataDir,
    // Linux shows this in the task bar; macOS and Windows take the icon from the packaged app.
    icon: process.platform === 'linux' ? appIcon() : undefined,
    log,
  })
  // A second launch brings the running window forward instead of opening the database twice.
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore()
    window.focus()
  })
  // Quitting waits for the application's close (application.ts says why its order matters).
  let closing = false
  app.on('will-quit', (event) => {
    if (closing) return
    closing = true
    event.preventDefault()
    void application.close().finally(() => app.exit(0))
  })
}

/** The icon beside the app: in resources/ while developing, in the package's resources once packaged. */
function appIcon(): string | undefined {
  const candidates = [
    join(process.resourcesPath ?? '', 'icon.png'),
    join(app.getAppPath(), 'resources', 'icon.png'),
  ]
  return candidates.find((path) => existsSync(path))
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('window-all-closed', () => app.quit())
  void app.whenReady().then(start)
}
