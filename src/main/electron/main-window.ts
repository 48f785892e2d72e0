import { BrowserWindow, shell } from 'electron'
import { join } from 'node:path'
import { APP_ORIGIN } from './app-protocol'

/** The only window: sandboxed, isolated, no Node in the page, and no way to navigate it away from Chronicle. */
export function createMainWindow(preloadDir: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Chronicle',
    show: false,
    webPreferences: {
      preload: join(preloadDir, 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  window.once('ready-to-show', () => window.show())
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
