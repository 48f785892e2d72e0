/**
 * Who may connect to the hub over its WebSocket, and as whom. Holding the web host's launch token is not enough:
 * each connection presents a credential of its own kind, and the identity it authenticates is bound to the
 * connection for its whole life (ws-sync-server.ts) and checked against every event it pushes (push-policy.ts).
 *
 * - The **page credential** is handed to this machine's own pages through the API (the `session` call, which
 *   only the window or a holder of the launch token can make). It speaks for this device as a UI, and for nothing
 *   else: it cannot register or rename another device, claim the main store's client, or write as the importer.
 * - The **device credential** is written to `hub.json` (readable by this user only) for local device programs such
 *   as the simulator. A connection presenting it names the device it speaks for, which may be any device but this
 *   machine's own; from then on the connection speaks for that device only, and a client id that once pushed for
 *   one device can never push for another (the eventlog remembers who pushed what).
 * - The main store is not a WebSocket client: it reaches the hub in-process, as the host, the one identity that
 *   may write what the bridge and the importers write.
 * - The **relay credential** is for another machine's main store that syncs through this hub as its backend (the
 *   way LiveStore's Cloudflare backend is used; tests stand this hub in for it). Such a store is the host of its
 *   own device, and may write what a host writes, for that device only.
 *
 * Both secrets are drawn per launch and compared as bytes in constant time; a string of the right character
 * count but another byte length is simply a wrong credential.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'

/** What a connection proved it is. `host` is the main store, in-process only. */
export type ClientIdentity =
  | { readonly kind: 'host'; readonly deviceId: string }
  | { readonly kind: 'ui'; readonly deviceId: string }
  | { readonly kind: 'device'; readonly deviceId: string }
  | { readonly kind: 'relay'; readonly deviceId: string }

export type IdentityKind = ClientIdentity['kind']

export interface HubCredentials {
  /** The device whose hub this is: only the host and its pages speak for it. */
  readonly hostDeviceId: string
  /** For this machine's pages (through the API's `session`). */
  readonly pageCredential: string
  /** For local device programs (through `hub.json`). */
  readonly deviceCredential: string
  /** For other machines' main stores. */
  readonly relayCredential: string
  /** The identity a connection's handshake proves, or why it proves none. */
  identify(payload: HandshakePayload): ClientIdentity | CredentialRefusal
}

/** The sync payload of LiveStore's WebSocket client, as far as the hub reads it. */
export interface HandshakePayload {
  readonly authToken?: unknown
  readonly deviceId?: unknown
}

export interface CredentialRefusal {
  readonly refused: string
}

/** The ids a device program may claim: what device.json and the simulator make, nothing that needs escaping. */
const DEVICE_ID = /^[\w-]{1,64}$/

export function makeHubCredentials(hostDeviceId: string): HubCredentials {
  const pageCredential = randomBytes(24).toString('base64url')
  const deviceCredential = randomBytes(24).toString('base64url')
  const relayCredential = randomBytes(24).toString('base64url')
  return {
    hostDeviceId,
    pageCredential,
    deviceCredential,
    relayCredential,
    identify({ authToken, deviceId }) {
      if (sameSecret(authToken, pageCredential)) {
        if (deviceId !== undefined && deviceId !== hostDeviceId)
          return { refused: 'a page credential speaks for this machine’s device only' }
        return { kind: 'ui', deviceId: hostDeviceId }
      }
      const kind = sameSecret(authToken, deviceCredential)
        ? 'device'
        : sameSecret(authToken, relayCredential)
          ? 'relay'
          : null
      if (kind !== null) {
        if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId))
          return {
            refused: `a ${kind} credential must name the device it speaks for (letters, digits, - and _)`,
          }
        if (deviceId === hostDeviceId)
          return { refused: `a ${kind} may not speak for this machine’s own device` }
        return { kind, deviceId }
      }
      return { refused: 'unknown credential' }
    },
  }
}

export const isRefusal = (value: ClientIdentity | CredentialRefusal): value is CredentialRefusal =>
  'refused' in value

/** Constant-time equality of a presented secret with ours, over bytes (a multi-byte string is just wrong). */
function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given, 'utf8')
  const b = Buffer.from(expected, 'utf8')
  return a.length === b.length && timingSafeEqual(a, b)
}

/** How the eventlog and the audit trail name who pushed an event. */
export const describeIdentity = (identity: ClientIdentity): string => `${identity.kind}:${identity.deviceId}`

/** The main store of the device `deviceId`, reaching the hub in-process. */
export const hostIdentity = (deviceId: string): ClientIdentity => ({ kind: 'host', deviceId })
