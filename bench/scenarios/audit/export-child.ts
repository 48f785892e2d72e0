/**
 * One export or one verification in a process of its own, so its peak RSS is its alone.
 *   node --import tsx export-child.ts export DATA_DIR FORMAT OUT [WORKERS]
 *   node --import tsx export-child.ts verify FILE DATA_DIR   (trusting DATA_DIR's signing key, as --key does)
 *   node --import tsx export-child.ts verify-db DATA_DIR
 * Prints one JSON line: { ms, peakRssMiB, ... }.
 */
import { statSync } from 'node:fs'
import { exportAudit } from '../../../src/main/audit/export-audit'
import { isAuditFormat } from '../../../src/main/audit/audit-formats'
import { loadOrCreateSigningKey } from '../../../src/main/audit/signing-key'
import { verifyExport } from '../../../src/main/audit/verify-export'
import { verifyStoredChain } from '../../../src/main/hub/stored-chain'
import { openRepository } from '../../../src/main/repository/repository'
import { EXPORT_CACHE_KIB } from '../../../src/main/audit/export-audit'

const [mode, a, b, c, d] = process.argv.slice(2)
const started = performance.now()
let result: Record<string, unknown>
if (mode === 'export' && a && b && isAuditFormat(b) && c) {
  const repository = openRepository({ dataDir: a, cacheKiB: EXPORT_CACHE_KIB })
  const { digest, windowsOnWorkers } = await exportAudit(repository, {
    format: b,
    filters: {},
    out: c,
    includeContent: false,
    redact: false,
    dataDir: a,
    device: { id: 'bench', name: 'bench' },
    ...(d !== undefined && { workers: Number(d) }),
  })
  await repository.close()
  result = { records: digest.records.count, bytes: statSync(c).size, windowsOnWorkers }
} else if (mode === 'verify' && a && b) {
  const named = [{ fingerprint: loadOrCreateSigningKey(b).fingerprint, by: '--key' as const }]
  const report = await verifyExport(a, { registered: null, named })
  result = { records: report.records, ok: report.ok }
} else if (mode === 'verify-db' && a) {
  const repository = openRepository({ dataDir: a })
  const check = await verifyStoredChain(repository.db)
  await repository.close()
  result = { records: check.entries, ok: check.ok }
} else
  throw new Error(
    'usage: export-child.ts export DATA_DIR FORMAT OUT | verify FILE DATA_DIR | verify-db DATA_DIR',
  )
const ms = performance.now() - started
// maxRSS is in kilobytes.
console.log(JSON.stringify({ ms, peakRssMiB: process.resourceUsage().maxRSS / 1024, ...result }))
