/**
 * The window's size, place and maximised state, kept in `window-state.json` in the data directory: read before the
 * window is made, written whole (atomic-write.ts) a moment after it stops moving and when it closes.
 */
import { screen, type BrowserWindow } from 'electron'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomicSync } from '../atomic-write'
import { parseWindowState, placeWindow, type Placement, type WindowState } from './window-bounds'

const FILE = 'window-state.json'
const SAVE_AFTER_MS = 500

/** Where the window should open, from the saved state (none, or unreadable: the defaults). */
export function loadPlacement(dataDir: string): Placement {
  let saved: WindowState | null = null
  try {
    saved = parseWindowState(readFileSync(join(dataDir, FILE), 'utf8'))
  } catch {
    // No file yet: a first run.
  }
  return placeWindow(
    saved,
    screen.getAllDisplays().map((display) => display.workArea),
  )
}

/** Saves the window's state as it changes, until it closes. */
export function keepWindowState(window: BrowserWindow, dataDir: string, log: (line: string) => void): void {
  let timer: NodeJS.Timeout | undefined
  const save = () => {
    clearTimeout(timer)
    if (window.isDestroyed()) return
    const state: WindowState = {
      // The bounds to come back to from maximised or full screen, not the screen-filling ones.
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
      fullScreen: window.isFullScreen(),
    }
    try {
      writeFileAtomicSync(join(dataDir, FILE), JSON.stringify(state))
    } catch (error) {
      log(`window state not saved: ${String(error)}`)
    }
  }
  const later = () => {
    clearTimeout(timer)
    timer = setTimeout(save, SAVE_AFTER_MS)
  }
  for (const event of [
    'resize',
    'move',
    'maximize',
    'unmaximize',
    'enter-full-screen',
    'leave-full-screen',
  ] as const)
    window.on(event as 'resize', later)
  window.on('close', save)
}
