import { BrowserWindow } from 'electron'
import { join } from 'node:path'
import { isTrustedSender as trustedFrame, originOf } from '../security/trusted-origin'
import { APP_ORIGIN } from './app-protocol'
import { MIN_SIZE } from './window-bounds'
import { keepWindowState, loadPlacement } from './window-state'

/**
 * The only window: sandboxed, isolated, no Node in the page, and no way to navigate it away from Chronicle
 * (session-guards.ts guards every web contents). It opens where it was last time (window-state.ts).
 */
export function createMainWindow(options: {
  readonly preloadDir: string
  readonly dataDir: string
  readonly icon: string | undefined
  readonly log: (line: string) => void
}): BrowserWindow {
  const placement = loadPlacement(options.dataDir)
  const window = new BrowserWindow({
    ...placement.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    ...(options.icon && { icon: options.icon }),
    title: 'Chronicle',
    show: false,
    webPreferences: {
      preload: join(options.preloadDir, 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  window.once('ready-to-show', () => {
    if (placement.maximized) window.maximize()
    if (placement.fullScreen) window.setFullScreen(true)
    window.show()
  })
  keepWindowState(window, options.dataDir, options.log)
  const devServer = process.env.ELECTRON_RENDERER_URL
  void window.loadURL(devServer ?? `${APP_ORIGIN}/index.html`)
  return window
}

/** The page's own origin: the app scheme, or the renderer's dev server while developing. */
export function trustedOrigins(): readonly string[] {
  const devServer = process.env.ELECTRON_RENDERER_URL
  const devOrigin = devServer === undefined ? null : originOf(devServer)
  return devOrigin === null ? [APP_ORIGIN] : [APP_ORIGIN, devOrigin]
}

/** IPC is answered only for our own page, in the top frame (the idea of VS Code's validatedIpcMain). */
export function isTrustedSender(frame: Electron.WebFrameMain | null): boolean {
  return trustedFrame(frame && { url: frame.url, isTopFrame: frame.parent === null }, trustedOrigins())
}
