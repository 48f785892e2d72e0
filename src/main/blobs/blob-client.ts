/**
 * A library's blobs on its sync worker, as one machine uses them: message bodies and images, each sealed end to
 * end (blob-crypto.ts) and stored under its keyed content address (blob-address.ts). Uploads are idempotent and
 * resumable because the worker's store is the record of progress: `uploadMany` asks which addresses are missing
 * before it sends anything, so a run cut short by a crash or a lost connection is finished by running it again,
 * and no body is sent twice. The worker keeps the first upload of an address (blob-store.ts), so two machines
 * racing on the same body store it once.
 *
 * Failures are BlobErrors (blob-http.ts) whose code says what to do next. Downloads are verified before they are
 * returned: a blob that is not authentic for its address is refused with TAMPERED, never handed on. The worker
 * keeps the first upload of an address, so a tampered blob left there stays forever (the missing-check reports it
 * present and no machine uploads the body again): `download(address, { removeTampered: true })` deletes it before
 * it throws TAMPERED, so the next `uploadMany` of a machine that has the body stores it again. Off by default,
 * because deleting is the caller's decision (a caller that only peeks, or a test that inspects the blob).
 */
import { deriveSyncKeys, type LibraryKey } from '../sync/library-key'
import { blobAddress, isBlobAddress } from './blob-address'
import {
  BlobCryptoError,
  deriveBlobKeys,
  MAX_PLAINTEXT_BYTES,
  MAX_SEALED_BYTES,
  openBlob,
  sealBlob,
} from './blob-crypto'
import { BlobError, blobRequest, readBody, type BlobEndpoint } from './blob-http'
import { forEachBounded } from './bounded'

/** The worker answers at most this many names per missing-check (sync-worker/src/limits.ts, MAX_MISSING_NAMES). */
export const MISSING_BATCH = 40
/** Requests in flight per call: enough to hide a round trip, few enough to keep sealed bodies' memory bounded. */
export const DEFAULT_CONCURRENCY = 4

export interface BlobClientOptions {
  readonly url: string
  readonly storeId: string
  readonly key: LibraryKey
  readonly fetch?: typeof fetch
  readonly concurrency?: number
}

export interface BlobItem {
  readonly address: string
  readonly plaintext: Uint8Array
}

export type UploadOutcome = 'stored' | 'already-stored'

export interface UploadManyResult {
  /** Sent by this call and stored by the worker. */
  readonly uploaded: readonly string[]
  /** On the worker already: found by the missing-check, or stored by another machine while this one sent it. */
  readonly alreadyStored: readonly string[]
  /** Bodies that can never be uploaded as given (TOO_LARGE, BAD_ADDRESS); the others went on without them. */
  readonly refused: readonly { readonly address: string; readonly error: BlobError }[]
}

export interface DownloadOptions {
  /**
   * On TAMPERED, delete the blob from the worker before throwing, so a machine that has the body can store it again.
   * A failed delete is not thrown over the TAMPERED (the next download tries again). UNKNOWN_VERSION is never
   * deleted: a newer Chronicle may have written it.
   */
  readonly removeTampered?: boolean
}

export interface BlobClient {
  /** The address of a body in this library. */
  address(plaintext: Uint8Array): string
  /** Those of `addresses` the worker does not hold, in the order given, each once. */
  missing(addresses: readonly string[]): Promise<string[]>
  /** Seals and sends one body; `address` must be its own (BAD_ADDRESS otherwise, nothing sent). */
  upload(address: string, plaintext: Uint8Array): Promise<UploadOutcome>
  /**
   * Sends those of `items` the worker lacks, each address at most once. Throws the first failure that is not about
   * one item (REFUSED, UNREACHABLE, SERVER_ERROR, BAD_ANSWER) after the requests in flight end; call again later.
   */
  uploadMany(items: readonly BlobItem[]): Promise<UploadManyResult>
  /** The body stored under `address`, verified against it. */
  download(address: string, options?: DownloadOptions): Promise<Buffer>
  /** Deletes the blob; deleting one that is not there succeeds. */
  remove(address: string): Promise<void>
}

/** Errors about one item: the rest of an uploadMany goes on without it. */
const ITEM_ERRORS = new Set(['TOO_LARGE', 'BAD_ADDRESS'])

export function makeBlobClient(options: BlobClientOptions): BlobClient {
  const keys = deriveBlobKeys(options.key, options.storeId)
  const endpoint: BlobEndpoint = {
    url: options.url,
    storeId: options.storeId,
    token: deriveSyncKeys(options.key, options.storeId).workerToken,
    fetch: options.fetch ?? fetch,
  }
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY
  // Uploads under way in any call of this client: a second call for the same address waits for the first.
  const inFlight = new Map<string, Promise<UploadOutcome>>()

  const checkAddress = (address: string): void => {
    if (!isBlobAddress(address))
      throw new BlobError('BAD_ADDRESS', 'A blob address is 64 lowercase hexadecimal characters.')
  }

  async function missingBatch(batch: readonly string[]): Promise<string[]> {
    const answer = await blobRequest(
      endpoint,
      'POST',
      'missing',
      [200],
      Buffer.from(JSON.stringify(batch), 'utf8'),
    )
    const text = (await readBody(endpoint.url, answer)).toString('utf8')
    const asked = new Set(batch)
    let missing: unknown
    try {
      missing = (JSON.parse(text) as { missing?: unknown }).missing
    } catch {
      missing = undefined
    }
    if (!Array.isArray(missing) || !missing.every((name) => typeof name === 'string' && asked.has(name)))
      throw new BlobError('BAD_ANSWER', 'The sync worker answered a missing-check with something else.')
    return missing as string[]
  }

  async function missing(addresses: readonly string[]): Promise<string[]> {
    addresses.forEach(checkAddress)
    const unique = [...new Set(addresses)]
    const batches: string[][] = []
    for (let at = 0; at < unique.length; at += MISSING_BATCH)
      batches.push(unique.slice(at, at + MISSING_BATCH))
    const answers = new Map<readonly string[], string[]>()
    await forEachBounded(batches, concurrency, async (batch) => {
      answers.set(batch, await missingBatch(batch))
    })
    const absent = new Set(batches.flatMap((batch) => answers.get(batch) ?? []))
    return unique.filter((address) => absent.has(address))
  }

  async function send(address: string, plaintext: Uint8Array): Promise<UploadOutcome> {
    checkAddress(address)
    if (plaintext.byteLength > MAX_PLAINTEXT_BYTES)
      throw new BlobError(
        'TOO_LARGE',
        `The body is ${plaintext.byteLength} bytes; the sync worker keeps at most ${MAX_PLAINTEXT_BYTES} bytes per body.`,
      )
    const { address: own, sealed } = sealBlob(keys, plaintext)
    if (own !== address)
      throw new BlobError('BAD_ADDRESS', 'The address given is not the address of this body in this library.')
    const answer = await blobRequest(endpoint, 'PUT', address, [200, 201], sealed)
    await readBody(endpoint.url, answer)
    return answer.response.status === 201 ? 'stored' : 'already-stored'
  }

  function upload(address: string, plaintext: Uint8Array): Promise<UploadOutcome> {
    const running = inFlight.get(address)
    if (running !== undefined) return running
    const started = send(address, plaintext).finally(() => inFlight.delete(address))
    inFlight.set(address, started)
    return started
  }

  async function uploadMany(items: readonly BlobItem[]): Promise<UploadManyResult> {
    const refused: { address: string; error: BlobError }[] = []
    const bodies = new Map<string, Uint8Array>()
    const seen = new Set<string>()
    for (const { address, plaintext } of items) {
      if (seen.has(address)) continue
      seen.add(address)
      if (!isBlobAddress(address))
        refused.push({ address, error: new BlobError('BAD_ADDRESS', 'Not a blob address.') })
      else if (plaintext.byteLength > MAX_PLAINTEXT_BYTES)
        refused.push({
          address,
          error: new BlobError('TOO_LARGE', `The body is over ${MAX_PLAINTEXT_BYTES} bytes.`),
        })
      else bodies.set(address, plaintext)
    }
    const toSend = await missing([...bodies.keys()])
    const sending = new Set(toSend)
    const uploaded: string[] = []
    const alreadyStored = [...bodies.keys()].filter((address) => !sending.has(address))
    await forEachBounded(toSend, concurrency, async (address) => {
      try {
        const outcome = await upload(address, bodies.get(address) as Uint8Array)
        ;(outcome === 'stored' ? uploaded : alreadyStored).push(address)
      } catch (error) {
        if (!(error instanceof BlobError && ITEM_ERRORS.has(error.code))) throw error
        refused.push({ address, error })
      }
    })
    return { uploaded, alreadyStored, refused }
  }

  async function download(address: string, options: DownloadOptions = {}): Promise<Buffer> {
    try {
      return await downloadVerified(address)
    } catch (error) {
      if (options.removeTampered === true && error instanceof BlobError && error.code === 'TAMPERED')
        await remove(address).catch(() => undefined)
      throw error
    }
  }

  async function downloadVerified(address: string): Promise<Buffer> {
    checkAddress(address)
    const answer = await blobRequest(endpoint, 'GET', address, [200])
    const length = Number(answer.response.headers.get('content-length') ?? 0)
    if (length > MAX_SEALED_BYTES) {
      answer.done()
      await answer.response.body?.cancel().catch(() => undefined)
      throw new BlobError('TAMPERED', `The sync worker offers ${length} bytes, more than any blob sealed.`)
    }
    answer.extendDeadline(length)
    const sealed = await readBody(endpoint.url, answer)
    try {
      return openBlob(keys, address, sealed)
    } catch (error) {
      if (!(error instanceof BlobCryptoError)) throw error
      throw new BlobError(error.code === 'UNKNOWN_VERSION' ? 'UNKNOWN_VERSION' : 'TAMPERED', error.message, {
        cause: error,
      })
    }
  }

  async function remove(address: string): Promise<void> {
    checkAddress(address)
    const answer = await blobRequest(endpoint, 'DELETE', address, [204])
    await readBody(endpoint.url, answer)
  }

  return {
    address: (plaintext) => blobAddress(keys.contentHash, plaintext),
    missing,
    upload,
    uploadMany,
    download,
    remove,
  }
}
