/**
 * Message bodies to and from the sync worker in packs (body-pack.ts), on top of the blob client.
 *
 * The worker knows only pack addresses, so it cannot say which bodies are stored: the caller keeps that as a local
 * index of where each body went ({bodyAddress, packAddress, offset, length}), passes the bodies it already indexed,
 * and records the entries each upload returns. Uploads are idempotent and resumable because packing is canonical:
 * the same bodies in the same order with the same index give the same packs, hence the same pack addresses, and
 * uploadMany's missing-check skips the packs a run cut short already stored. Entries are handed to `onStored` a
 * group of packs at a time, as the packs land, so a crash loses at most one group's record.
 *
 * A downloaded pack is opened only if authentic (blob-crypto.ts), then each body is checked against its own
 * address; a pack that fails authentication is removed from the worker (blob-client.ts, removeTampered), and
 * `restorePacks` run by a machine holding its bodies stores it again under the same address, rebuilt from the index.
 */
import { MAX_PLAINTEXT_BYTES } from './blob-crypto'
import type { BlobClient } from './blob-client'
import { MISSING_BATCH } from './blob-client'
import { BlobError } from './blob-http'
import {
  BodyPackError,
  decodePack,
  encodePack,
  packBytes,
  PACK_TARGET_BYTES,
  planPacks,
  type DecodedPack,
  type PackBody,
} from './body-pack'

/** Where one body is stored: in which pack, at which bytes of the pack's plaintext. */
export interface PackIndexEntry {
  readonly bodyAddress: string
  readonly packAddress: string
  readonly offset: number
  readonly length: number
}

export interface UploadBodiesOptions {
  /** Bodies the caller's index says are stored already: never packed again. */
  readonly stored?: { has(address: string): boolean }
  readonly targetBytes?: number
  /** Called with each group's entries once its packs are on the worker, before the next group is sent. */
  readonly onStored?: (entries: readonly PackIndexEntry[]) => void | Promise<void>
}

export interface UploadBodiesResult {
  /** Every body packed by this call, in the order given: record them in the index. */
  readonly entries: readonly PackIndexEntry[]
  readonly packsSent: number
  /** Packs the worker held already: a re-run after a crash, or another machine's identical pack. */
  readonly packsAlreadyStored: number
  /** Bodies that cannot be uploaded as given: an address not theirs, or too large for any blob. */
  readonly refused: readonly { readonly address: string; readonly error: BlobError }[]
}

/** Packs sent per missing-check: one request asks about the whole group. */
const PACKS_PER_GROUP = MISSING_BATCH

export async function uploadBodies(
  client: BlobClient,
  items: readonly PackBody[],
  options: UploadBodiesOptions = {},
): Promise<UploadBodiesResult> {
  const { toPack, refused } = select(client, items, options.stored)
  const plans = planPacks(toPack, options.targetBytes ?? PACK_TARGET_BYTES)
  const entries: PackIndexEntry[] = []
  let packsSent = 0
  let packsAlreadyStored = 0
  for (let at = 0; at < plans.length; at += PACKS_PER_GROUP) {
    const packs = plans.slice(at, at + PACKS_PER_GROUP).map((bodies) => {
      const { plaintext, entries: table } = encodePack(bodies)
      return { address: client.address(plaintext), plaintext, table }
    })
    const result = await client.uploadMany(packs)
    // Every pack is within the limit and under its own address: a refusal here is a bug, not a body to skip.
    const [refusal] = result.refused
    if (refusal !== undefined) throw refusal.error
    packsSent += result.uploaded.length
    packsAlreadyStored += packs.length - result.uploaded.length
    const group = packs.flatMap(({ address: packAddress, table }) =>
      table.map(({ address: bodyAddress, offset, length }) => ({ bodyAddress, packAddress, offset, length })),
    )
    await options.onStored?.(group)
    entries.push(...group)
  }
  return { entries, packsSent, packsAlreadyStored, refused }
}

/** The bodies to pack: each address once, not already stored, and the body's own; the rest refused. */
function select(client: BlobClient, items: readonly PackBody[], stored: UploadBodiesOptions['stored']) {
  const toPack: PackBody[] = []
  const refused: { address: string; error: BlobError }[] = []
  const seen = new Set<string>()
  for (const item of items) {
    if (seen.has(item.address) || stored?.has(item.address) === true) continue
    seen.add(item.address)
    if (packBytes(1, item.body.byteLength) > MAX_PLAINTEXT_BYTES)
      refused.push({
        address: item.address,
        error: new BlobError(
          'TOO_LARGE',
          `The body is ${item.body.byteLength} bytes, over what one pack holds.`,
        ),
      })
    else if (client.address(item.body) !== item.address)
      refused.push({
        address: item.address,
        error: new BlobError(
          'BAD_ADDRESS',
          'The address given is not the address of this body in this library.',
        ),
      })
    else toPack.push(item)
  }
  return { toPack, refused }
}

/**
 * The bodies of one pack, each verified against its address; those that fail are listed in `wrongContent`. A pack
 * that is not authentic is removed from the worker and its TAMPERED BlobError thrown; one that is authentic but
 * not a pack throws a BodyPackError (a writer holding the key wrote it: removing it would not help).
 */
export async function downloadPack(client: BlobClient, packAddress: string): Promise<DecodedPack> {
  const plaintext = await client.download(packAddress, { removeTampered: true })
  return decodePack(plaintext, (body) => client.address(body))
}

export interface RestoreResult {
  /** Packs the worker lacked and this machine stored again. */
  readonly restored: readonly string[]
  /** Packs the worker lacks that this machine cannot rebuild: a body not here, or an index that is not the whole pack. */
  readonly incomplete: readonly string[]
}

/**
 * Stores again the packs of `entries` the worker lacks (removed as tampered by a downloader, or lost), rebuilt from
 * the bodies this machine holds. Canonical packing makes the rebuilt pack the very one the index names; one whose
 * address differs (an index entry of the pack is missing here) is not sent.
 */
export async function restorePacks(
  client: BlobClient,
  entries: readonly PackIndexEntry[],
  bodyOf: (address: string) => Uint8Array | undefined,
): Promise<RestoreResult> {
  const byPack = new Map<string, PackIndexEntry[]>()
  for (const entry of entries)
    byPack.set(entry.packAddress, [...(byPack.get(entry.packAddress) ?? []), entry])
  const rebuilt: { address: string; plaintext: Buffer }[] = []
  const incomplete: string[] = []
  for (const packAddress of await client.missing([...byPack.keys()])) {
    const plaintext = rebuild(byPack.get(packAddress) ?? [], bodyOf)
    if (plaintext !== undefined && client.address(plaintext) === packAddress)
      rebuilt.push({ address: packAddress, plaintext })
    else incomplete.push(packAddress)
  }
  const { uploaded, alreadyStored } = await client.uploadMany(rebuilt)
  return { restored: [...uploaded, ...alreadyStored], incomplete }
}

function rebuild(
  entries: readonly PackIndexEntry[],
  bodyOf: (address: string) => Uint8Array | undefined,
): Buffer | undefined {
  const bodies: PackBody[] = []
  for (const { bodyAddress } of [...entries].sort((a, b) => a.offset - b.offset)) {
    const body = bodyOf(bodyAddress)
    if (body === undefined) return undefined
    bodies.push({ address: bodyAddress, body })
  }
  try {
    return encodePack(bodies).plaintext
  } catch (error) {
    // The same body twice in one pack's index: not a pack this code wrote.
    if (error instanceof BodyPackError) return undefined
    throw error
  }
}
