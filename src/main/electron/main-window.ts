import { BrowserWindow, shell } from 'electron'
import { join } from 'node:path'
import { APP_ORIGIN } from './app-protocol'
import { MIN_SIZE } from './window-bounds'
import { keepWindowState, loadPlacement } from './window-state'

/**
 * The only window: sandboxed, isolated, no Node in the page, and no way to navigate it away from Chronicle. It
 * opens where it was last time (window-state.ts).
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
  window.webContents.on('will-navigate', (event) => event.preventDefault())
  window.webContents.setWindowOpenHandler(({ url }) => {
    // Links to the web open in the user's browser; nothing opens inside Chronicle.
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  const devServer = process.env.ELECTRON_RENDERER_URL
  void window.loadURL(devServer ?? `${APP_ORIGIN}/index.html`)
  return window
}

/** IPC is answered only for our own page, in the top frame (the idea of VS Code's validatedIpcMain). */
export function isTrustedSender(frame: Electron.WebFrameMain | null): boolean {
  if (!frame || frame.parent !== null) return false
  const origin = new URL(frame.url).origin
  const devServer = process.env.ELECTRON_RENDERER_URL
  return origin === APP_ORIGIN || (devServer !== undefined && origin === new URL(devServer).origin)
}
