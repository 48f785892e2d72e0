/**
 * The desktop app's way to add a source: the system's folder dialog, opened by the main process, so the page
 * never names a path (settings-handlers.ts refuses typed paths where this exists).
 */
import { BrowserWindow, dialog, type OpenDialogOptions } from 'electron'

/** The folder chosen, or null when the dialog was cancelled. */
export async function pickFolder(): Promise<string | null> {
  const options: OpenDialogOptions = {
    title: 'Choose the folder Chronicle imports from',
    properties: ['openDirectory'],
  }
  // Attached to the window the user clicked in, so the dialog is modal to it.
  const parent = BrowserWindow.getFocusedWindow()
  const picked = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
  return picked.canceled ? null : (picked.filePaths[0] ?? null)
}
