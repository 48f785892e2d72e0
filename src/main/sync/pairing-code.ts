/**
 * The pairing code carries what a new machine needs to join a library: the worker's URL, the store id and the
 * library key. A person copies it from one machine and pastes it on the other, so it has a fixed prefix that says
 * what it is, is compact (base64url of a small binary record), and ends in a checksum, so that a changed character
 * or a paste cut short is reported as such instead of as a wrong key later.
 *
 *   chronicle-pair-1-<base64url( length:u16 | keyLen:u8 key | storeIdLen:u8 storeId | url | check:4 )>
 *
 * `length` counts the bytes between it and the check, which makes a truncated paste recognisable; `check` is the
 * first 4 bytes of SHA-256 over the prefix and everything before it (a typo passes with probability 2^-32). The
 * `1` in the prefix is the format's version.
 *
 * The code IS the library key: whoever holds it reads the whole library and can write to it. It is shown once, to
 * be pasted, and never logged, stored elsewhere or summarised; which is why this module offers no way to describe
 * a code (no "fingerprint", no partial display) and its errors never quote it.
 */
import { createHash } from 'node:crypto'
import { LIBRARY_KEY_BYTES, LibraryKey } from './library-key'
import { fromBase64url, isStoreId, toBase64url, SyncCryptoError } from './sync-crypto-encoding'

export const PAIRING_CODE_PREFIX = 'chronicle-pair-1-'
const FAMILY = 'chronicle-pair-'
const CHECK_BYTES = 4
const MAX_URL_CHARS = 1024

export interface PairingInfo {
  readonly workerUrl: string
  readonly storeId: string
  readonly key: LibraryKey
}

export type PairingCodeErrorCode =
  | 'WRONG_PREFIX'
  | 'UNSUPPORTED_VERSION'
  | 'INVALID_CHARACTER'
  | 'TRUNCATED'
  | 'CHECKSUM_MISMATCH'
  | 'MALFORMED'
  | 'INVALID_URL'
  | 'INVALID_KEY'
  | 'INVALID_STORE_ID'

/** A message for the person who pasted the code; it never contains the code or any part of it. */
export class PairingCodeError extends SyncCryptoError<PairingCodeErrorCode> {
  override readonly name = 'PairingCodeError'
}

const fail = (code: PairingCodeErrorCode, message: string): never => {
  throw new PairingCodeError(code, message)
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * The worker's URL as it will be stored and dialled: https, or http to this machine only (a worker under
 * `wrangler dev`); no user name or password, query or fragment, since the token goes in a header and anything in
 * the URL ends up in logs. Returns the URL's normalised form.
 */
export function checkWorkerUrl(text: string): string {
  if (text.length > MAX_URL_CHARS)
    fail('INVALID_URL', `The worker URL is longer than ${MAX_URL_CHARS} characters.`)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return fail(
      'INVALID_URL',
      'The worker URL is not a URL; it looks like https://chronicle-sync.example.workers.dev.',
    )
  }
  if (url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname))
    fail(
      'INVALID_URL',
      `The worker URL uses http:// to ${url.hostname}; plain http is only for a worker on this machine (127.0.0.1, localhost, [::1]). Use https://.`,
    )
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    fail('INVALID_URL', `The worker URL must start with https://, not ${url.protocol}//.`)
  if (url.username !== '' || url.password !== '')
    fail(
      'INVALID_URL',
      'The worker URL must not contain a user name or password; the key authorises the connection.',
    )
  if (text.includes('?') || text.includes('#'))
    fail('INVALID_URL', 'The worker URL must not have a query (?…) or fragment (#…).')
  return url.href
}

export function makePairingCode(info: PairingInfo): string {
  const url = Buffer.from(checkWorkerUrl(info.workerUrl), 'utf8')
  if (!isStoreId(info.storeId))
    fail('INVALID_STORE_ID', 'The store id is not 1 to 64 of A-Z, a-z, 0-9, - and _.')
  const key = info.key.exportBytes()
  const storeId = Buffer.from(info.storeId, 'ascii')
  const record = Buffer.concat([Buffer.of(key.length), key, Buffer.of(storeId.length), storeId, url])
  const length = Buffer.alloc(2)
  length.writeUInt16BE(record.length)
  const body = Buffer.concat([length, record])
  return PAIRING_CODE_PREFIX + toBase64url(Buffer.concat([body, checksum(body)]))
}

const checksum = (body: Buffer): Buffer =>
  createHash('sha256').update(PAIRING_CODE_PREFIX).update(body).digest().subarray(0, CHECK_BYTES)

/** Reads a pasted code; spaces and line breaks anywhere in it are ignored. */
export function parsePairingCode(pasted: string): PairingInfo {
  const code = pasted.replace(/\s+/g, '')
  if (!code.startsWith(PAIRING_CODE_PREFIX)) {
    const version = code.startsWith(FAMILY) ? /^\d+/.exec(code.slice(FAMILY.length))?.[0] : undefined
    if (version !== undefined && version !== '1')
      fail(
        'UNSUPPORTED_VERSION',
        `This pairing code has format ${version}; update Chronicle on this machine to read it.`,
      )
    fail('WRONG_PREFIX', `This is not a Chronicle pairing code: one starts with ${PAIRING_CODE_PREFIX}.`)
  }
  const text = code.slice(PAIRING_CODE_PREFIX.length)
  const stray = /[^A-Za-z0-9_-]/.exec(text)
  if (stray)
    fail(
      'INVALID_CHARACTER',
      `The pairing code has a character no pairing code contains, at position ${PAIRING_CODE_PREFIX.length + stray.index + 1}; copy it again.`,
    )
  // Lengths first, from a lenient decoding, so a paste cut anywhere is reported as cut short.
  const lenient = Buffer.from(text, 'base64url')
  if (lenient.length < 2 + CHECK_BYTES) return fail('TRUNCATED', truncatedMessage)
  const expected = 2 + lenient.readUInt16BE(0) + CHECK_BYTES
  if (lenient.length < expected) fail('TRUNCATED', truncatedMessage)
  if (lenient.length > expected)
    fail('CHECKSUM_MISMATCH', 'The pairing code has extra characters at its end; copy it again.')
  // Non-canonical base64url (spare bits set in the last character) only arises from a changed character.
  const bytes = fromBase64url(text)
  if (bytes === null) return fail('CHECKSUM_MISMATCH', changedMessage)
  const body = bytes.subarray(0, expected - CHECK_BYTES)
  if (!checksum(body).equals(bytes.subarray(expected - CHECK_BYTES)))
    fail('CHECKSUM_MISMATCH', changedMessage)
  return readRecord(body.subarray(2))
}

const truncatedMessage = 'The pairing code is cut short: part of it is missing. Copy the whole code again.'
const changedMessage =
  'The pairing code does not check out: a character was changed or lost. Copy it again rather than typing it.'

/** The record passed its checksum, so it is what some Chronicle wrote; it is still checked field by field. */
function readRecord(record: Buffer): PairingInfo {
  let at = 0
  const take = (count: number, what: string): Buffer => {
    if (at + count > record.length) fail('MALFORMED', `The pairing code ends inside its ${what}.`)
    at += count
    return record.subarray(at - count, at)
  }
  const keyLength = take(1, 'key length')[0] ?? 0
  if (keyLength !== LIBRARY_KEY_BYTES)
    fail(
      'INVALID_KEY',
      `The pairing code holds a ${keyLength}-byte key; a library key is ${LIBRARY_KEY_BYTES}.`,
    )
  const key = LibraryKey.fromBytes(Buffer.from(take(keyLength, 'key')))
  const storeIdLength = take(1, 'store id length')[0] ?? 0
  const storeId = take(storeIdLength, 'store id').toString('latin1')
  if (!isStoreId(storeId))
    fail(
      'INVALID_STORE_ID',
      'The pairing code names a store id that is not 1 to 64 of A-Z, a-z, 0-9, - and _.',
    )
  const urlBytes = record.subarray(at)
  let urlText: string
  try {
    urlText = new TextDecoder('utf-8', { fatal: true }).decode(urlBytes)
  } catch {
    return fail('INVALID_URL', 'The worker URL in the pairing code is not text.')
  }
  const workerUrl = checkWorkerUrl(urlText)
  if (workerUrl !== urlText)
    fail('INVALID_URL', 'The worker URL in the pairing code is not in its normal form.')
  return { workerUrl, storeId, key }
}
