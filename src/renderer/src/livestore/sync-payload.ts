/**
 * What the page's LiveStore presents to the hub when it connects: the launch token, who it is, and (for its own
 * leader worker, which opens the socket) the hub's address, known only at launch.
 */
import type { SessionInfo } from '../../../shared/api/contract'

export interface PageSyncPayload {
  readonly authToken: string
  readonly deviceId: string
  readonly deviceName: string
  readonly clientKind: 'ui'
  readonly hubUrl: string
}

export const pageSyncPayload = (
  session: SessionInfo,
  hub: NonNullable<SessionInfo['hub']>,
): PageSyncPayload => ({
  authToken: hub.token,
  deviceId: session.device.id,
  deviceName: session.device.name,
  clientKind: 'ui',
  hubUrl: hub.url,
})

/** The hub's address out of a payload that crossed into the worker (checked: it is all the worker knows). */
export function hubUrlOf(payload: unknown): string {
  const url = (payload as { hubUrl?: unknown } | null)?.hubUrl
  if (typeof url !== 'string' || !/^wss?:\/\//.test(url))
    throw new Error('The sync payload names no hub address.')
  return url
}
