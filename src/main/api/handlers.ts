/**
 * The main side of the API contract: validates what arrives, calls the repository, and always answers with a
 * Result, so no exception (and no stack trace) crosses the process boundary.
 */
import {
  apiArgs,
  isApiMethod,
  type ApiArgs,
  type ApiMethod,
  type ApiResults,
  type ConnectedClientStatus,
  type RefusedConnectionStatus,
  type RemoteSyncStatus,
  type SessionInfo,
} from '../../shared/api/contract'
import { fail, ok, type Result } from '../../shared/result'
import { auditPage } from '../audit/audit-page'
import type { AuditFilters } from '../audit/audit-query'
import type { ExportJobs } from '../audit/export-jobs'
import { jobAnswer } from '../jobs/job-registry'
import type { ImageStore } from '../images/image-store'
import { findInConversation } from '../repository/find-in-conversation'
import type { Repository } from '../repository/repository'
import { answerCache, type AnswerCache } from '../usage/answer-cache'
import { billingBlocks, usageRankings, usageSeries } from '../usage/usage-queries'
import { toChartSeries } from '../../shared/usage/usage-report'
import { membershipHandlers, type MembershipServices } from './membership-handlers'
import { settingsHandlers, type SettingsServices } from './settings-handlers'
import { appVersion } from '../app-version'
import { STORE_ID } from '../../shared/livestore/schema'

type Handlers = { [M in ApiMethod]: (args: ApiArgs<M>) => Promise<Result<ApiResults[M]>> }

/** What the API needs of the sync runtime (absent where none runs, as in the CLI's own tests). */
export interface SyncStatusSource {
  readonly device: { readonly id: string; readonly name: string }
  readonly hub: { readonly eventlog: { head(): Promise<number> } }
  readonly clients: {
    list(): readonly Omit<ConnectedClientStatus, 'lag'>[]
    refusedHandshakes(): readonly RefusedConnectionStatus[]
  }
  /** Change-feed rows not yet made into events. */
  readonly repositoryBacklog: () => Promise<number>
  /** Where pages reach the hub, once the web host or the sync endpoint listens. */
  readonly hubAccess?: () => SessionInfo['hub']
  /** Events the app's own store has not seen confirmed. */
  readonly unconfirmed?: () => Promise<number>
  readonly remote?: () => Promise<RemoteSyncStatus | null>
  /** Connects to the worker again now; false where this machine relays to none. */
  readonly retryRemote?: () => boolean
  /** Message bodies and images from the library's other machines: the reader waits a moment for them. */
  readonly bodies?: {
    fetchConversation(conversationId: string): Promise<void>
    /** Keeps the image in the image store when another machine stored it; true when it is here. */
    fetchImage?(sha256: string): Promise<boolean>
  } | null
}

/** How long opening a conversation waits for its bodies from other machines before it shows the previews. */
export const BODY_WAIT_MS = 4_000

/** Waits for `work` at most `ms`. Its failure is the transfer's to report (it logs it), not the reader's. */
const within = (ms: number, work: Promise<void>): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    void work
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer)
        resolve()
      })
  })

/** The audit trail's filters as the API passes them (a short action name is not accepted here). */
const auditFilters = (args: ApiArgs<'auditPage'> | ApiArgs<'auditExportStart'>): AuditFilters => ({
  ...(args.action !== undefined && { action: args.action }),
  ...(args.deviceId !== undefined && { deviceId: args.deviceId }),
  ...(args.conversationId !== undefined && { conversationId: args.conversationId }),
  ...(args.since !== undefined && { since: args.since }),
  ...(args.until !== undefined && { until: args.until }),
})

const AUDIT_PAGE = 100

/** The dashboard's windows are the recent ones: reading a week of responses bounds the cost of the answer. */
const BLOCKS_LOOKBACK_MS = 7 * 86_400_000

const chartSeries = (repository: Repository, args: ApiArgs<'usage'>, cache: AnswerCache) =>
  cache.answer(
    `series ${JSON.stringify([args.period, args.by, args.filter, args.utcOffsetMinutes])}`,
    async () =>
      toChartSeries(
        await usageSeries(repository.db, {
          period: args.period,
          by: args.by ?? null,
          filter: args.filter,
          utcOffsetMinutes: args.utcOffsetMinutes,
        }),
      ),
  )

async function usageReport(repository: Repository, args: ApiArgs<'usage'>, now: number, cache: AnswerCache) {
  const { db, prices } = repository
  const filter = args.filter
  const blocksSince = Math.max(filter.since ?? 0, (filter.until ?? now) - BLOCKS_LOOKBACK_MS)
  const series = await chartSeries(repository, args, cache)
  const rankings = await cache.answer(`rankings ${JSON.stringify(filter)}`, () =>
    usageRankings(db, { filter, limit: 10 }),
  )
  // Never kept: which window is active, and its burn rate, move with the clock.
  const blocks = await billingBlocks(db, { filter: { ...filter, since: blocksSince }, now })
  return ok({
    series,
    rankings,
    blocks,
    prices: prices.date === '' ? null : { date: prices.date, source: prices.source },
  })
}

/** What the API answers from besides the repository; each is absent where the process does not run it. */
export interface ApiServices {
  readonly sync?: SyncStatusSource
  readonly exports?: ExportJobs
  readonly settings?: SettingsServices
  readonly images?: ImageStore
  readonly membership?: MembershipServices
}

export function makeHandlers(
  repository: Repository,
  { sync, exports, settings, images, membership }: ApiServices = {},
): Handlers {
  const withJobs = <T>(work: (jobs: ExportJobs) => Result<T>): Promise<Result<T>> =>
    Promise.resolve(
      exports ? work(exports) : fail('EXPORT_UNAVAILABLE', 'Exports cannot be started in this process.'),
    )
  const usageAnswers = answerCache(repository.db)
  return {
    ...settingsHandlers(settings),
    ...membershipHandlers(membership),
    auditPage: async (args) =>
      ok(await auditPage(repository, auditFilters(args), args.before, args.limit ?? AUDIT_PAGE)),
    auditExportStart: (args) =>
      withJobs((jobs) =>
        ok(
          jobs.start({
            format: args.format,
            filters: auditFilters(args),
            includeContent: args.includeContent ?? false,
            redact: args.redact ?? false,
          }),
        ),
      ),
    auditExportStatus: (args) => withJobs((jobs) => jobAnswer('export', args.jobId, jobs.status(args.jobId))),
    auditExportCancel: (args) => withJobs((jobs) => jobAnswer('export', args.jobId, jobs.cancel(args.jobId))),
    session: async () =>
      sync
        ? ok({
            storeId: STORE_ID,
            device: { id: sync.device.id, name: sync.device.name },
            hub: sync.hubAccess?.() ?? null,
            appVersion: appVersion(),
          })
        : fail('SYNC_UNAVAILABLE', 'No sync hub runs in this process.'),
    stats: async () => ok(await repository.stats()),
    usage: (args) => usageReport(repository, args, Date.now(), usageAnswers),
    usageSeries: async (args) => ok(await chartSeries(repository, args, usageAnswers)),
    search: (args) => repository.search(args.query, args),
    searchSuggestions: async (args) => ok(await repository.suggest(args.query, args)),
    listConversations: (args) => repository.listConversations(args),
    findInConversation: (args) => findInConversation(repository.db, args),
    async conversation(args) {
      let found = await repository.getConversation(args.id, args)
      const bodies = sync?.bodies
      if (bodies && found.ok && found.value?.messages.items.some((m) => m.bodyElsewhere)) {
        // Fetched first, so the reader opens whole; past the wait it shows what is here, marked as still coming.
        await within(BODY_WAIT_MS, bodies.fetchConversation(args.id))
        found = await repository.getConversation(args.id, args)
      }
      if (!found.ok) return found
      return found.value ? ok(found.value) : fail('NOT_FOUND', 'This conversation is not in the repository.')
    },
    async image(args) {
      let found = images?.read(args.sha256)
      const bodies = sync?.bodies
      if (!found && images && bodies?.fetchImage) {
        // Kept in the image store by the fetch, so the next ask reads it here.
        await within(
          BODY_WAIT_MS,
          bodies.fetchImage(args.sha256).then(() => undefined),
        )
        found = images.read(args.sha256)
      }
      if (!found)
        return fail('NOT_FOUND', 'This image was not kept (it came from another device, or was too large).')
      return ok({
        mediaType: found.mediaType,
        dataUrl: `data:${found.mediaType};base64,${found.bytes.toString('base64')}`,
      })
    },
    async syncRetry() {
      if (!sync) return fail('SYNC_UNAVAILABLE', 'No sync hub runs in this process.')
      return ok({ retrying: sync.retryRemote?.() ?? false })
    },
    async syncStatus() {
      if (!sync) return fail('SYNC_UNAVAILABLE', 'No sync hub runs in this process.')
      const hubHead = await sync.hub.eventlog.head()
      const clients = sync.clients.list().map((c) => ({
        deviceId: c.deviceId,
        deviceName: c.deviceName,
        kind: c.kind,
        clientId: c.clientId,
        connectedAt: c.connectedAt,
        lastSeenAt: c.lastSeenAt,
        acknowledgedHead: c.acknowledgedHead,
        lag: Math.max(0, hubHead - c.acknowledgedHead),
        refusedPushes: c.refusedPushes,
        lastRefusal: c.lastRefusal,
      }))
      const repositoryBacklog = await sync.repositoryBacklog()
      return ok({
        device: { id: sync.device.id, name: sync.device.name },
        hubHead,
        clients,
        refusedConnections: sync.clients.refusedHandshakes(),
        repositoryBacklog,
        unconfirmed: (await sync.unconfirmed?.()) ?? 0,
        remote: (await sync.remote?.()) ?? null,
      })
    },
  }
}

export type ApiDispatcher = (method: unknown, args: unknown) => Promise<Result<unknown>>

export function makeDispatcher(
  repository: Repository,
  log: (message: string) => void,
  services: ApiServices = {},
): ApiDispatcher {
  const handlers = makeHandlers(repository, services)
  return async (method, args) => {
    if (!isApiMethod(method))
      return fail('UNKNOWN_METHOD', `${String(method).slice(0, 100)} is not part of the API.`)
    const checked = apiArgs[method](args ?? {}, 'args')
    if (!checked.ok) return fail('INVALID_ARGUMENTS', `${method}: ${checked.message}`)
    try {
      // The validator for `method` produced exactly ApiArgs<typeof method>; TypeScript cannot follow the correlation.
      const handler = handlers[method] as (args: unknown) => Promise<Result<unknown>>
      return await handler(checked.value)
    } catch (error) {
      log(`api ${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
      return fail(
        'INTERNAL',
        `${method} failed on the main side; the log in the data directory has the details.`,
      )
    }
  }
}
