/**
 * The renderer's origin in production: a privileged `chronicle://app` scheme instead of file://, which is an opaque
 * origin where OPFS and shared workers do not work. Serves only files inside the built renderer folder.
 */
import { net, protocol } from 'electron'
import { pathToFileURL } from 'node:url'
import { resolve, sep } from 'node:path'

export const APP_SCHEME = 'chronicle'
export const APP_ORIGIN = `${APP_SCHEME}://app`

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ])
}

export function serveRenderer(rendererDir: string): void {
  const root = resolve(rendererDir)
  protocol.handle(APP_SCHEME, (request) => {
    const url = new URL(request.url)
    const path = resolve(root, `.${decodeURIComponent(url.pathname)}`)
    if (url.host !== 'app' || (path !== root && !path.startsWith(root + sep))) {
      return new Response('Not found', { status: 404 })
    }
    return net.fetch(pathToFileURL(path === root ? resolve(root, 'index.html') : path).toString())
  })
}
