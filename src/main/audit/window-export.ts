/**
 * One window of the eventlog as export bytes: read, made into records, formatted, encoded. The same code runs on
 * the exporting thread or in the export workers (export-worker.ts), each with its own read connection.
 */
import type { Kysely } from 'kysely'
import type { Database } from '../repository/database-schema'
import { formatWriter, type AuditFormat } from './audit-formats'
import { conditions, readWindow, type AuditEntry, type AuditFilters, type SeqWindow } from './audit-query'
import { recordMaker, type RecordOptions } from './audit-records'

export interface WindowSetup {
  readonly format: AuditFormat
  readonly filters: AuditFilters
  /** TrailDevices as arrays, which a worker can be sent. */
  readonly deviceNames: readonly (readonly [string, string])[]
  readonly vouchers: readonly (readonly [string, string])[]
  readonly options: RecordOptions
}

export interface WindowBytes {
  /** The records' text, joined as the format joins records (no separator before the first). */
  readonly bytes: Uint8Array
  readonly records: number
  readonly first: { readonly seq: number; readonly prevHash: string } | null
  readonly last: { readonly seq: number; readonly hash: string } | null
  /** Secrets masked in this window. */
  readonly masked: number
}

/**
 * The texts encoded one after another into one array of its own (never Buffer's shared pool, so a worker can
 * hand it over without a copy), without first joining them into one string.
 */
function encodeAll(texts: readonly string[], size: number): Uint8Array {
  const bytes = Buffer.from(new ArrayBuffer(size))
  let offset = 0
  for (const text of texts) offset += bytes.write(text, offset)
  return bytes
}

export function windowExporter(db: Kysely<Database>, setup: WindowSetup) {
  const writer = formatWriter(setup.format)
  const maker = recordMaker(
    { names: new Map(setup.deviceNames), vouchers: new Map(setup.vouchers) },
    setup.options,
  )
  const where = conditions(setup.filters)
  return async (window: SeqWindow): Promise<WindowBytes> => {
    const entries = await readWindow(db, where, window)
    const before = maker.masked()
    const texts: string[] = []
    let size = 0
    for (let i = 0; i < entries.length; i += 1) {
      const text = (i === 0 ? '' : writer.join) + writer.record(maker.record(entries[i] as AuditEntry))
      texts.push(text)
      size += Buffer.byteLength(text)
    }
    const [head, tail] = [entries[0], entries.at(-1)]
    return {
      bytes: encodeAll(texts, size),
      records: entries.length,
      first: head ? { seq: head.seq, prevHash: head.prevHash } : null,
      last: tail ? { seq: tail.seq, hash: tail.hash } : null,
      masked: maker.masked() - before,
    }
  }
}
