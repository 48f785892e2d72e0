/**
 * The renderer's origin in production: a privileged `chronicle://app` scheme instead of file://, which is an opaque
 * origin where OPFS and shared workers do not work. Serves only files inside the built renderer folder, each with
 * the Content Security Policy as a header (renderer-response.ts, shared with the web host).
 */
import { protocol } from 'electron'
import { rendererResponse } from '../web-host/renderer-response'

export const APP_SCHEME = 'chronicle'
export const APP_ORIGIN = `${APP_SCHEME}://app`

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ])
}

/** `contentSecurityPolicy` names the hub's endpoint, so it is made once that listens. */
export function serveRenderer(rendererDir: string, contentSecurityPolicy: string): void {
  protocol.handle(APP_SCHEME, (request) =>
    rendererResponse({ rendererDir, origin: APP_ORIGIN, contentSecurityPolicy }, request.url),
  )
}
