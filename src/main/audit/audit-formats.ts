/**
 * The three export formats, as text around records: NDJSON (one object per line), JSON (one array, a record per
 * line) and CSV (RFC 4180, a header row; targets joined by spaces, data as JSON text). Every format writes the
 * fields in AUDIT_COLUMNS order, and each reads back to the same records (audit-file-reader.ts).
 */
import { AUDIT_COLUMNS } from '../../shared/audit/audit-record'
import type { ExportRecord } from './audit-records'
import { csvRow } from './csv'

export const AUDIT_FORMATS = ['ndjson', 'csv', 'json'] as const
export type AuditFormat = (typeof AUDIT_FORMATS)[number]

export interface FormatWriter {
  readonly start: string
  record(record: ExportRecord): string
  /** Between two records; and before the first one. */
  readonly join: string
  readonly beforeFirst: string
  readonly end: string
}

const q = JSON.stringify

/**
 * The record as one JSON object, keys in AUDIT_COLUMNS order, assembled as text: `data` goes in as the JSON it
 * already is (for most events the stored text itself), which spares a parse-and-stringify of every event.
 */
const jsonObject = (r: ExportRecord): string =>
  `{"seq":${r.seq},"time":${q(r.time)},"acceptedAt":${q(r.acceptedAt)},"deviceId":${q(r.deviceId)},` +
  `"deviceName":${q(r.deviceName)},"actor":${q(r.actor)},"origin":${q(r.origin)},"action":${q(r.action)},` +
  `"targets":${q(r.targets)},"summary":${q(r.summary)},"clientId":${q(r.clientId)},` +
  `"sessionId":${q(r.sessionId)},"data":${r.dataJson},"prevHash":${q(r.prevHash)},"hash":${q(r.hash)}}`

export function csvValues(record: ExportRecord): string[] {
  return AUDIT_COLUMNS.map((column) => {
    if (column === 'targets') return record.targets.join(' ')
    if (column === 'data') return record.dataJson
    return String(record[column])
  })
}

export function formatWriter(format: AuditFormat): FormatWriter {
  switch (format) {
    case 'ndjson':
      return { start: '', record: (r) => `${jsonObject(r)}\n`, join: '', beforeFirst: '', end: '' }
    case 'json':
      return { start: '[', record: jsonObject, join: ',\n', beforeFirst: '\n', end: '\n]\n' }
    case 'csv':
      return {
        start: csvRow(AUDIT_COLUMNS),
        record: (r) => csvRow(csvValues(r)),
        join: '',
        beforeFirst: '',
        end: '',
      }
  }
}

export const isAuditFormat = (value: string): value is AuditFormat =>
  (AUDIT_FORMATS as readonly string[]).includes(value)
