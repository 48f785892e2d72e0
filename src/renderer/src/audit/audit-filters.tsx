import { queryDb } from '@livestore/livestore'
import { AUDIT_ACTIONS } from '../../../shared/audit/audit-actions'
import { tables } from '../../../shared/livestore/schema'
import { useChronicleStore } from '../livestore/chronicle-store'
import type { AuditFilterArgs } from './use-audit-feed'

const devices$ = queryDb(tables.devices.select('id', 'name'), { label: 'auditDevices' })

export const actionLabel = (action: string) => action.replace(/^v\d+\./, '')

const DAY = 86_400_000
/** A date field's local day as epoch milliseconds; `plusDays` 1 makes "until" take in the whole day. */
const dayStart = (value: string, plusDays = 0) => {
  const [year, month, day] = value.split('-').map(Number)
  return new Date(year ?? 1970, (month ?? 1) - 1, day ?? 1).getTime() + plusDays * DAY
}
const dayValue = (ms: number | undefined) => {
  if (ms === undefined) return ''
  const date = new Date(ms)
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`
}

/** Without a key rather than with an undefined one: the API takes absent filters, and the export names them. */
function withFilter<K extends keyof AuditFilterArgs>(
  filters: AuditFilterArgs,
  key: K,
  value: AuditFilterArgs[K] | undefined,
): AuditFilterArgs {
  const next = { ...filters }
  if (value === undefined) delete next[key]
  else next[key] = value
  return next
}

/** The audit trail's filters: action, device, conversation and a date range. */
export function AuditFilters({
  filters,
  onFilters,
}: {
  readonly filters: AuditFilterArgs
  readonly onFilters: (next: AuditFilterArgs) => void
}) {
  const store = useChronicleStore()
  const devices = store.useQuery(devices$)
  return (
    <div className="filters audit-filters">
      <label className="filter">
        Action
        <select
          aria-label="Filter by action"
          value={filters.action ?? ''}
          onChange={(e) =>
            onFilters(
              withFilter(
                filters,
                'action',
                AUDIT_ACTIONS.find((action) => action === e.target.value),
              ),
            )
          }
        >
          <option value="">All actions</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {actionLabel(action)}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        Device
        <select
          aria-label="Filter by device"
          value={filters.deviceId ?? ''}
          onChange={(e) => onFilters(withFilter(filters, 'deviceId', e.target.value || undefined))}
        >
          <option value="">All devices</option>
          {devices.map((device) => (
            <option key={device.id} value={device.id}>
              {device.name || device.id}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        Conversation
        <input
          aria-label="Filter by conversation id"
          placeholder="id"
          value={filters.conversationId ?? ''}
          maxLength={1_000}
          onChange={(e) =>
            onFilters(withFilter(filters, 'conversationId', e.target.value.trim() || undefined))
          }
        />
      </label>
      <label className="filter">
        From
        <input
          type="date"
          value={dayValue(filters.since)}
          onChange={(e) =>
            onFilters(withFilter(filters, 'since', e.target.value ? dayStart(e.target.value) : undefined))
          }
        />
      </label>
      <label className="filter">
        To
        <input
          type="date"
          value={dayValue(filters.until === undefined ? undefined : filters.until - DAY)}
          onChange={(e) =>
            onFilters(withFilter(filters, 'until', e.target.value ? dayStart(e.target.value, 1) : undefined))
          }
        />
      </label>
    </div>
  )
}
