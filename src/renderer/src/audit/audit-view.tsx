/**
 * The audit trail: every change from every device, newest first, from the hub's eventlog. Rows are virtualised
 * and pages fetched as the end comes into view, so a million-event log scrolls like a short one; new events come
 * in at the top while the reader is there (the live tail), and wait, counted, while they read further down.
 */
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { ChronicleApi } from '../../../shared/api/contract'
import { formatCount, formatTime } from '../format'
import { AuditDetail, overrideText } from './audit-detail'
import { actionLabel, AuditFilters } from './audit-filters'
import { ExportPanel } from './export-panel'
import { useAuditFeed, type AuditFilterArgs } from './use-audit-feed'

const ROW_HEIGHT = 34
/** Fetch the next page when this many rows are left below the view. */
const PREFETCH_ROWS = 60

export const AuditView = memo(function AuditView({
  api,
  liveHead,
}: {
  readonly api: ChronicleApi
  readonly liveHead: number
}) {
  const [filters, setFilters] = useState<AuditFilterArgs>({})
  const [exporting, setExporting] = useState(false)
  const [atTop, setAtTop] = useState(true)
  const [selectedSeq, setSelectedSeq] = useState<number | null>(null)
  const feed = useAuditFeed(api, filters, liveHead, atTop)
  const scroller = useRef<HTMLDivElement>(null)

  const virtualizer = useVirtualizer({
    count: feed.records.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => feed.records[index]?.seq ?? index,
    overscan: 20,
  })
  const items = virtualizer.getVirtualItems()
  const lastShown = items.at(-1)?.index ?? 0
  const { loadOlder, complete } = feed
  useEffect(() => {
    if (!complete && lastShown >= feed.records.length - PREFETCH_ROWS) loadOlder()
  }, [lastShown, feed.records.length, complete, loadOlder])

  const selected = feed.records.find((record) => record.seq === selectedSeq) ?? null
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = feed.records.findIndex((record) => record.seq === selectedSeq)
    const step =
      event.key === 'ArrowDown' || event.key === 'j'
        ? 1
        : event.key === 'ArrowUp' || event.key === 'k'
          ? -1
          : 0
    if (step === 0) {
      if (event.key === 'Escape') setSelectedSeq(null)
      return
    }
    event.preventDefault()
    const index = Math.min(feed.records.length - 1, Math.max(0, at + step))
    const record = feed.records[index]
    if (record) {
      setSelectedSeq(record.seq)
      virtualizer.scrollToIndex(index, { align: 'auto' })
    }
  }

  return (
    <section className="audit" aria-label="Audit trail" data-testid="audit" data-state={feed.status}>
      <div className="audit-toolbar">
        <AuditFilters filters={filters} onFilters={setFilters} />
        <span className="muted" data-testid="audit-head">
          {feed.status === 'ready' ? `${formatCount(feed.head)} events in the log` : ''}
        </span>
        <button
          type="button"
          className="primary"
          onClick={() => setExporting((open) => !open)}
          aria-expanded={exporting}
        >
          Export…
        </button>
      </div>
      {exporting && <ExportPanel api={api} filters={filters} onClose={() => setExporting(false)} />}
      {feed.error && (
        <p role="alert" className="search-error">
          Could not load the audit trail: {feed.error.message}
        </p>
      )}
      {feed.waiting > 0 && (
        <button
          type="button"
          className="new-events"
          data-testid="audit-new-events"
          onClick={() => {
            feed.showNewest()
            scroller.current?.scrollTo({ top: 0 })
          }}
        >
          {feed.waiting} new {feed.waiting === 1 ? 'event' : 'events'} ↑
        </button>
      )}
      <div className="audit-body">
        <div className="audit-grid-head" role="row">
          <span>#</span>
          <span>Time</span>
          <span>Device</span>
          <span>Actor</span>
          <span>Origin</span>
          <span>Action</span>
          <span>What happened</span>
        </div>
        <div
          ref={scroller}
          className="audit-scroller"
          tabIndex={0}
          role="grid"
          aria-label="Audit events"
          aria-rowcount={feed.complete ? feed.records.length : -1}
          onKeyDown={onKeyDown}
          onScroll={(event) => setAtTop(event.currentTarget.scrollTop < ROW_HEIGHT)}
          data-testid="audit-scroller"
        >
          {feed.status === 'ready' && feed.records.length === 0 && (
            <p className="muted empty-state">
              {Object.keys(filters).length > 0 ? 'No events match these filters.' : 'No events yet.'}
            </p>
          )}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((virtual) => {
              const record = feed.records[virtual.index]
              if (!record) return null
              return (
                <div
                  key={virtual.key}
                  className="audit-row virtual-item"
                  role="row"
                  aria-selected={record.seq === selectedSeq}
                  data-testid="audit-row"
                  style={{ transform: `translateY(${virtual.start}px)`, height: virtual.size }}
                  onClick={() => setSelectedSeq(record.seq)}
                >
                  <span className="num">{record.seq}</span>
                  <span className="nowrap">{record.time ? formatTime(Date.parse(record.time)) : ''}</span>
                  <span title={record.deviceId}>{record.deviceName || record.deviceId}</span>
                  <span>{record.actor}</span>
                  <span>{record.origin}</span>
                  <span>{actionLabel(record.action)}</span>
                  <span className="summary" title={record.summary}>
                    {record.overriddenBy && (
                      <span
                        className="overridden-mark"
                        data-testid="audit-overridden"
                        title={overrideText(record.overriddenBy)}
                      >
                        {record.overriddenBy.concurrent ? 'overridden (concurrent)' : 'overridden'}
                      </span>
                    )}
                    {record.summary}
                  </span>
                </div>
              )
            })}
          </div>
          {feed.status === 'ready' && !feed.complete && (
            <p className="muted loading-more">Loading older events…</p>
          )}
        </div>
        {selected && <AuditDetail record={selected} onClose={() => setSelectedSeq(null)} />}
      </div>
    </section>
  )
})
