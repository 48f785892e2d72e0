/**
 * Which machine vouches for an event. The library key lets every machine of a library seal events, so on its own
 * it cannot tell one machine from another: any of them could push an event that says another machine's device
 * made it. So each relay signs what it pushes with its machine's Ed25519 key (the one that signs its audit
 * exports, audit/signing-key.ts), inside the sealed arguments, where the Worker sees neither the key nor the
 * signature. A machine that pulls the event checks the signature, and device-owners.ts checks that the signer
 * speaks for the device the event names.
 *
 * The signature covers everything LiveStore orders the event by (store, name, client, session, sequence numbers)
 * and its arguments in canonical JSON, so it cannot be moved to another place, like the seal it sits in.
 */
import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { canonicalJson } from '../../shared/canonical-json'
import { keyFingerprint, type SigningKey } from '../audit/signing-key'
import type { GlobalEvent } from '../hub/hub-eventlog'

/** What the relay seals in place of an event's arguments. */
export interface SignedArgs {
  readonly args: unknown
  /** The signer's public key, base64 SubjectPublicKeyInfo DER (as DeviceRegistered carries it). */
  readonly signer: string
  readonly signature: string
}

/** Ed25519 public keys are 44 bytes of DER (60 base64 characters), signatures 64 bytes (88). */
const PUBLIC_KEY_CHARS = 60
const SIGNATURE_CHARS = 88

const signedText = (storeId: string, event: GlobalEvent, args: unknown): Buffer =>
  Buffer.from(
    canonicalJson([
      'chronicle-event-signature/v1',
      storeId,
      event.name,
      event.clientId,
      event.sessionId,
      event.seqNum,
      event.parentSeqNum,
      args,
    ]),
    'utf8',
  )

export function signEvent(key: SigningKey, storeId: string, event: GlobalEvent): SignedArgs {
  const signature = sign(null, signedText(storeId, event, event.args), key.privateKey).toString('base64')
  return { args: event.args, signer: key.publicKey, signature }
}

/** The sealed payload as a signed event's, or why it is not one (checked before any signature is). */
export function signedArgs(payload: unknown): SignedArgs | { readonly problem: string } {
  if (typeof payload !== 'object' || payload === null || !('signature' in payload))
    return { problem: 'it is not signed (sealed by a Chronicle from before machines signed their events)' }
  const { args, signer, signature } = payload as Partial<SignedArgs>
  if (
    typeof signer !== 'string' ||
    signer.length !== PUBLIC_KEY_CHARS ||
    typeof signature !== 'string' ||
    signature.length !== SIGNATURE_CHARS
  )
    return { problem: 'its signature is malformed' }
  return { args, signer, signature }
}

/**
 * A machine's signature checker: public keys parsed once each (a library has a few machines). Verifying costs
 * about 0.1 ms an event, so the replica verifies only the events it does not hold yet.
 */
export function makeSignatureCheck() {
  const keys = new Map<string, { readonly key: KeyObject; readonly fingerprint: string }>()
  const keyOf = (signer: string) => {
    let known = keys.get(signer)
    if (known === undefined) {
      const key = createPublicKey({ key: Buffer.from(signer, 'base64'), format: 'der', type: 'spki' })
      if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key')
      known = { key, fingerprint: keyFingerprint(signer) }
      keys.set(signer, known)
    }
    return known
  }

  /** The signer's fingerprint, or why the signature does not make the event its. */
  return (
    storeId: string,
    event: GlobalEvent,
    signed: SignedArgs,
  ): { readonly fingerprint: string } | { readonly problem: string } => {
    let known: ReturnType<typeof keyOf>
    try {
      known = keyOf(signed.signer)
    } catch {
      return { problem: 'it is signed with something that is not an Ed25519 public key' }
    }
    const text = signedText(storeId, event, signed.args)
    return verify(null, text, known.key, Buffer.from(signed.signature, 'base64'))
      ? { fingerprint: known.fingerprint }
      : { problem: 'its signature does not hold' }
  }
}
export type SignatureCheck = ReturnType<typeof makeSignatureCheck>
