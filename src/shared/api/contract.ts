/**
 * The one API contract between the UI and the main side. Handlers, the Electron preload and the web host's client
 * are all typed from this map, so a wrong method name or argument is a compile error, and every argument is
 * validated on arrival by the validator declared here. Later issues add methods here and nowhere else.
 */
import { AUDIT_ACTIONS } from '../audit/audit-actions'
import type { AuditRecord } from '../audit/audit-record'
import {
  SOURCES,
  type ConversationSummary,
  type Message,
  type Page,
  type RepositoryStats,
  type SearchHit,
} from '../domain'
import type { Result } from '../result'
import type { BillingBlock, UsageChartSeries, UsageRankings } from '../usage/usage-report'
import { boolean, integer, matching, object, oneOf, optional, string, type Validator } from './validate'

/** The file formats Chronicle reads: the Cline extension and the Cline SDK share a source, not a format. */
/** 'roo-or-cline': Roo Code or Cline task folders, each task filed under the source its own content tells. */
export const SOURCE_FORMATS = ['roo', 'cline', 'roo-or-cline', 'cline-sdk', 'claude-code', 'chatgpt'] as const
export type SourceFormat = (typeof SOURCE_FORMATS)[number]

const CONVERSATION_SORTS = ['lastActivity', 'created', 'cost', 'tokens', 'title'] as const

/** The audit trail's filters: an action, a device, a conversation, a time range (epoch milliseconds). */
const auditFilters = {
  action: optional(oneOf(AUDIT_ACTIONS)),
  deviceId: optional(string(200)),
  conversationId: optional(string(1_000)),
  since: optional(integer(0, 8.64e15)),
  until: optional(integer(0, 8.64e15)),
}

// Spelled here, not imported from library-view.ts, which would bring LiveStore into the preload. A value the
// usage queries do not take fails the handler's typecheck.
const USAGE_SHELVES = ['all', 'starred', 'archived', 'deleted'] as const
const USAGE_PERIODS = ['day', 'week', 'month'] as const
const USAGE_DIMENSIONS = ['model', 'source', 'workspace', 'device'] as const

/** The usage dashboard's question: a period, an optional grouping, the list's filters, the page's UTC offset. */
const USAGE_ARGS = object({
  period: oneOf(USAGE_PERIODS),
  by: optional(oneOf(USAGE_DIMENSIONS)),
  filter: object({
    shelf: optional(oneOf(USAGE_SHELVES)),
    source: optional(oneOf(SOURCES)),
    workspace: optional(string(4_096)),
    model: optional(string(1_000)),
    deviceId: optional(string(200)),
    since: optional(integer(0, 8.64e15)),
    until: optional(integer(0, 8.64e15)),
  }),
  utcOffsetMinutes: integer(-840, 840),
})

export const apiArgs = {
  /** What the page needs to open its own LiveStore (see SessionInfo). */
  session: object({}),
  stats: object({}),
  search: object({
    // Longer than the search language accepts, so that a long query gets the search's own clear error.
    query: string(10_000),
    limit: optional(integer(1, 200)),
    cursor: optional(string(1_000)),
    /** The search field asks as you type: the last word, with no space after it yet, is a prefix. */
    asYouType: optional(boolean),
  }),
  /**
   * "Did you mean" for a query, asked apart from the search itself: the search field asks once typing pauses on an
   * answer with fewer than 5 messages, so reading the index's vocabulary never delays a keystroke's answer.
   */
  searchSuggestions: object({ query: string(10_000), asYouType: optional(boolean) }),
  listConversations: object({
    source: optional(oneOf(SOURCES)),
    workspace: optional(string(4_096)),
    starred: optional(boolean),
    sort: optional(oneOf(CONVERSATION_SORTS)),
    limit: optional(integer(1, 500)),
    cursor: optional(string(1_000)),
  }),
  /** One conversation and a page of its messages in order, after a cursor or after a message's ordinal. */
  conversation: object({
    id: string(1_000),
    cursor: optional(string(1_000)),
    afterOrdinal: optional(integer(-1, Number.MAX_SAFE_INTEGER)),
    limit: optional(integer(1, 1_000)),
  }),
  /**
   * Where a search (the search language, accents ignored) matches in one conversation's messages, in their order:
   * the reader's find bar walks them, paging in the messages it has not loaded yet.
   */
  findInConversation: object({
    conversationId: string(1_000),
    query: string(10_000),
    limit: optional(integer(1, 5_000)),
    /** The find field asks as you type: its last word, with no space after it yet, is a prefix (as in search). */
    asYouType: optional(boolean),
  }),
  /** An image a message carried, by the SHA-256 its reference names. */
  image: object({ sha256: matching(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex') }),
  syncStatus: object({}),
  /** Connects to the sync worker again now: after a refusal the user mended (a library claimed, a worker restored). */
  syncRetry: object({}),
  /** A page of the audit trail, newest first, before a sequence number. */
  auditPage: object({
    before: optional(integer(1, Number.MAX_SAFE_INTEGER)),
    limit: optional(integer(1, 500)),
    ...auditFilters,
  }),
  auditExportStart: object({
    format: oneOf(['ndjson', 'csv', 'json'] as const),
    includeContent: optional(boolean),
    redact: optional(boolean),
    ...auditFilters,
  }),
  auditExportStatus: object({ jobId: string(100) }),
  auditExportCancel: object({ jobId: string(100) }),
  /** Settings: where data lives, this device, and the sources imported and watched. */
  settings: object({}),
  /** A source typed as a path, where the page may name one (the web host: inside the user's home folder). */
  addSource: object({ path: string(4_096), format: optional(oneOf(SOURCE_FORMATS)) }),
  /** A source chosen in a folder dialog of the main process (the desktop app: the page never names a path). */
  pickSourceFolder: object({ format: optional(oneOf(SOURCE_FORMATS)) }),
  removeSource: object({ path: string(4_096) }),
  setSourceEnabled: object({ path: string(4_096), enabled: boolean }),
  /** Imports one source now, or every enabled one when no path is given. */
  importStart: object({ path: optional(string(4_096)) }),
  importStatus: object({ jobId: string(100) }),
  importCancel: object({ jobId: string(100) }),
  renameDevice: object({ name: string(100) }),
  /** Sync between machines: the library this machine syncs and its worker, or none. */
  syncMembership: object({}),
  /**
   * Sets up a new library on the worker at `url`, with this machine's library as its start; answers the pairing
   * code. `claimSecret` is for a worker deployed with one (its CLAIM_SECRET).
   */
  syncSetUp: object({ url: string(2_048), claimSecret: optional(string(1_024)) }),
  /** Where a setup or join from Settings stands while it runs: the section asks again and again meanwhile. */
  syncMembershipProgress: object({}),
  /** Joins the library of a pairing code; a library of this machine's own goes into it. */
  syncJoin: object({ pairingCode: string(4_096) }),
  /** Leaves the library: its key and settings go, the local library stays. */
  syncLeave: object({}),
  /** The pairing code again, for another machine: asked only when the user asks to see it (it is a secret). */
  syncPairingCode: object({}),
  /** The price table costs are computed with. */
  prices: object({}),
  /** Compute costs with this LiteLLM price file from now on (recomputes every cost; an audit event records it). */
  pricesUse: object({ path: string(4_096) }),
  /** Back to the bundled price table. */
  pricesReset: object({}),
  /**
   * The usage dashboard's figures under the list's filters: a series per period (stacked by a dimension when `by`
   * is given), the costliest conversations and workspaces, and the billing windows. Local periods: the page's UTC
   * offset in minutes (east positive, as -Date.getTimezoneOffset() gives it).
   */
  usage: USAGE_ARGS,
  /**
   * The series alone, for a change of period or grouping: the rankings and windows depend on the filters only, so
   * the dashboard keeps those it has (they are most of what the main side computes).
   */
  usageSeries: USAGE_ARGS,
} satisfies Record<string, Validator<unknown>>

export type {
  BodiesStatus,
  ConnectedClientStatus,
  RefusedConnectionStatus,
  RefusedEventsStatus,
  RemoteMachine,
  RemoteMachines,
  RemoteSyncStatus,
  SyncStatus,
} from './sync-status'
import type { SyncStatus } from './sync-status'
import type { MembershipStep, SyncJoinResult, SyncMembership, SyncSetUpResult } from './sync-membership'
export type { MembershipStep, SyncJoinResult, SyncMembership, SyncSetUpResult } from './sync-membership'

/**
 * What the page needs to open its own LiveStore: the store, this device, and where the hub takes WebSocket
 * clients with the token they present (null where no hub runs). The address is only known at launch: the web
 * host's port, or the Electron app's sync endpoint. The hub's backend id names its eventlog: a new one (the
 * machine joined another library) means the page's copy belongs to an eventlog that is gone.
 */
export interface SessionInfo {
  readonly storeId: string
  readonly device: { readonly id: string; readonly name: string }
  readonly hub: { readonly url: string; readonly token: string; readonly backendId: string } | null
  readonly appVersion: string
}

/** An export started from the UI, as it goes: the UI asks for it until it is no longer running. */
export interface ExportJobStatus {
  readonly jobId: string
  readonly state: 'running' | 'done' | 'failed' | 'cancelled'
  readonly done: number
  readonly total: number
  /** Where the export is written (it appears under this name only when complete), and its digest. */
  readonly file: string
  readonly digestFile: string | null
  /** Secrets masked (with redaction). */
  readonly masked: number
  readonly error: string | null
}

/** A place Chronicle imports from: found on this machine or added by the user. */
export interface SourceStatus {
  readonly path: string
  readonly format: SourceFormat
  readonly origin: 'found' | 'added'
  /** Paused sources are neither watched nor imported. */
  readonly enabled: boolean
  /** Whether the path is there now (a removable disk or a deleted folder may not be). */
  readonly available: boolean
  /** Watched for changes now (enabled and available, where the app watches at all: not `serve --no-watch`). */
  readonly watching: boolean
  readonly lastImport: {
    readonly at: number
    readonly conversations: number
    readonly messages: number
    readonly problems: number
  } | null
}

export interface SettingsInfo {
  readonly dataDir: string
  readonly device: { readonly id: string; readonly name: string }
  readonly sources: readonly SourceStatus[]
  /** Something the user should know about the settings themselves (an unreadable sources.json set aside). */
  readonly problem: string | null
  /** How this host adds a source: `pickSourceFolder` (the desktop app) or `addSource` with a typed path. */
  readonly addSourceBy: 'folder-picker' | 'typed-path'
}

/** The price table in use, as Settings shows it. */
export interface PricesInfo {
  readonly table: {
    /** The file chosen (a full path) or the bundled table's source, and the day of its prices. */
    readonly source: string
    readonly date: string
    readonly models: number
    readonly sha256: string
    readonly bundled: boolean
  }
  /** A chosen file that was set aside at start (the bundled table is used instead), or null. */
  readonly problem: string | null
  /** What the change just made did: responses and conversations whose cost changed, and how long it took. */
  readonly changed: { readonly responses: number; readonly conversations: number; readonly ms: number } | null
}

/** An import started from the UI, as it goes. */
export interface ImportJobStatus {
  readonly jobId: string
  readonly state: 'running' | 'done' | 'failed' | 'cancelled'
  /** Units (task folders, session files) read so far, and how many there are (0 while they are counted). */
  readonly unitsDone: number
  readonly unitsTotal: number
  readonly messagesWritten: number
  readonly current: string
  readonly added: { readonly conversations: number; readonly messages: number }
  /** The first problems, with the file each was in. */
  readonly problems: readonly { readonly path: string; readonly reason: string }[]
  readonly error: string | null
}

/** A later event that replaced the value an edit set (src/main/audit/overrides.ts). */
export interface AuditOverride {
  /** The overriding event's sequence number and name. */
  readonly by: number
  readonly action: string
  readonly deviceId: string
  readonly deviceName: string
  /** Its author, on another device, had not seen this edit when making it (src/main/audit/overrides.ts). */
  readonly concurrent: boolean
}

/** A record as the audit view shows it: the export's record, and what overrode it (the view's alone). */
export interface AuditViewRecord extends AuditRecord {
  readonly overriddenBy?: AuditOverride
}

export interface AuditPage {
  readonly records: readonly AuditViewRecord[]
  /** The hub's head: the newest sequence number there is. */
  readonly head: number
  /** Pass as `before` for the next (older) page; null at the start of the log. */
  readonly nextBefore: number | null
}

export interface UsageReport {
  readonly series: UsageChartSeries
  readonly rankings: UsageRankings
  readonly blocks: readonly BillingBlock[]
  /** The price table the costs were computed with; null where the process holds none. */
  readonly prices: { readonly date: string; readonly source: string } | null
}

/** A search's matches in one conversation: the messages that hold them, in order, with their occurrences. */
export interface ConversationFind {
  readonly matches: readonly {
    readonly messageId: string
    readonly ordinal: number
    /** Occurrences of the search's words in the message's text (at least 1). */
    readonly count: number
  }[]
  /** The occurrences in all the messages listed. */
  readonly total: number
  /** More messages matched than the limit let through; the list holds the first ones. */
  readonly truncated: boolean
}

/** A corrected query: the user's query with some words swapped for near, more frequent words of the index. */
export interface SearchSuggestion {
  readonly query: string
  readonly corrections: readonly { readonly word: string; readonly suggestion: string }[]
}

export interface ApiResults {
  session: SessionInfo
  stats: RepositoryStats
  search: {
    readonly titleHits: readonly SearchHit[]
    readonly hits: readonly SearchHit[]
    readonly nextCursor: string | null
    /**
     * "Did you mean": corrected queries, best first, when the first page holds fewer than 5 messages; never as you
     * type (see searchSuggestions).
     */
    readonly suggestions: readonly SearchSuggestion[]
  }
  searchSuggestions: readonly SearchSuggestion[]
  listConversations: Page<ConversationSummary>
  conversation: { readonly conversation: ConversationSummary; readonly messages: Page<Message> }
  findInConversation: ConversationFind
  /** The image as a data URL (CSP allows data: images, and the bytes never name a path). */
  image: { readonly mediaType: string; readonly dataUrl: string }
  syncStatus: SyncStatus
  /** Whether this machine relays to a worker it will try again. */
  syncRetry: { readonly retrying: boolean }
  auditPage: AuditPage
  settings: SettingsInfo
  addSource: SettingsInfo
  /** The settings after the folder chosen was added (unchanged when the dialog was cancelled). */
  pickSourceFolder: SettingsInfo
  removeSource: SettingsInfo
  setSourceEnabled: SettingsInfo
  importStart: ImportJobStatus
  importStatus: ImportJobStatus
  importCancel: ImportJobStatus
  renameDevice: SettingsInfo
  syncMembership: SyncMembership
  syncSetUp: SyncSetUpResult
  /**
   * The long step a setup or join from Settings is in (library-membership-progress.ts); null before the first
   * step reports, after the change ends, and when none runs.
   */
  syncMembershipProgress: MembershipStep | null
  syncJoin: SyncJoinResult
  syncLeave: SyncMembership
  syncPairingCode: { readonly pairingCode: string }
  prices: PricesInfo
  pricesUse: PricesInfo
  pricesReset: PricesInfo
  auditExportStart: ExportJobStatus
  auditExportStatus: ExportJobStatus
  auditExportCancel: ExportJobStatus
  usage: UsageReport
  usageSeries: UsageChartSeries
}

export type ApiMethod = keyof typeof apiArgs
export type ApiArgs<M extends ApiMethod> = (typeof apiArgs)[M] extends Validator<infer T> ? T : never
export type ApiResponse<M extends ApiMethod> = Result<ApiResults[M]>

export const API_METHODS = Object.keys(apiArgs) as ApiMethod[]

export const isApiMethod = (name: unknown): name is ApiMethod =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiArgs, name)

/** What both transports expose to the renderer: one function, typed by the contract. */
export interface ChronicleApi {
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResponse<M>>
}

/** The single IPC channel the Electron transport uses; the preload and main import it from here. */
export const API_IPC_CHANNEL = 'chronicle:api'

/** The name under which the Electron preload exposes the API on `window`. */
export const API_GLOBAL = 'chronicle'
