/**
 * The renderer's Content Security Policy: its own scripts and styles only, no inline code, no eval, no plugins, no
 * framing, and network access only back to the host that served it. The web host sends it as a header and the
 * build writes it into index.html for Electron.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')
