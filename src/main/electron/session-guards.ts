/**
 * Electron grants every permission, follows every navigation and opens every window unless told otherwise. These
 * handlers refuse by default, for every web contents the app ever makes; the decisions themselves are pure and
 * tested under Node (src/main/security/trusted-origin.ts).
 */
import { app, session, shell, type WebContents } from 'electron'
import { navigationDecision, permissionAllowed } from '../security/trusted-origin'

/** Permission requests, checks and device access (USB, HID, serial, Bluetooth) for the app's session. */
export function denyPermissionsByDefault(trustedOrigins: () => readonly string[]): void {
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(details.isMainFrame && permissionAllowed(permission, details.requestingUrl, trustedOrigins())),
  )
  ses.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin, details) =>
      details.isMainFrame && permissionAllowed(permission, requestingOrigin, trustedOrigins()),
  )
  ses.setDevicePermissionHandler(() => false)
}

function guardContents(contents: WebContents, trustedOrigins: () => readonly string[]): void {
  const openOutside = (url: string) => {
    if (navigationDecision(url, trustedOrigins()) === 'open-in-browser') void shell.openExternal(url)
  }
  // Navigation stays within the app; a link to the web opens in the user's browser instead.
  const keepInside = (event: Electron.Event<{ url: string }>) => {
    if (navigationDecision(event.url, trustedOrigins()) === 'allow') return
    event.preventDefault()
    openOutside(event.url)
  }
  contents.on('will-navigate', keepInside)
  contents.on('will-redirect', keepInside)
  // Nothing opens inside Chronicle: no new windows, no <webview>.
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Guards every web contents made from now on (the window, and anything a page might try to open). */
export function guardAllWebContents(trustedOrigins: () => readonly string[]): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents, trustedOrigins))
}
