/**
 * Exports the audit trail to a file and writes its signed digest beside it. It streams: the eventlog is read in
 * windows that worker threads format (export-pool.ts) while this thread hashes and writes the ones before, with
 * a few windows in flight, so memory stays flat for a million events. It writes to a temporary file next to the
 * target and renames it only when complete, so a cancelled or failed export leaves nothing under the final name
 * (and the digest appears only after its export).
 */
import { createHash } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Repository } from '../repository/repository'
import { CHAIN_VERSION } from '../hub/event-hash'
import { ensureChainVersion } from '../hub/stored-chain'
import { writeFileAtomic } from '../atomic-write'
import { digestPathFor, signDigest, type AuditDigest } from './audit-digest'
import { formatWriter, type AuditFormat } from './audit-formats'
import { openAuditReader, type AuditFilters } from './audit-query'
import { exportPool } from './export-pool'
import type { WindowBytes } from './window-export'
import { loadOrCreateSigningKey } from './signing-key'
import { trailCoverage } from './trail-coverage'
import { trailDevices } from './trail-devices'

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
  /** Worker threads for reading and formatting (default: by the machine's cores; 0: none). */
  readonly workers?: number
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void
}

export interface ExportResult {
  readonly file: string
  readonly digestFile: string
  readonly digest: AuditDigest
  /** Windows of the eventlog that worker threads exported (the rest ran on the calling thread). */
  readonly windowsOnWorkers: number
}

/** The page cache a process that only exports needs: the export reads each page of the eventlog once. */
export const EXPORT_CACHE_KIB = 8_192

/** Windows in flight beyond the one being written: enough to keep the workers busy. */
const WINDOWS_AHEAD = 4

export class ExportCancelled extends Error {
  constructor() {
    super('the export was cancelled; nothing was written under the final name')
  }
}

/** `chronicle-audit-20261122T101500Z[-suffix].<format>`: an export's name when none is given. */
export function exportFileName(format: AuditFormat, date: Date, suffix?: string): string {
  const stamp = date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  return `chronicle-audit-${stamp}${suffix ? `-${suffix}` : ''}.${format}`
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

export async function exportAudit(
  repository: Pick<Repository, 'db' | 'file'>,
  request: ExportRequest,
): Promise<ExportResult> {
  const { db } = repository
  const { format, filters, out, signal } = request
  // A key that cannot be read fails the export before anything is written.
  const key = loadOrCreateSigningKey(request.dataDir)
  await ensureChainVersion(db)
  // Before the eventlog is read: what the trail covers now, it still covers when the reader starts.
  const coverage = await trailCoverage(db, request.device.id)
  const reader = await openAuditReader(db, filters)
  const [total, devices] = [await reader.count(), await trailDevices(db)]
  const pool = exportPool(
    db,
    {
      format,
      filters,
      deviceNames: [...devices.names],
      vouchers: [...devices.vouchers],
      options: { includeContent: request.includeContent, redact: request.redact },
      databaseFile: repository.file,
    },
    request.workers,
  )
  let windowsOnWorkers = 0
  const writer = formatWriter(format)
  const hash = createHash('sha256')
  let bytes = 0
  let written = 0
  let masked = 0
  // Set inside the write callback, so an object (TypeScript would narrow plain variables to their initial null).
  const span: { first: WindowBytes['first']; last: WindowBytes['last'] } = { first: null, last: null }

  try {
    await writeFileAtomic(out, async (write) => {
      // One write in flight while the next windows are read and formatted.
      let writing: Promise<void> = Promise.resolve()
      const emit = async (chunk: Uint8Array) => {
        await writing
        if (chunk.length === 0) return
        hash.update(chunk)
        bytes += chunk.length
        writing = write(chunk)
      }
      const text = (value: string) => new TextEncoder().encode(value)
      // Windows being exported (by the workers), oldest first: their bytes are written in this order.
      const exporting: Promise<WindowBytes>[] = []
      const writeOldest = async () => {
        const oldest = exporting.shift()
        if (!oldest) return
        const window = await oldest
        if (window.records > 0) {
          await emit(text(written === 0 ? writer.beforeFirst : writer.join))
          await emit(window.bytes)
          span.first ??= window.first
          span.last = window.last
        }
        masked += window.masked
        written += window.records
        request.onProgress?.({ done: written, total })
      }
      try {
        await emit(text(writer.start))
        request.onProgress?.({ done: 0, total })
        for (const window of reader.windows()) {
          if (signal?.aborted) throw new ExportCancelled()
          exporting.push(pool.run(window))
          if (exporting.length > WINDOWS_AHEAD) await writeOldest()
        }
        while (exporting.length > 0) {
          if (signal?.aborted) throw new ExportCancelled()
          await writeOldest()
        }
        await emit(text(writer.end))
        await writing
      } finally {
        // Settle what is still in flight before the file is closed and removed.
        await Promise.allSettled([writing, ...exporting])
      }
    })
  } finally {
    windowsOnWorkers = pool.windowsOnWorkers()
    await pool.close()
  }
  const count = written

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
      repository: { changesCovered: coverage.covered, changesHead: coverage.head },
      filters: describeFilters(filters),
      includeContent: request.includeContent,
      redaction: { enabled: request.redact, masked },
      createdAt: new Date().toISOString(),
      device: request.device,
    },
    key,
  )
  const digestFile = digestPathFor(out)
  try {
    await writeFileAtomic(digestFile, (write) =>
      write(new TextEncoder().encode(`${JSON.stringify(digest, null, 2)}\n`)),
    )
  } catch (error) {
    // An export without its digest cannot be verified: take it back rather than leave it half-delivered.
    await rm(out, { force: true })
    throw error
  }
  return { file: out, digestFile, digest, windowsOnWorkers }
}
