/**
 * How a window shows the library: the list's filters, sort and grouping, the parents it has open, and the
 * conversation open in the reader.
 * A LiveStore client document, so it is kept where the page's store keeps everything (OPFS) and a reload, the
 * store's own repair reload included, finds it as it was. It is this window's alone: the document is keyed by the
 * tab's session id (sessionStorage), and its set events are client-only, which LiveStore's leader never pushes
 * (LeaderSyncProcessor drops `clientOnly` events from what it sends); the hub would refuse one anyway, since it
 * is not among `events` (push-policy.ts), so no other device and no audit trail ever sees it.
 */
import { Schema, SessionIdSymbol, State } from '@livestore/livestore'
import { SOURCES } from '../domain'

export const SHELF_IDS = ['all', 'starred', 'archived', 'deleted'] as const
export const LIST_SORT_IDS = ['lastActivityAt', 'createdAt', 'cost', 'tokens'] as const
export const GROUPING_IDS = ['day', 'workspace', 'none'] as const

const ListFilters = Schema.Struct({
  shelf: Schema.Literal(...SHELF_IDS),
  source: Schema.NullOr(Schema.Literal(...SOURCES)),
  workspace: Schema.NullOr(Schema.String),
  deviceId: Schema.NullOr(Schema.String),
  model: Schema.NullOr(Schema.String),
  /** Last activity from, and before (epoch milliseconds). */
  since: Schema.NullOr(Schema.Number),
  until: Schema.NullOr(Schema.Number),
  sort: Schema.Literal(...LIST_SORT_IDS),
})
export type ListFilters = typeof ListFilters.Type

export const NO_FILTERS: ListFilters = {
  shelf: 'all',
  source: null,
  workspace: null,
  deviceId: null,
  model: null,
  since: null,
  until: null,
  sort: 'lastActivityAt',
}

export const libraryView = State.SQLite.clientDocument({
  name: 'libraryView',
  schema: Schema.Struct({
    filters: ListFilters,
    grouping: Schema.Literal(...GROUPING_IDS),
    selectedId: Schema.NullOr(Schema.String),
    /** Whether the list draws trivial sub-agent runs (Claude Code's "Warmup" agents) under their parents. */
    showTrivial: Schema.Boolean,
    /** The parents whose sub-agents and sub-tasks the list draws under them (newest opened last). */
    expanded: Schema.Array(Schema.String),
  }),
  // A value that no longer decodes (a shelf since removed, a field of the wrong type) falls back to these; LiveStore
  // keeps the stored fields it can, though not always every one that still decodes (library-view.test.ts).
  default: {
    id: SessionIdSymbol,
    value: { filters: NO_FILTERS, grouping: 'day', selectedId: null, showTrivial: false, expanded: [] },
  },
})
