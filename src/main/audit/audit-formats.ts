/**
 * The three export formats, as text around records: NDJSON (one object per line), JSON (one array, a record per
 * line) and CSV (RFC 4180, a header row; targets joined by spaces, data as JSON text). Every format writes the
 * fields in AUDIT_COLUMNS order, and each reads back to the same records (audit-file-reader.ts).
 */
import { AUDIT_COLUMNS, type AuditRecord } from '../../shared/audit/audit-record'
import { csvRow } from './csv'

export const AUDIT_FORMATS = ['ndjson', 'csv', 'json'] as const
export type AuditFormat = (typeof AUDIT_FORMATS)[number]

export interface FormatWriter {
  readonly start: string
  record(record: AuditRecord, index: number): string
  readonly end: string
}

/** The record as an object whose keys come in AUDIT_COLUMNS order (JSON.stringify keeps insertion order). */
const ordered = (record: AuditRecord): Record<string, unknown> =>
  Object.fromEntries(AUDIT_COLUMNS.map((column) => [column, record[column]]))

export function csvValues(record: AuditRecord): string[] {
  return AUDIT_COLUMNS.map((column) => {
    const value = record[column]
    if (column === 'targets') return (value as readonly string[]).join(' ')
    if (column === 'data') return JSON.stringify(value)
    return String(value)
  })
}

export function formatWriter(format: AuditFormat): FormatWriter {
  switch (format) {
    case 'ndjson':
      return { start: '', record: (r) => `${JSON.stringify(ordered(r))}\n`, end: '' }
    case 'json':
      return {
        start: '[',
        record: (r, index) => `${index === 0 ? '\n' : ',\n'}${JSON.stringify(ordered(r))}`,
        end: '\n]\n',
      }
    case 'csv':
      return { start: csvRow(AUDIT_COLUMNS), record: (r) => csvRow(csvValues(r)), end: '' }
  }
}

export const isAuditFormat = (value: string): value is AuditFormat =>
  (AUDIT_FORMATS as readonly string[]).includes(value)
