/**
 * Events as the Worker holds them: the arguments sealed (event-crypto.ts), everything LiveStore orders by (name,
 * sequence numbers, client and session) in clear. Opening checks more than authenticity: a pulled event must also
 * be one Chronicle's schema accepts from another machine (push-policy.ts), because a holder of the key can still
 * write nonsense, and one unreadable event in the eventlog would stop every client that replays it.
 */
import type { KeyObject } from 'node:crypto'
import { decryptEventArgs, encryptEventArgs } from '../sync/event-crypto'
import type { ClientIdentity } from '../hub/hub-credentials'
import type { GlobalEvent } from '../hub/hub-eventlog'
import { pushRefusal } from '../hub/push-policy'

/** Why the relay will not store what the remote served; it stops rather than skip past it. */
export class RelayRefusal extends Error {
  override readonly name = 'RelayRefusal'
}

const placeOf = (storeId: string, event: GlobalEvent) => ({
  storeId,
  name: event.name,
  clientId: event.clientId,
  seqNum: event.seqNum,
})

/** The event as it goes upstream: only LiveStore's fields, the arguments sealed for its place. */
export const sealEvent = (key: KeyObject, storeId: string, event: GlobalEvent): GlobalEvent => ({
  name: event.name,
  args: encryptEventArgs(key, placeOf(storeId, event), event.args),
  seqNum: event.seqNum,
  parentSeqNum: event.parentSeqNum,
  clientId: event.clientId,
  sessionId: event.sessionId,
})

/** The device a pulled event speaks for, as it says (the identity it is stored under). */
export function pulledIdentity(event: GlobalEvent): ClientIdentity {
  const deviceId = (event.args as { deviceId?: unknown } | null)?.deviceId
  return { kind: 'relay', deviceId: typeof deviceId === 'string' ? deviceId : '' }
}

/** Opens and validates a pulled event, or throws a RelayRefusal that names it. */
export function openEvent(key: KeyObject, storeId: string, event: GlobalEvent): GlobalEvent {
  const where = `event ${event.seqNum} (${event.name.slice(0, 80)})`
  let args: unknown
  try {
    args = decryptEventArgs(key, placeOf(storeId, event), event.args)
  } catch (error) {
    throw new RelayRefusal(`${where} from the remote: ${(error as Error).message}`)
  }
  const opened = { ...event, args }
  const refusal = pushRefusal([opened], {
    identity: pulledIdentity(opened),
    pinnedClientId: null,
    reservedClientIds: new Set(),
  })
  if (refusal !== null) throw new RelayRefusal(`the remote served an event Chronicle refuses: ${refusal}`)
  return opened
}
