/**
 * The three export formats, as text around records: NDJSON (one object per line), JSON (one array, a record per
 * line) and CSV (RFC 4180, a header row; targets joined by spaces, data as JSON text, no cell a spreadsheet would
 * run as a formula: csv.ts). Every format writes the fields in AUDIT_COLUMNS order, and each reads back to the
 * same records (audit-file-reader.ts).
 */
import { AUDIT_COLUMNS } from '../../shared/audit/audit-record'
import type { ExportRecord } from './audit-records'
import { asSpreadsheetText, csvRow } from './csv'

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
 * JSON text of the values that repeat from record to record (device ids and names, actors, origins, actions,
 * clients, sessions): quoted once, then looked up. Bounded, so a log of a million distinct clients cannot grow it.
 */
function quotedCache(limit = 4_096) {
  const cache = new Map<string, string>()
  return (value: string): string => {
    let quoted = cache.get(value)
    if (quoted === undefined) {
      quoted = q(value)
      if (cache.size >= limit) cache.clear()
      cache.set(value, quoted)
    }
    return quoted
  }
}

/**
 * The record as one JSON object, keys in AUDIT_COLUMNS order, assembled as text: `data` goes in as the JSON it
 * already is (for most events the stored text itself), which spares a parse-and-stringify of every event.
 */
function jsonObjects(): (r: ExportRecord) => string {
  const c = quotedCache()
  return (r) =>
    `{"seq":${r.seq},"time":"${r.time}","acceptedAt":"${r.acceptedAt}","deviceId":${c(r.deviceId)},` +
    `"deviceName":${c(r.deviceName)},"actor":${c(r.actor)},"origin":${c(r.origin)},"action":${c(r.action)},` +
    `"targets":${q(r.targets)},"summary":${q(r.summary)},"clientId":${c(r.clientId)},` +
    `"sessionId":${c(r.sessionId)},"data":${r.dataJson},"prevHash":${q(r.prevHash)},"hash":${q(r.hash)},` +
    `"pushedBy":${c(r.pushedBy)}}`
}

/** Every cell is made safe, not only those a pusher chooses today (device names, client and session ids). */
export function csvValues(record: ExportRecord): string[] {
  return AUDIT_COLUMNS.map((column) => {
    if (column === 'targets') return asSpreadsheetText(record.targets.join(' '))
    if (column === 'data') return asSpreadsheetText(record.dataJson)
    return asSpreadsheetText(String(record[column]))
  })
}

export function formatWriter(format: AuditFormat): FormatWriter {
  const jsonObject = jsonObjects()
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
