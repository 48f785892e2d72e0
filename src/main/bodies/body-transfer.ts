/**
 * Message bodies between this machine and the library's sync worker, for as long as sync runs: this machine's new
 * bodies stored and announced (body-uploader.ts), other machines' bodies fetched (body-downloader.ts). It works
 * when woken (any write to the database's files, which is how new bodies, new locations and new previews arrive)
 * and on a slow poll behind that, which also retries what failed. Its work never holds up events: bodies are
 * separate requests to the worker, and a worker whose blob store is down only delays them. Images kept in images/
 * travel in the same packs (image-items.ts); another machine's image is fetched in the background once a body here
 * refers to it (image-downloader.ts), or at once when the reader asks for it.
 */
import { dirname } from 'node:path'
import { makeBlobClient } from '../blobs/blob-client'
import { watchDatabaseWrites } from '../bridge/database-writes'
import type { BridgeEvent } from '../bridge/events-from-changes'
import { imageStore, type ImageStore } from '../images/image-store'
import type { Log } from '../logger'
import type { Repository } from '../repository/repository'
import type { LibraryKey } from '../sync/library-key'
import { countBodiesToFetch, countBodiesToStore } from './body-locations'
import { makeBodyDownloader } from './body-downloader'
import { storeBodiesRound } from './body-uploader'
import { makeImageDownloader } from './image-downloader'
import { fetchImage } from './image-items'
import { removeUnreferencedPacks, storeAgainWhatIsMissing } from './pack-sweeps'

/** The poll behind the wake-ups: retries a worker that was away, and packs set aside (PACK_RETRY_MS). */
export const BODY_POLL_MS = 30_000
/** How often the worker is asked whether it still has the packs of the bodies held here (pack-sweeps.ts). */
export const RESTORE_CHECK_MS = 5 * 60_000

export interface BodyTransferOptions {
  readonly repository: Repository
  readonly remote: { readonly url: string; readonly storeId: string; readonly key: LibraryKey }
  readonly deviceId: string
  readonly commit: (events: readonly BridgeEvent[]) => Promise<void>
  readonly log: Log
  /** Where images are kept: by default images/ in the data directory, the database's folder. */
  readonly images?: ImageStore
  readonly pollMs?: number
  readonly restoreCheckMs?: number
  /** How long a pack that failed is left alone (body-downloader.ts PACK_RETRY_MS). */
  readonly packRetryMs?: number
  /** How long an unreferenced pack stays on the worker (pack-sweeps.ts REMOVAL_GRACE_MS). */
  readonly removalGraceMs?: number
  readonly fetch?: typeof fetch
  /**
   * Whether this machine's events are still on their way (the bridge behind, or commits the hub has not
   * confirmed): announcements wait until they are not, so each follows its messages' events in the eventlog and none is
   * committed in the middle of a rebase.
   */
  readonly eventsBusy?: () => Promise<boolean>
}

export interface BodyTransferStatus {
  /** Messages here with only another machine's preview. */
  readonly toFetch: number
  /** This machine's bodies not yet stored on the worker. */
  readonly toStore: number
  /** Images the messages here refer to, stored by another machine, not fetched yet (as of the last round). */
  readonly imagesToFetch: number
  /** Why the last round stopped short, until a round goes through. */
  readonly problem: string | null
}

export interface BodyTransfer {
  /** Runs now, or again right after the run under way. */
  wake(): void
  /** Fetches one conversation's missing bodies ahead of the rest: what the reader waits for. */
  fetchConversation(conversationId: string): Promise<void>
  /** Fetches an image another machine stored and keeps it in images/; true when it is here. */
  fetchImage(sha256: string): Promise<boolean>
  status(): Promise<BodyTransferStatus>
  /** Stops: requests under way are cut, nothing half-written (each write is one transaction). */
  close(): Promise<void>
}

export function startBodyTransfer(options: BodyTransferOptions): BodyTransfer {
  const { repository, log } = options
  const closing = new AbortController()
  const baseFetch = options.fetch ?? fetch
  const client = makeBlobClient({
    ...options.remote,
    // Every request ends with the transfer: close must not wait out a slow upload.
    fetch: (input, init) =>
      baseFetch(input, {
        ...init,
        signal: init?.signal ? AbortSignal.any([init.signal, closing.signal]) : closing.signal,
      }),
  })
  const onProblem = (message: string) => log(`bodies: ${message}`)
  const images = options.images ?? imageStore(dirname(repository.file))
  const downloader = makeBodyDownloader({
    repository,
    client,
    onProblem,
    ...(options.packRetryMs !== undefined && { retryMs: options.packRetryMs }),
  })
  const imageDownloader = makeImageDownloader({
    db: repository.db,
    client,
    store: images,
    onProblem,
    ...(options.packRetryMs !== undefined && { retryMs: options.packRetryMs }),
  })
  let problem: string | null = null
  let running: Promise<void> | null = null
  let again = false

  const store = () =>
    storeBodiesRound({
      repository,
      client,
      images,
      deviceId: options.deviceId,
      commit: options.commit,
      ...(options.eventsBusy && { eventsBusy: options.eventsBusy }),
      onProblem,
    })

  let restoreCheckedAt = Number.NEGATIVE_INFINITY
  /** Packs gone from the worker whose bodies are here go back in the queue, checked now and then. */
  const restoreDue = async () => {
    if (Date.now() - restoreCheckedAt < (options.restoreCheckMs ?? RESTORE_CHECK_MS)) return
    restoreCheckedAt = Date.now()
    const queued = await storeAgainWhatIsMissing(repository.db, client)
    if (queued > 0)
      log(`bodies: ${queued} bodies are queued to be stored again: their packs are gone from the worker`)
  }

  /**
   * Stores until the queue is empty, then fetches bodies and then their images until nothing more can be had now,
   * then removes the packs no message refers to any more.
   */
  const runOnce = async (): Promise<string | null> => {
    await restoreDue()
    let busy = true
    while (busy && !closing.signal.aborted) busy = (await store()).located > 0
    let failure: string | null = null
    busy = true
    while (busy && !closing.signal.aborted) {
      const round = await downloader.round()
      failure = round.failure
      busy = round.fetched > 0
    }
    busy = true
    while (busy && !closing.signal.aborted) {
      const round = await imageDownloader.round()
      failure ??= round.failure
      busy = round.fetched > 0
    }
    if (!closing.signal.aborted) await removeUnreferencedPacks(repository.db, client, options.removalGraceMs)
    return failure
  }

  const run = async () => {
    do {
      again = false
      try {
        // A pack that could not be had is no stop: the others went on. Its reason is shown until one goes through.
        problem = await runOnce()
      } catch (error) {
        if (closing.signal.aborted) return
        const message = error instanceof Error ? error.message : String(error)
        // Said once per cause, not once per poll while the worker stays away.
        if (message !== problem) log(`bodies: stopped until the next try: ${message}`)
        problem = message
        return
      }
    } while (again && !closing.signal.aborted)
  }

  const wake = () => {
    if (closing.signal.aborted) return
    if (running) {
      again = true
      return
    }
    running = run().finally(() => {
      running = null
    })
  }

  const stopWatching = watchDatabaseWrites(repository.file, wake)
  const poll = setInterval(wake, options.pollMs ?? BODY_POLL_MS)
  poll.unref()
  wake()

  return {
    wake,
    async fetchConversation(conversationId) {
      while (!closing.signal.aborted) {
        const round = await downloader.round(conversationId)
        if (round.fetched === 0) return
      }
    },
    async fetchImage(sha256) {
      try {
        return await fetchImage({ db: repository.db, client, store: images, sha256, onProblem })
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        onProblem(`image ${sha256.slice(0, 12)} could not be fetched: ${reason}`)
        return false
      }
    },
    async status() {
      return {
        toFetch: await countBodiesToFetch(repository.db),
        toStore: await countBodiesToStore(repository.db),
        imagesToFetch: imageDownloader.waiting(),
        problem,
      }
    },
    async close() {
      closing.abort()
      clearInterval(poll)
      stopWatching()
      await running
    },
  }
}
