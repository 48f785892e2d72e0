/**
 * Which pages Chronicle trusts, as pure decisions on URLs, so that they are tested under plain Node: the desktop
 * app's IPC sender check, its navigation and new-window rules, and its permission handlers all ask here
 * (main-window.ts and main.ts only wire them to Electron). The idea is VS Code's validatedIpcMain: answer only
 * our own page, in the top frame.
 */

/**
 * The URL's origin as the page has it, or null for what is not a URL or has no origin of its own (data:,
 * about:blank, file:, javascript:). Node's URL gives `chronicle://app` the origin "null", since to Node the
 * scheme is not a standard one; Electron registers it as standard, so its origin is the scheme and the host.
 */
export function originOf(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.origin !== 'null') return parsed.origin
  if (parsed.protocol === 'file:' || parsed.host === '') return null
  return `${parsed.protocol}//${parsed.host.toLowerCase()}`
}

export const isTrustedUrl = (url: string, trustedOrigins: readonly string[]): boolean => {
  const origin = originOf(url)
  return origin !== null && trustedOrigins.includes(origin)
}

/** A frame that may call the API: our own page, in the top frame (no iframe, whatever it loads). */
export function isTrustedSender(
  frame: { readonly url: string; readonly isTopFrame: boolean } | null,
  trustedOrigins: readonly string[],
): boolean {
  return frame !== null && frame.isTopFrame && isTrustedUrl(frame.url, trustedOrigins)
}

export type NavigationDecision = 'allow' | 'open-in-browser' | 'deny'

/**
 * Where the window may go: within the app only. A link to the web opens in the user's browser (http and https
 * alone: `file:`, `javascript:` or a custom scheme handed to the OS could start a program), anything else is
 * refused.
 */
export function navigationDecision(url: string, trustedOrigins: readonly string[]): NavigationDecision {
  if (isTrustedUrl(url, trustedOrigins)) return 'allow'
  return /^https?:\/\/[^/]/i.test(url) && originOf(url) !== null ? 'open-in-browser' : 'deny'
}

/**
 * Permissions are refused by default (Electron grants every one unless told otherwise). Our own page may write
 * plain text to the clipboard (Settings' "Copy"); nothing may use the camera, microphone, location, notifications,
 * devices, or anything else.
 */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

export function permissionAllowed(
  permission: string,
  requestingUrl: string,
  trustedOrigins: readonly string[],
): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isTrustedUrl(requestingUrl, trustedOrigins)
}
