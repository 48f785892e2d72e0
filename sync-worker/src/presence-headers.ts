/**
 * How a relay tells the Worker which machine it is: headers on the sync WebSocket's upgrade, beside the token.
 * Headers and not sync-cf's `payload`, because the payload travels in the URL's query string, which logs keep, and
 * because the Worker can refuse a bad header with a 400 before the Durable Object sees the request.
 *
 * The machine's display name never arrives in clear: only `x-chronicle-sealed-name`, sealed on the machine with
 * a key derived from the library key. A client that sends no machine id (LiveStore's own client, `sync status`'s
 * check) syncs as before and is not listed.
 */
import {
  MACHINE_ID_PATTERN,
  MACHINE_ID_RULE,
  SEALED_NAME_PATTERN,
  VERSION_PATTERN,
  VERSION_RULE,
} from './limits'

export const PRESENCE_HEADERS = {
  machineId: 'x-chronicle-machine-id',
  version: 'x-chronicle-version',
  sealedName: 'x-chronicle-sealed-name',
} as const

export interface MachinePresence {
  readonly machineId: string
  readonly version: string
  readonly sealedName: string | null
}

export type PresenceHeaders =
  | { readonly kind: 'none' }
  | { readonly kind: 'machine'; readonly presence: MachinePresence }
  | { readonly kind: 'invalid'; readonly message: string }

export function readPresenceHeaders(headers: Headers): PresenceHeaders {
  const machineId = headers.get(PRESENCE_HEADERS.machineId)
  const version = headers.get(PRESENCE_HEADERS.version)
  const sealedName = headers.get(PRESENCE_HEADERS.sealedName)
  if (machineId === null) {
    return version === null && sealedName === null
      ? { kind: 'none' }
      : { kind: 'invalid', message: `A version or sealed name needs ${PRESENCE_HEADERS.machineId}.` }
  }
  // Messages name the rule, never the value: it may be 10 kB of anything.
  if (!MACHINE_ID_PATTERN.test(machineId))
    return { kind: 'invalid', message: `${PRESENCE_HEADERS.machineId} must be ${MACHINE_ID_RULE}.` }
  if (version === null || !VERSION_PATTERN.test(version))
    return { kind: 'invalid', message: `${PRESENCE_HEADERS.version} must be ${VERSION_RULE}.` }
  if (sealedName !== null && !SEALED_NAME_PATTERN.test(sealedName))
    return {
      kind: 'invalid',
      message: `${PRESENCE_HEADERS.sealedName} must be 1 to 600 base64url characters.`,
    }
  return { kind: 'machine', presence: { machineId, version, sealedName } }
}
