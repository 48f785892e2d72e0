/**
 * The renderer's Content Security Policy: its own scripts and styles only, no inline code, no eval, no plugins, no
 * framing, and network access only back to the host that served it, plus, in the desktop app, the hub's endpoint.
 * Both hosts send it as a response header (a meta tag cannot carry `frame-ancestors`, and a second policy in the
 * page would only narrow the header's): the web host on every response, the desktop app's `chronicle://app`
 * scheme likewise.
 */

/** The desktop app's hub endpoint: WebSocket on the loopback address, one port. */
const HUB_ORIGIN = /^ws:\/\/127\.0\.0\.1:\d{1,5}$/

/**
 * `hubOrigin`: where the page's LiveStore syncs when that is not the page's own origin (the desktop app's page is
 * served from `chronicle://app` and syncs with `ws://127.0.0.1:<port>`, a port known when the window is made).
 * Exactly that origin is allowed, never a range of ports.
 */
export function contentSecurityPolicy(hubOrigin?: string): string {
  if (hubOrigin !== undefined && !HUB_ORIGIN.test(hubOrigin))
    throw new Error(`The hub's origin must be ws://127.0.0.1:<port>, not ${hubOrigin.slice(0, 100)}`)
  return [
    "default-src 'self'",
    // LiveStore's SQLite is WebAssembly: compiling it needs this, and it allows no eval of JavaScript.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    // 'self' covers ws: to the same host and port, which is where the web host takes the hub's WebSocket.
    hubOrigin === undefined ? "connect-src 'self'" : `connect-src 'self' ${hubOrigin}`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** The web host's policy: the page, its workers and the hub are all on the one origin. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy()
