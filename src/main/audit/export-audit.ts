/**
 * Exports the audit trail to a file and writes its signed digest beside it. It streams: a page of events is read,
 * formatted, hashed and written before the next is read, so memory stays flat for a million events. It writes
 * to a temporary file next to the target and renames it only when complete, so a cancelled or failed export
 * leaves nothing under the final name (and the digest appears only after its export).
 */
import { createHash, randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Kysely } from 'kysely'
import type { Database } from '../repository/database-schema'
import { CHAIN_VERSION } from '../hub/event-hash'
import { ensureChainVersion } from '../hub/stored-chain'
import { digestPathFor, signDigest, type AuditDigest } from './audit-digest'
import { formatWriter, type AuditFormat } from './audit-formats'
import { deviceNames, openAuditReader, type AuditFilters } from './audit-query'
import { recordMaker } from './audit-records'
import { loadOrCreateSigningKey } from './signing-key'

export interface ExportRequest {
  readonly format: AuditFormat
  readonly filters: AuditFilters
  /** The export's final path; the digest goes to `<out>.digest.json`. */
  readonly out: string
  readonly includeContent: boolean
  readonly redact: boolean
  /** Where the device's signing key lives (made on first use). */
  readonly dataDir: string
  readonly device: { readonly id: string; readonly name: string }
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void
}

export interface ExportResult {
  readonly file: string
  readonly digestFile: string
  readonly digest: AuditDigest
}

export class ExportCancelled extends Error {
  constructor() {
    super('the export was cancelled; nothing was written under the final name')
  }
}

/** The filters as a digest states them: names as on the command line, times in ISO 8601. */
export function describeFilters(filters: AuditFilters): Record<string, string> {
  const out: Record<string, string> = {}
  if (filters.since !== undefined) out.since = new Date(filters.since).toISOString()
  if (filters.until !== undefined) out.until = new Date(filters.until).toISOString()
  if (filters.deviceId !== undefined) out.device = filters.deviceId
  if (filters.action !== undefined) out.action = filters.action
  if (filters.conversationId !== undefined) out.conversation = filters.conversationId
  return out
}

/** Writes `text` under `path` by way of a temporary file beside it, so `path` is either complete or untouched. */
async function writeAtomically(
  path: string,
  write: (file: (text: string) => Promise<void>) => Promise<void>,
) {
  const temporary = `${path}.partial-${randomBytes(4).toString('hex')}`
  const handle = await open(temporary, 'wx', 0o644)
  try {
    await write(async (text) => {
      await handle.write(text)
    })
    await handle.datasync()
    await handle.close()
    await rename(temporary, path)
  } catch (error) {
    await handle.close().catch(() => undefined)
    await rm(temporary, { force: true })
    throw error
  }
}

export async function exportAudit(db: Kysely<Database>, request: ExportRequest): Promise<ExportResult> {
  const { format, filters, out, signal } = request
  // A key that cannot be read fails the export before anything is written.
  const key = loadOrCreateSigningKey(request.dataDir)
  await ensureChainVersion(db)
  const reader = await openAuditReader(db, filters)
  const [total, names] = [await reader.count(), await deviceNames(db)]
  const maker = recordMaker(names, { includeContent: request.includeContent, redact: request.redact })
  const writer = formatWriter(format)
  const hash = createHash('sha256')
  let bytes = 0
  let count = 0
  // Assigned inside the write callback, so an object (TypeScript would narrow plain variables to their initial null).
  const span: { first?: { seq: number; prevHash: string }; last?: { seq: number; hash: string } } = {}

  await writeAtomically(out, async (write) => {
    const emit = async (text: string) => {
      if (text === '') return
      hash.update(text)
      bytes += Buffer.byteLength(text)
      await write(text)
    }
    await emit(writer.start)
    request.onProgress?.({ done: 0, total })
    for await (const page of reader.pages()) {
      if (signal?.aborted) throw new ExportCancelled()
      let text = ''
      for (const entry of page) {
        text += writer.record(maker.record(entry), count)
        count += 1
      }
      const [head, tail] = [page[0], page.at(-1)]
      if (!span.first && head) span.first = { seq: head.seq, prevHash: head.prevHash }
      if (tail) span.last = { seq: tail.seq, hash: tail.hash }
      await emit(text)
      request.onProgress?.({ done: count, total })
    }
    if (signal?.aborted) throw new ExportCancelled()
    await emit(writer.end)
  })

  const digest = signDigest(
    {
      export: { file: basename(out), format, sha256: hash.digest('hex'), bytes },
      records: { count, firstSeq: span.first?.seq ?? null, lastSeq: span.last?.seq ?? null },
      chain: {
        version: CHAIN_VERSION,
        before: span.first?.prevHash ?? null,
        after: span.last?.hash ?? null,
        head: reader.head,
      },
      filters: describeFilters(filters),
      includeContent: request.includeContent,
      redaction: { enabled: request.redact, masked: maker.masked() },
      createdAt: new Date().toISOString(),
      device: request.device,
    },
    key,
  )
  const digestFile = digestPathFor(out)
  try {
    await writeAtomically(digestFile, (write) => write(`${JSON.stringify(digest, null, 2)}\n`))
  } catch (error) {
    // An export without its digest cannot be verified: take it back rather than leave it half-delivered.
    await rm(out, { force: true })
    throw error
  }
  return { file: out, digestFile, digest }
}
