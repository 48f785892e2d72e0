/**
 * A LiveStore SyncBackend for the store that lives in the same process as the hub (the main process): the
 * contract of @livestore/common's sync-backend.ts, served straight from the hub without a socket. Clients in other
 * processes use LiveStore's own WebSocket client against ws-sync-server.ts, which speaks the same semantics.
 */
import { BackendIdMismatchError, ServerAheadError, SyncBackend, UnknownError } from '@livestore/common'
import type { LiveStoreEvent } from '@livestore/common/schema'
import { Effect, Option, Stream, SubscriptionRef } from '@livestore/utils/effect'
import type { Hub, PullPage } from './hub'
import type { ClientIdentity } from './hub-credentials'
import { MAX_PUSH_BATCH, syncMetadataOf, wireEvent } from './hub-eventlog'

type SyncMetadata = { readonly _tag: 'SyncMessage.SyncMetadata'; readonly createdAt: string }

const toPullItem = (page: PullPage): SyncBackend.PullResItem<SyncMetadata> => ({
  batch: page.events.map((event) => ({
    eventEncoded: wireEvent(event) as LiveStoreEvent.Global.Encoded,
    metadata: Option.some(syncMetadataOf(event)),
  })),
  pageInfo: page.remaining > 0 ? SyncBackend.pageInfoMoreKnown(page.remaining) : SyncBackend.pageInfoNoMore,
})

/** `identity`: the host (the main store) in the app; tests may connect other in-process clients as devices. */
export const makeInProcessSync =
  (hub: Hub, identity: ClientIdentity): SyncBackend.SyncBackendConstructor<SyncMetadata> =>
  () =>
    Effect.gen(function* () {
      // The client keeps the backend id it last synced with; a hub with another id is a different backend.
      const backendIdHelper = yield* SyncBackend.makeBackendIdHelper
      const isConnected = yield* SubscriptionRef.make(true)

      const checkBackendId = Effect.gen(function* () {
        const known = backendIdHelper.get()
        if (Option.isSome(known) && known.value !== hub.backendId)
          return yield* new BackendIdMismatchError({ expected: hub.backendId, received: known.value })
        yield* backendIdHelper.lazySet(hub.backendId)
      })

      const pull: SyncBackend.SyncBackend<SyncMetadata>['pull'] = (cursor, options) =>
        Stream.fromEffect(checkBackendId).pipe(
          Stream.flatMap(() =>
            Stream.asyncPush<SyncBackend.PullResItem<SyncMetadata>, UnknownError>((emit) =>
              Effect.acquireRelease(
                Effect.sync(() => {
                  const controller = new AbortController()
                  const from = Option.match(cursor, { onNone: () => 0, onSome: (c) => c.eventSequenceNumber })
                  hub
                    .pull(
                      from,
                      options?.live === true,
                      async (page) => void emit.single(toPullItem(page)),
                      controller.signal,
                      MAX_PUSH_BATCH,
                    )
                    .then(
                      () => options?.live === true || emit.end(),
                      (error: unknown) => emit.fail(new UnknownError({ cause: error })),
                    )
                  return controller
                }),
                (controller) => Effect.sync(() => controller.abort()),
              ),
            ),
          ),
        )

      const push: SyncBackend.SyncBackend<SyncMetadata>['push'] = (batch) =>
        Effect.gen(function* () {
          if (batch.length === 0) return
          const known = Option.getOrUndefined(backendIdHelper.get())
          // A failed store (the database locked past its busy timeout) is an UnknownError, which the leader
          // retries with backoff; a rejected promise would be a defect, and with onSyncError 'ignore' the leader's
          // pushing would end there, silently, for as long as the process runs.
          const outcome = yield* Effect.tryPromise({
            try: () => hub.push(batch, { identity, clientBackendId: known }),
            catch: (cause) => new UnknownError({ cause }),
          })
          if (outcome.kind === 'server-ahead')
            return yield* new ServerAheadError({
              minimumExpectedNum: outcome.minimumExpectedNum as never,
              providedNum: outcome.providedNum as never,
            })
          if (outcome.kind === 'backend-mismatch')
            return yield* new BackendIdMismatchError({
              expected: outcome.expected,
              received: outcome.received,
            })
          if (outcome.kind === 'invalid' || outcome.kind === 'refused')
            return yield* new UnknownError({ cause: new Error(outcome.reason) })
        })

      return SyncBackend.of<SyncMetadata>({
        connect: Effect.void,
        pull,
        push,
        ping: Effect.void,
        isConnected,
        metadata: {
          name: 'chronicle-hub-in-process',
          description: "The main process's own hub, without a socket",
        },
        supports: { pullPageInfoKnown: true, pullLive: true },
      })
    })
