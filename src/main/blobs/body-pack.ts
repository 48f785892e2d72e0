/**
 * Message bodies travel in packs: many bodies in one blob, because the worker's cost is per request (at least
 * 5.6 ms of authorisation each, about 57 small blobs/s on one core), and one blob per message would take 20 minutes
 * for 100,000 messages. Each body keeps its own keyed content address (blob-address.ts) inside the pack, so the
 * same body is packed once and each one verifies on its own; the pack is sealed and stored as one blob under the
 * address of its own plaintext (blob-client.ts).
 *
 * Format, version 1, all integers unsigned 32-bit big-endian:
 *   "CHPK" || 0x01 || count || count × (address (32 bytes) || offset || length) || bodies
 * Offsets count from the start of the pack. The bodies follow the table in table order, back to back, and end with
 * the pack. The encoding is canonical (one list of bodies, one pack, one pack address), which is what makes a
 * re-run after a crash produce the packs already stored, and the decoder refuses anything else: a pack it cannot
 * account for byte by byte is not one this code wrote.
 *
 * Pure: no I/O, and the only key is the content-hash one the caller's `addressOf` holds.
 */
import type { KeyObject } from 'node:crypto'
import { blobAddress, isBlobAddress } from './blob-address'
import { MAX_PLAINTEXT_BYTES } from './blob-crypto'

export const PACK_FORMAT_VERSION = 1
const MAGIC = Buffer.from('CHPK', 'ascii')
const HEADER_BYTES = MAGIC.length + 1 + 4
const ADDRESS_BYTES = 32
const ENTRY_BYTES = ADDRESS_BYTES + 4 + 4
/** About 256 KiB: large enough that the per-request cost is small against the bytes, small enough to stream. */
export const PACK_TARGET_BYTES = 256 * 1024

export type BodyPackErrorCode =
  /** Shorter than its header or its table says. */
  | 'TRUNCATED'
  /** Does not start with the pack's magic: not a pack at all. */
  | 'NOT_A_PACK'
  /** A pack of a format this Chronicle does not read. */
  | 'UNKNOWN_VERSION'
  /** An entry that points into the header or table, or past the end. */
  | 'OUT_OF_RANGE'
  /** An entry that starts before the previous one ends. */
  | 'OVERLAP'
  /** Bytes no entry accounts for: a gap between bodies, or bytes after the last. */
  | 'UNACCOUNTED_BYTES'
  /** Two entries under one address: a canonical pack holds each body once. */
  | 'DUPLICATE_ADDRESS'
  /** Encoding only: an address that is not 64 lowercase hex characters. */
  | 'BAD_ADDRESS'
  /** Encoding only: more than one sealed blob can hold. */
  | 'TOO_LARGE'

export class BodyPackError extends Error {
  override readonly name = 'BodyPackError'
  constructor(
    readonly code: BodyPackErrorCode,
    message: string,
  ) {
    super(message)
  }
}

const fail = (code: BodyPackErrorCode, message: string): never => {
  throw new BodyPackError(code, message)
}

export interface PackBody {
  readonly address: string
  readonly body: Uint8Array
}

/** Where a body sits in its pack's plaintext: `pack.subarray(offset, offset + length)`. */
export interface PackEntry {
  readonly address: string
  readonly offset: number
  readonly length: number
}

export interface EncodedPack {
  readonly plaintext: Buffer
  readonly entries: readonly PackEntry[]
}

/** The size of a pack of `count` bodies totalling `bodyBytes`. */
export const packBytes = (count: number, bodyBytes: number): number =>
  HEADER_BYTES + count * ENTRY_BYTES + bodyBytes

/** One pack of `bodies`, in the order given. Addresses are taken as given: the decoder is what checks them. */
export function encodePack(bodies: readonly PackBody[]): EncodedPack {
  const total = packBytes(
    bodies.length,
    bodies.reduce((sum, { body }) => sum + body.byteLength, 0),
  )
  if (total > MAX_PLAINTEXT_BYTES)
    fail('TOO_LARGE', `A pack of ${total} bytes is over the ${MAX_PLAINTEXT_BYTES} one blob can hold.`)
  const seen = new Set<string>()
  for (const { address } of bodies) {
    if (!isBlobAddress(address)) fail('BAD_ADDRESS', 'A body address is 64 lowercase hexadecimal characters.')
    if (seen.has(address)) fail('DUPLICATE_ADDRESS', `Body ${address} is given twice; a pack holds it once.`)
    seen.add(address)
  }
  const plaintext = Buffer.alloc(total)
  MAGIC.copy(plaintext, 0)
  plaintext.writeUInt8(PACK_FORMAT_VERSION, MAGIC.length)
  plaintext.writeUInt32BE(bodies.length, MAGIC.length + 1)
  const entries: PackEntry[] = []
  let offset = packBytes(bodies.length, 0)
  for (const [i, { address, body }] of bodies.entries()) {
    const row = HEADER_BYTES + i * ENTRY_BYTES
    Buffer.from(address, 'hex').copy(plaintext, row)
    plaintext.writeUInt32BE(offset, row + ADDRESS_BYTES)
    plaintext.writeUInt32BE(body.byteLength, row + ADDRESS_BYTES + 4)
    plaintext.set(body, offset)
    entries.push({ address, offset, length: body.byteLength })
    offset += body.byteLength
  }
  return { plaintext, entries }
}

/**
 * The table of a pack, checked against the pack's own bytes before anything is allocated for it: a count the
 * bytes cannot hold is TRUNCATED, not a request for gigabytes. Throws a BodyPackError, nothing else.
 */
export function readPackTable(pack: Uint8Array): PackEntry[] {
  const bytes = Buffer.from(pack.buffer, pack.byteOffset, pack.byteLength)
  if (bytes.length >= MAGIC.length && !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    fail('NOT_A_PACK', 'The bytes do not start as a body pack does.')
  if (bytes.length < HEADER_BYTES) fail('TRUNCATED', `A pack is at least ${HEADER_BYTES} bytes.`)
  const version = bytes.readUInt8(MAGIC.length)
  if (version !== PACK_FORMAT_VERSION)
    fail('UNKNOWN_VERSION', `The pack is format ${version}; this Chronicle reads ${PACK_FORMAT_VERSION}.`)
  const count = bytes.readUInt32BE(MAGIC.length + 1)
  const tableEnd = packBytes(count, 0)
  if (tableEnd > bytes.length)
    fail('TRUNCATED', `The pack names ${count} bodies; its ${bytes.length} bytes cannot hold their table.`)
  const entries: PackEntry[] = []
  const seen = new Set<string>()
  let expected = tableEnd
  for (let i = 0; i < count; i++) {
    const row = HEADER_BYTES + i * ENTRY_BYTES
    const address = bytes.toString('hex', row, row + ADDRESS_BYTES)
    const offset = bytes.readUInt32BE(row + ADDRESS_BYTES)
    const length = bytes.readUInt32BE(row + ADDRESS_BYTES + 4)
    if (offset < tableEnd || offset + length > bytes.length)
      fail('OUT_OF_RANGE', `Entry ${i} lies outside the pack's bodies.`)
    if (offset < expected) fail('OVERLAP', `Entry ${i} starts inside the body before it.`)
    if (offset > expected) fail('UNACCOUNTED_BYTES', `Entry ${i} leaves a gap before it.`)
    if (seen.has(address)) fail('DUPLICATE_ADDRESS', `Entry ${i} repeats body ${address}.`)
    seen.add(address)
    entries.push({ address, offset, length })
    expected = offset + length
  }
  if (expected !== bytes.length)
    fail('UNACCOUNTED_BYTES', `${bytes.length - expected} bytes follow the last body.`)
  return entries
}

export interface DecodedPack {
  /** Bodies that hash to their address, as views into the pack's bytes. */
  readonly bodies: ReadonlyMap<string, Buffer>
  /** Entries whose bytes do not hash to their address: refused, to be fetched from another pack or machine. */
  readonly wrongContent: readonly string[]
}

/** The library's address function, from its `blobContentHash` key. */
export const addressWith =
  (contentHashKey: KeyObject) =>
  (body: Uint8Array): string =>
    blobAddress(contentHashKey, body)

/** The bodies of a pack, each checked against its address with `addressOf` (addressWith, or a client's address). */
export function decodePack(pack: Uint8Array, addressOf: (body: Uint8Array) => string): DecodedPack {
  const bytes = Buffer.from(pack.buffer, pack.byteOffset, pack.byteLength)
  const bodies = new Map<string, Buffer>()
  const wrongContent: string[] = []
  for (const { address, offset, length } of readPackTable(bytes)) {
    const body = bytes.subarray(offset, offset + length)
    if (addressOf(body) === address) bodies.set(address, body)
    else wrongContent.push(address)
  }
  return { bodies, wrongContent }
}

/**
 * Splits `items` into packs of at most `targetBytes` each, in the order given (callers pass the newest
 * conversations first, so they arrive first); a body too large to share a pack within the target travels alone.
 */
export function planPacks<T extends { readonly body: Uint8Array }>(
  items: readonly T[],
  targetBytes: number = PACK_TARGET_BYTES,
): T[][] {
  const packs: T[][] = []
  let current: T[] = []
  let bodyBytes = 0
  for (const item of items) {
    const size = item.body.byteLength
    if (current.length > 0 && packBytes(current.length + 1, bodyBytes + size) > targetBytes) {
      packs.push(current)
      current = []
      bodyBytes = 0
    }
    current.push(item)
    bodyBytes += size
  }
  if (current.length > 0) packs.push(current)
  return packs
}
