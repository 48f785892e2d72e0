/**
 * The headers every page response carries, and the renderer's files as a Fetch `Response` for the desktop app's
 * `chronicle://app` scheme. Both hosts serve the same files through `readStaticFile` (one traversal check, one
 * fallback to index.html for client-side routes) with the same headers; the desktop app's policy also names the
 * hub's endpoint. Kept free of Electron so it is tested under Node.
 */
import { originOf } from '../security/trusted-origin'
import { readStaticFile } from './static-files'

export const securityHeaders = (contentSecurityPolicy: string): Record<string, string> => ({
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
})

export interface RendererSite {
  readonly rendererDir: string
  /** The only origin answered (chronicle://app); a request for any other host is not found. */
  readonly origin: string
  readonly contentSecurityPolicy: string
}

export async function rendererResponse(site: RendererSite, url: string): Promise<Response> {
  const headers = securityHeaders(site.contentSecurityPolicy)
  const notFound = () =>
    new Response('Not found', { status: 404, headers: { ...headers, 'Content-Type': 'text/plain' } })
  if (originOf(url) !== site.origin) return notFound()
  const file = await readStaticFile(site.rendererDir, new URL(url).pathname)
  if (!file) return notFound()
  return new Response(new Uint8Array(file.body), {
    status: 200,
    headers: { ...headers, 'Content-Type': file.type, 'Cache-Control': 'no-cache' },
  })
}
