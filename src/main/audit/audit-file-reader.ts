/**
 * Reads an export back, one record at a time, in any of the three formats, while hashing the file's bytes (so
 * verifying reads the file once). A line or row that is not a record is reported where it is, not thrown: the
 * verifier names it as the first problem.
 */
import type { Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { AUDIT_COLUMNS, type AuditRecord } from '../../shared/audit/audit-record'
import { jsonArrayEvents } from '../import/json-array-stream'
import type { AuditFormat } from './audit-formats'
import { csvParser, fromSpreadsheetText } from './csv'

export type ReadItem =
  | { readonly kind: 'record'; readonly record: AuditRecord }
  | { readonly kind: 'malformed'; readonly reason: string }

const STRING_FIELDS = AUDIT_COLUMNS.filter((c) => !['seq', 'targets', 'data', 'pushedBy'].includes(c))
/** Exports made before the hub recorded who pushed each event end at `hash`; they still read and verify. */
const COLUMNS_BEFORE_PUSHED_BY = AUDIT_COLUMNS.slice(0, -1)

/** The record in `value`, or what is wrong with it. */
export function asRecord(value: unknown): AuditRecord | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'is not a record object'
  const v = value as Record<string, unknown>
  if (!Number.isSafeInteger(v.seq) || (v.seq as number) < 1) return 'has no valid seq'
  for (const field of STRING_FIELDS) if (typeof v[field] !== 'string') return `has no ${field}`
  if (!Array.isArray(v.targets) || v.targets.some((t) => typeof t !== 'string')) return 'has no targets list'
  if (!('data' in v)) return 'has no data'
  if (v.pushedBy === undefined) return { ...v, pushedBy: '' } as unknown as AuditRecord
  if (typeof v.pushedBy !== 'string') return 'has a pushedBy that is not text'
  return v as unknown as AuditRecord
}

async function* tapped(path: string, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk)
    yield chunk
  }
}

const item = (value: unknown): ReadItem => {
  const record = asRecord(value)
  return typeof record === 'string' ? { kind: 'malformed', reason: record } : { kind: 'record', record }
}

function parsed(text: string): ReadItem {
  try {
    return item(JSON.parse(text))
  } catch (error) {
    return {
      kind: 'malformed',
      reason: `is not JSON (${error instanceof Error ? error.message : String(error)})`,
    }
  }
}

async function* ndjsonItems(chunks: AsyncIterable<Buffer>): AsyncGenerator<ReadItem> {
  const decoder = new StringDecoder('utf8')
  let rest = ''
  for await (const chunk of chunks) {
    const lines = (rest + decoder.write(chunk)).split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) if (line.trim() !== '') yield parsed(line)
  }
  rest += decoder.end()
  if (rest.trim() !== '') yield parsed(rest)
}

async function* jsonItems(chunks: AsyncIterable<Buffer>): AsyncGenerator<ReadItem> {
  const events = jsonArrayEvents(chunks)
  for (;;) {
    const next = await events.next()
    if (next.done) {
      if (next.value.status !== 'complete')
        yield { kind: 'malformed', reason: `the JSON document ${next.value.reason}` }
      return
    }
    const event = next.value
    yield event.kind === 'element' ? item(event.value) : { kind: 'malformed', reason: event.reason }
  }
}

function csvItem(row: string[], columns: readonly string[]): ReadItem {
  if (row.length !== columns.length)
    return { kind: 'malformed', reason: `has ${row.length} fields, not ${columns.length}` }
  const value: Record<string, unknown> = {}
  columns.forEach((column, i) => (value[column] = fromSpreadsheetText(row[i] as string)))
  value.seq = Number(value.seq)
  value.targets = (value.targets as string).split(' ').filter((t) => t !== '')
  try {
    value.data = JSON.parse(value.data as string)
  } catch {
    return { kind: 'malformed', reason: 'has a data field that is not JSON' }
  }
  return item(value)
}

async function* csvItems(chunks: AsyncIterable<Buffer>): AsyncGenerator<ReadItem> {
  const decoder = new StringDecoder('utf8')
  const parser = csvParser()
  let header: readonly string[] | null = null
  const rows = function* (batch: string[][]): Generator<ReadItem> {
    for (const row of batch) {
      if (header === null) {
        const known = [AUDIT_COLUMNS, COLUMNS_BEFORE_PUSHED_BY].find((c) => c.join(',') === row.join(','))
        header = known ?? AUDIT_COLUMNS
        if (!known)
          yield {
            kind: 'malformed',
            reason: `has the header "${row.join(',')}", not Chronicle's audit columns`,
          }
        continue
      }
      yield csvItem(row, header)
    }
  }
  try {
    for await (const chunk of chunks) yield* rows(parser.push(decoder.write(chunk)))
    yield* rows(parser.push(decoder.end()))
    const last = parser.end()
    yield* rows(last ? [last] : [])
  } catch (error) {
    yield { kind: 'malformed', reason: error instanceof Error ? error.message : String(error) }
  }
}

export function readAuditFile(path: string, format: AuditFormat, hash: Hash): AsyncGenerator<ReadItem> {
  const chunks = tapped(path, hash)
  if (format === 'ndjson') return ndjsonItems(chunks)
  if (format === 'json') return jsonItems(chunks)
  return csvItems(chunks)
}
