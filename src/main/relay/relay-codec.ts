/**
 * Events as the Worker holds them: the arguments sealed (event-crypto.ts) together with the signature of the
 * machine that pushed them (event-signature.ts), everything LiveStore orders by (name, sequence numbers, client and
 * session) in clear. Opening checks more than authenticity: the signature must hold, and a pulled event must be one
 * Chronicle's schema accepts from another machine (push-policy.ts), because a holder of the key can still write
 * nonsense, and one unreadable event in the eventlog would stop every client that replays it. Whether the signer
 * may speak for the device the event names is the replica's to check (device-owners.ts): it needs the history.
 */
import type { KeyObject } from 'node:crypto'
import type { SigningKey } from '../audit/signing-key'
import { decryptEventArgs, encryptEventArgs } from '../sync/event-crypto'
import type { ClientIdentity } from '../hub/hub-credentials'
import type { GlobalEvent } from '../hub/hub-eventlog'
import { pushRefusal, SCHEMA_MISMATCH } from '../hub/push-policy'
import { signedArgs, signEvent, type SignatureCheck } from './event-signature'

/**
 * Why the relay will not store what the remote served. The message may be stored in the eventlog in the event's
 * place (relay-replica.ts), so it is made of Chronicle's own words only; `detail` says more, for the log.
 */
export class RelayRefusal extends Error {
  override readonly name = 'RelayRefusal'
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message)
  }
}

/**
 * A push refusal as every machine can store it alike: the schema's complaint is Effect's formatter's text, which
 * may change with LiveStore's version, and a refusal worded differently on two machines would split their chains.
 */
function chainSafe(refusal: string): string {
  const schema = refusal.indexOf(SCHEMA_MISMATCH)
  return schema === -1 ? refusal : refusal.slice(0, schema + SCHEMA_MISMATCH.length)
}

const placeOf = (storeId: string, event: GlobalEvent) => ({
  storeId,
  name: event.name,
  clientId: event.clientId,
  seqNum: event.seqNum,
})

/** The event as it goes upstream: only LiveStore's fields, the arguments signed and sealed for their place. */
export const sealEvent = (
  key: KeyObject,
  signer: SigningKey,
  storeId: string,
  event: GlobalEvent,
): GlobalEvent => ({
  name: event.name,
  args: encryptEventArgs(key, placeOf(storeId, event), signEvent(signer, storeId, event)),
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

/** A pulled event opened; who signed it is checked on demand (the replica asks only of events new to it). */
export interface OpenedEvent {
  readonly event: GlobalEvent
  /** The fingerprint of the machine that signed the event; throws a RelayRefusal when the signature fails. */
  signer(check: SignatureCheck): string
}

/** Opens and validates a pulled event, or throws a RelayRefusal that names it. */
export function openEvent(key: KeyObject, storeId: string, event: GlobalEvent): OpenedEvent {
  const where = `event ${event.seqNum} (${event.name.slice(0, 80)})`
  let payload: unknown
  try {
    payload = decryptEventArgs(key, placeOf(storeId, event), event.args)
  } catch (error) {
    throw new RelayRefusal(`${where} from the remote: ${(error as Error).message}`)
  }
  const signed = signedArgs(payload)
  if ('problem' in signed) throw new RelayRefusal(`${where} from the remote: ${signed.problem}`)
  const opened = { ...event, args: signed.args }
  const refusal = pushRefusal([opened], {
    identity: pulledIdentity(opened),
    pinnedClientId: null,
    reservedClientIds: new Set(),
  })
  if (refusal !== null)
    throw new RelayRefusal(`the remote served an event Chronicle refuses: ${chainSafe(refusal)}`, refusal)
  return {
    event: opened,
    signer(check) {
      const verdict = check(storeId, event, signed)
      if ('problem' in verdict) throw new RelayRefusal(`${where} from the remote: ${verdict.problem}`)
      return verdict.fingerprint
    },
  }
}
