/**
 * `chronicle audit export|verify|key`: the audit trail as a file an auditor can check, and the check itself.
 * Export and verify --db first bring the trail up to date with the repository (trail-catch-up.ts), so what the
 * command line imported is in it even when no app ran since; the digest states the change it covers up to.
 * Export shows progress on a terminal and stops cleanly on Ctrl-C (nothing under the final name); verify exits
 * 0 only when every record, the file's hash and the digest's signature hold, and the signer is trusted: a key
 * that a device of the library in the data directory registered, or one named with --key or --fingerprint.
 * Without a library and without a named key nothing is trusted, and verify says how to name one.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { AuditFilterError, actionName, type AuditFilters } from '../../audit/audit-query'
import { AUDIT_FORMATS, isAuditFormat, type AuditFormat } from '../../audit/audit-formats'
import { DigestError } from '../../audit/audit-digest'
import { EXPORT_CACHE_KIB, ExportCancelled, exportAudit, exportFileName } from '../../audit/export-audit'
import { DATABASE_FILE, openRepository } from '../../repository/repository'
import { loadOrCreateSigningKey } from '../../audit/signing-key'
import {
  KeyInputError,
  namedFingerprint,
  namedKey,
  registeredKeys,
  type Trust,
} from '../../audit/trusted-keys'
import { bringTrailUpToDate, TrailCatchUpError } from '../../audit/trail-catch-up'
import { VerifyInputError, verifyExport, type VerifyReport } from '../../audit/verify-export'
import { verifyStoredChain } from '../../hub/stored-chain'
import { fileLogger } from '../../logger'
import { loadDeviceIdentity } from '../../sync/device-identity'
import { EXIT, UsageError, withRepository, type CommandContext } from '../command-context'
import { commandProgress, type ProgressLine } from '../progress-line'
import { formatInt } from '../terminal'

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/

/** An ISO 8601 date or time; a bare date means the start of that day (UTC), or its end for --until. */
export function timeOption(value: string | undefined, name: 'since' | 'until'): number | undefined {
  if (value === undefined) return undefined
  const bare = DATE_ONLY.test(value)
  const ms = Date.parse(bare ? `${value}T00:00:00.000Z` : value)
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(ms))
    throw new UsageError(
      `--${name} must be an ISO 8601 date or time, like 2025-01-31 or 2025-01-31T14:00:00Z`,
    )
  return bare && name === 'until' ? ms + 24 * 60 * 60 * 1000 - 1 : ms
}

function filtersFrom(context: CommandContext): AuditFilters {
  const o = context.options
  const filters: AuditFilters = {
    ...(o.since !== undefined && { since: timeOption(o.since, 'since') }),
    ...(o.until !== undefined && { until: timeOption(o.until, 'until') }),
    ...(o.device !== undefined && { deviceId: o.device }),
    ...(o.conversation !== undefined && { conversationId: o.conversation }),
  }
  if (o.action === undefined) return filters
  try {
    actionName(o.action)
  } catch (error) {
    if (error instanceof AuditFilterError) throw new UsageError(`--action: ${error.message}`)
    throw error
  }
  return { ...filters, action: o.action }
}

/** The export streams through the eventlog once: it needs little page cache. */
const exportContext = (context: CommandContext): CommandContext => ({
  ...context,
  openRepository: () => openRepository({ dataDir: context.options.dataDir, cacheKiB: EXPORT_CACHE_KIB }),
})

/**
 * Brings the trail up to date (trail-catch-up.ts) with a progress line; false, after saying why on stderr, when
 * it cannot. Without a library there is nothing to bring, and none is made.
 */
async function catchUp(context: CommandContext, progress: ProgressLine): Promise<boolean> {
  const { options, output } = context
  if (!existsSync(join(options.dataDir, DATABASE_FILE))) return true
  try {
    await bringTrailUpToDate({
      dataDir: options.dataDir,
      deviceId: loadDeviceIdentity(options.dataDir).id,
      log: fileLogger(options.dataDir),
      onProgress: ({ done, total, waitingFor }) =>
        progress.update(
          waitingFor
            ? `Waiting for ${waitingFor.holder} (pid ${waitingFor.pid}) to bring the audit trail up to date: ` +
                `${formatInt(done)} of ${formatInt(total)} changes`
            : `Bringing the audit trail up to date: ${formatInt(done)} of ${formatInt(total)} changes`,
        ),
    })
    return true
  } catch (error) {
    if (!(error instanceof TrailCatchUpError)) throw error
    progress.done()
    output.err(`chronicle audit: ${error.message}`)
    return false
  }
}

async function exportCommand(context: CommandContext): Promise<number> {
  const { options, output } = context
  const format: AuditFormat = (options.format ?? 'ndjson') as AuditFormat
  if (!isAuditFormat(format)) throw new UsageError(`--format must be one of ${AUDIT_FORMATS.join(', ')}`)
  const filters = filtersFrom(context)
  const out = resolve(options.out ?? exportFileName(format, new Date()))
  const device = loadDeviceIdentity(options.dataDir)
  const progress = commandProgress(context)
  // Every change in the repository is in the trail before the export says what it holds.
  if (!(await catchUp(context, progress))) return EXIT.failure
  const abort = new AbortController()
  const onSigint = () => abort.abort()
  process.once('SIGINT', onSigint)
  try {
    const result = await withRepository(exportContext(context), (repo) =>
      exportAudit(repo, {
        format,
        filters,
        out,
        includeContent: options.includeContent,
        redact: options.redact,
        dataDir: options.dataDir,
        device,
        signal: abort.signal,
        onProgress: ({ done, total }) =>
          progress.update(`Exporting the audit trail: ${formatInt(done)} of ${formatInt(total)} events`),
      }),
    )
    progress.done()
    const { digest } = result
    if (options.json) {
      output.out(JSON.stringify({ file: result.file, digestFile: result.digestFile, digest }))
      return EXIT.ok
    }
    const span =
      digest.records.count > 0
        ? ` (seq ${formatInt(digest.records.firstSeq ?? 0)} to ${formatInt(digest.records.lastSeq ?? 0)})`
        : ''
    output.out(`Exported ${formatInt(digest.records.count)} events${span} to ${result.file}`)
    if (digest.repository)
      output.out(
        `The trail holds every change to the repository up to change ${formatInt(digest.repository.changesCovered)}` +
          (digest.repository.changesCovered < digest.repository.changesHead
            ? ` (of ${formatInt(digest.repository.changesHead)}: the rest arrived while it was exported)`
            : ''),
      )
    output.out(
      `Digest: ${result.digestFile}, signed by this device's key ${loadOrCreateSigningKey(options.dataDir).fingerprint}`,
    )
    if (options.redact) output.out(`Masked ${formatInt(digest.redaction.masked)} secrets`)
    return EXIT.ok
  } catch (error) {
    progress.done()
    if (error instanceof ExportCancelled) {
      output.err(`chronicle audit export: ${error.message}`)
      return 130
    }
    throw error
  } finally {
    process.off('SIGINT', onSigint)
  }
}

function describeReport(report: VerifyReport): string[] {
  const lines: string[] = []
  const { signer } = report
  const span =
    report.firstSeq === null
      ? ''
      : ` (seq ${formatInt(report.firstSeq)} to ${formatInt(report.lastSeq ?? 0)})`
  const onlyTheSigner =
    !signer.trusted && report.problem === null && report.fileHashMatches && report.signatureHolds
  if (report.ok) {
    lines.push(
      `OK: ${formatInt(report.records)} records${span}; every record matches its chain hash and links to the one before`,
    )
  } else if (onlyTheSigner) {
    lines.push(`FAILED: ${signer.reason}`)
  } else {
    lines.push(`FAILED: ${report.problem?.message ?? 'the records are intact, but see below'}`)
  }
  lines.push(`File SHA-256: ${report.fileHashMatches ? 'matches the digest' : 'DIFFERS from the digest'}`)
  lines.push(
    report.signatureHolds
      ? `Signature: holds (Ed25519, key ${report.keyFingerprint})`
      : `Signature: DOES NOT HOLD: the digest was changed, or was not signed by the key it names (${report.keyFingerprint})`,
  )
  if (!signer.trusted)
    lines.push(`Signer: NOT TRUSTED${onlyTheSigner ? ` (key ${signer.fingerprint})` : `: ${signer.reason}`}`)
  else if (signer.trustedBy === 'library')
    lines.push(
      `Signed by ${signer.device.name} (${signer.device.id}), key ${signer.fingerprint}, as registered in this library`,
    )
  else
    lines.push(
      `Signed by key ${signer.fingerprint}, trusted with ${signer.trustedBy}; the digest says it was made by ${signer.device.name} (${signer.device.id})`,
    )
  return lines
}

/** The keys verify trusts: the library's registered keys, if there is a library, and the ones named. */
async function trustFor(context: CommandContext): Promise<Trust> {
  const { options } = context
  let named: Trust['named']
  try {
    named = [
      ...(options.key === undefined ? [] : [{ fingerprint: namedKey(options.key), by: '--key' as const }]),
      ...(options.fingerprint === undefined
        ? []
        : [{ fingerprint: namedFingerprint(options.fingerprint), by: '--fingerprint' as const }]),
    ]
  } catch (error) {
    if (error instanceof KeyInputError) throw new UsageError(error.message)
    throw error
  }
  // Verifying must not make a library where there is none (on an auditor's machine, say).
  const registered = existsSync(join(options.dataDir, DATABASE_FILE))
    ? await withRepository(context, (repo) => registeredKeys(repo.db))
    : null
  return { registered, named }
}

async function verifyCommand(context: CommandContext): Promise<number> {
  const { args, options, output } = context
  if (options.db) {
    const progress = commandProgress(context)
    if (!(await catchUp(context, progress))) return EXIT.failure
    progress.done()
    const check = await withRepository(context, (repo) => verifyStoredChain(repo.db))
    if (options.json) output.out(JSON.stringify(check))
    else if (check.ok)
      output.out(
        `OK: the stored chain of ${formatInt(check.entries)} events holds (head ${check.head}, hash ${check.headHash})`,
      )
    else output.out(`FAILED: ${check.problem} (${formatInt(check.entries)} entries before it hold)`)
    return check.ok ? EXIT.ok : EXIT.failure
  }
  const [file] = args
  if (file === undefined || args.length > 1)
    throw new UsageError('verify takes one export file (or --db to check the stored chain)')
  const trust = await trustFor(context)
  let report: VerifyReport
  try {
    report = await verifyExport(
      resolve(file),
      trust,
      options.digest === undefined ? undefined : resolve(options.digest),
    )
  } catch (error) {
    if (error instanceof VerifyInputError || error instanceof DigestError) {
      output.err(`chronicle audit verify: ${error.message}`)
      return EXIT.failure
    }
    throw error
  }
  if (options.json) {
    const { digest: _digest, ...rest } = report
    output.out(JSON.stringify(rest))
  } else for (const line of describeReport(report)) output.out(line)
  return report.ok ? EXIT.ok : EXIT.failure
}

export async function auditCommand(context: CommandContext): Promise<number> {
  const [sub, ...args] = context.args
  // The command line (command-line.ts) has refused other words and options by now.
  if (sub === 'export') return exportCommand({ ...context, args })
  if (sub === 'verify') return verifyCommand({ ...context, args })
  if (sub === 'key') {
    const key = loadOrCreateSigningKey(context.options.dataDir)
    context.output.out(
      context.options.json
        ? JSON.stringify({ publicKey: key.publicKey, fingerprint: key.fingerprint })
        : `${key.fingerprint}\n${key.publicKey}`,
    )
    return EXIT.ok
  }
  throw new UsageError('audit needs a subcommand: export, verify or key')
}
