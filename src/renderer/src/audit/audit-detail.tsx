import type { AuditOverride, AuditViewRecord } from '../../../shared/api/contract'
import { actionLabel } from './audit-filters'

/** One event in full: its data as recorded, and its place in the hash chain. */
export function AuditDetail({
  record,
  onClose,
}: {
  readonly record: AuditViewRecord
  readonly onClose: () => void
}) {
  return (
    <aside className="audit-detail" aria-label={`Event ${record.seq}`} data-testid="audit-detail">
      <header>
        <h3>
          #{record.seq} {actionLabel(record.action)}
        </h3>
        <button type="button" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </header>
      <p>{record.summary}</p>
      {record.overriddenBy && (
        <p className="overridden-note" data-testid="audit-override">
          {overrideText(record.overriddenBy)}
        </p>
      )}
      <dl>
        <dt>Time</dt>
        <dd>{record.time || '–'}</dd>
        <dt>Accepted by the hub</dt>
        <dd>{record.acceptedAt}</dd>
        <dt>Device</dt>
        <dd>
          {record.deviceName || '–'} <code>{record.deviceId}</code>
        </dd>
        <dt>Actor, origin</dt>
        <dd>
          {record.actor}, {record.origin}
        </dd>
        <dt>Client, session</dt>
        <dd>
          <code>{record.clientId}</code> <code>{record.sessionId}</code>
        </dd>
        <dt>Pushed by</dt>
        <dd data-testid="audit-pushed-by">{pushedByText(record.pushedBy)}</dd>
        <dt>Targets</dt>
        <dd>{record.targets.join(', ') || '–'}</dd>
        <dt>Chain hash</dt>
        <dd>
          <code className="hash">{record.hash}</code>
        </dd>
        <dt>Previous hash</dt>
        <dd>
          <code className="hash">{record.prevHash}</code>
        </dd>
      </dl>
      <pre className="audit-data">{JSON.stringify(record.data, null, 2)}</pre>
    </aside>
  )
}

const PUSHER_KINDS: Readonly<Record<string, string>> = {
  host: 'the main store of',
  relay: 'the main store (through its relay) of',
  ui: 'a window of',
  device: 'the device program',
}

/** The identity the hub authenticated, in words; what the event says of itself is shown above it. */
function pushedByText(pushedBy: string): string {
  if (pushedBy === '') return 'not recorded (accepted before the hub authenticated each client)'
  const [kind = '', ...device] = pushedBy.split(':')
  return `${PUSHER_KINDS[kind] ?? kind} ${device.join(':')}`
}

/**
 * What overrode an edit, in words. Concurrent: its author had not seen this edit; the eventlog's order decided,
 * the same way on every machine.
 */
export function overrideText(override: AuditOverride): string {
  const who = override.deviceName || override.deviceId || 'a device'
  const what = `#${override.by} (${actionLabel(override.action)} on ${who})`
  return override.concurrent
    ? `Overridden by ${what}, made without having seen this change: concurrent edits, and the later one in the trail wins.`
    : `Overridden by the later ${what}.`
}
