/**
 * The renderer's Content Security Policy: its own scripts and styles only, no inline code, no eval, no plugins, no
 * framing, and network access only back to the host that served it and to the hub on this machine's loopback.
 * The web host sends it as a header and the build writes it into index.html for Electron.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // LiveStore's SQLite is WebAssembly: compiling it needs this, and it allows no eval of JavaScript.
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  // The desktop app's page syncs with the hub's endpoint on a loopback port of its own.
  "connect-src 'self' ws://127.0.0.1:*",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
