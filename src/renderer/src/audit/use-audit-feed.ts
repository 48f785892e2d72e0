/**
 * The audit trail as the view scrolls it: the newest events first, older pages fetched as the end comes into
 * view, and new events from the hub (the page's store head moved) taken in at the top. A reader who has scrolled
 * down is not moved: the new events wait, counted, until they go back to the top.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ApiArgs, AuditViewRecord, ChronicleApi } from '../../../shared/api/contract'
import type { Failure } from '../../../shared/result'

const PAGE = 200

export type AuditFilterArgs = Omit<ApiArgs<'auditPage'>, 'before' | 'limit'>

export interface AuditFeed {
  readonly status: 'loading' | 'ready' | 'failed'
  readonly records: readonly AuditViewRecord[]
  readonly head: number
  readonly error: Failure | null
  readonly complete: boolean
  /** Newer events that arrived while the reader was scrolled down. */
  readonly waiting: number
  loadOlder(): void
  showNewest(): void
}

interface Loaded {
  readonly records: readonly AuditViewRecord[]
  readonly head: number
  readonly nextBefore: number | null
}

export function useAuditFeed(
  api: ChronicleApi,
  filters: AuditFilterArgs,
  liveHead: number,
  atTop: boolean,
): AuditFeed {
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [error, setError] = useState<Failure | null>(null)
  const [waiting, setWaiting] = useState<{
    readonly records: readonly AuditViewRecord[]
    readonly gap: boolean
  }>({
    records: [],
    gap: false,
  })
  const [reloads, setReloads] = useState(0)
  const busy = useRef(false)
  const key = JSON.stringify(filters)
  const generation = useRef(0)

  const fetchPage = useCallback(
    (before?: number) =>
      api.call('auditPage', {
        ...(JSON.parse(key) as AuditFilterArgs),
        limit: PAGE,
        ...(before && { before }),
      }),
    [api, key],
  )

  // The newest page whenever the filters change.
  useEffect(() => {
    const mine = ++generation.current
    void fetchPage().then((result) => {
      if (mine !== generation.current) return
      setError(result.ok ? null : result.error)
      if (!result.ok) return
      setLoaded(result.value)
      setWaiting({ records: [], gap: false })
    })
  }, [fetchPage, reloads])

  // New events: fetch the newest page and keep what is newer than what is shown.
  const newestShown = loaded?.records[0]?.seq ?? 0
  useEffect(() => {
    if (loaded === null || liveHead <= loaded.head) return
    const mine = generation.current
    void fetchPage().then((result) => {
      if (mine !== generation.current || !result.ok) return
      const newer = result.value.records.filter((record) => record.seq > newestShown)
      // More new events than a page: what is shown is no longer continuous with them; start again at the top.
      const gap = newer.length === result.value.records.length && result.value.nextBefore !== null
      // A new event can override an edit already shown: the newest page brings the edits it holds marked afresh.
      const shown = (records: readonly AuditViewRecord[]) => withFreshOverrides(records, result.value.records)
      if (atTop && gap) setLoaded(result.value)
      else if (atTop)
        setLoaded(
          (previous) =>
            previous && {
              ...previous,
              head: result.value.head,
              records: [...newer, ...shown(previous.records)],
            },
        )
      else {
        setLoaded(
          (previous) =>
            previous && { ...previous, head: result.value.head, records: shown(previous.records) },
        )
        setWaiting({ records: newer, gap })
      }
    })
  }, [liveHead, loaded, newestShown, atTop, fetchPage])

  const loadOlder = useCallback(() => {
    if (busy.current || !loaded?.nextBefore) return
    busy.current = true
    const mine = generation.current
    void fetchPage(loaded.nextBefore).then((result) => {
      busy.current = false
      if (mine !== generation.current) return
      setError(result.ok ? null : result.error)
      if (result.ok)
        setLoaded((previous) => ({
          ...result.value,
          head: Math.max(result.value.head, previous?.head ?? 0),
          records: [...(previous?.records ?? []), ...result.value.records],
        }))
    })
  }, [loaded, fetchPage])

  const showNewest = useCallback(() => {
    if (waiting.gap) setReloads((n) => n + 1)
    else
      setLoaded((previous) => previous && { ...previous, records: [...waiting.records, ...previous.records] })
    setWaiting({ records: [], gap: false })
  }, [waiting])

  return {
    status: error && !loaded ? 'failed' : loaded ? 'ready' : 'loading',
    records: loaded?.records ?? [],
    head: loaded?.head ?? 0,
    error,
    complete: loaded !== null && loaded.nextBefore === null,
    waiting: waiting.records.length,
    loadOlder,
    showNewest,
  }
}

/** The shown records, each replaced by its fresh copy where that says otherwise of what overrode it. */
function withFreshOverrides(
  shown: readonly AuditViewRecord[],
  fresh: readonly AuditViewRecord[],
): readonly AuditViewRecord[] {
  const bySeq = new Map(fresh.map((record) => [record.seq, record]))
  let changed = false
  const records = shown.map((record) => {
    const update = bySeq.get(record.seq)
    if (!update || JSON.stringify(update.overriddenBy) === JSON.stringify(record.overriddenBy)) return record
    changed = true
    return update
  })
  return changed ? records : shown
}
