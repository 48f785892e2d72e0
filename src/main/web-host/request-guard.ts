/**
 * Who may talk to the web host: only pages this host served (Host and Origin are this host, which stops DNS
 * rebinding and other sites' pages) and only with the per-launch token (which stops other local users and programs).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const newLaunchToken = (): string => randomBytes(24).toString('base64url')

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`])
}

export function hostAllowed(request: IncomingMessage, hosts: Set<string>): boolean {
  return hosts.has(request.headers.host ?? '')
}

/**
 * Browsers send Origin on cross-origin and on POST requests; when present it must be this host, or one of the
 * pages named (the desktop app's own origin, for its sync endpoint).
 */
export function originAllowed(
  request: IncomingMessage,
  hosts: Set<string>,
  pageOrigins: readonly string[] = [],
): boolean {
  const origin = request.headers.origin
  if (origin === undefined) return true
  return pageOrigins.includes(origin) || [...hosts].some((host) => origin === `http://${host}`)
}

/**
 * The request target's path, or null when it is not one: a raw target such as `http://[/sync` makes `new URL`
 * throw, and an uncaught throw in a request handler takes the process down.
 */
export function requestPath(request: IncomingMessage): string | null {
  try {
    return new URL(request.url ?? '/', 'http://127.0.0.1').pathname
  } catch {
    return null
  }
}

export function tokenMatches(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization ?? ''
  const presented = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '')
  const expected = Buffer.from(token)
  return presented.length === expected.length && timingSafeEqual(presented, expected)
}
